// SPDX-License-Identifier: Apache-2.0
#include "map/engine.hpp"
#include "map/member_lookup.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <unordered_map>

#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "base/base64.hpp"
#include "base/key_path.hpp"
#include "map/transforms/registry.hpp"

namespace mcc::map {
namespace {

using nlohmann::json;

bool is_set(const json* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string() || v->is_array() || v->is_object()) return !v->empty() && *v != "";
  return true;
}

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out;
  out.reserve(a.size() + 1 + b.size());
  return out.append(a).append(1, '.').append(b);
}

std::string render(const json& j) {
  std::string s = j.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

std::string describe_condition(const Condition& c) {
  std::string out = c.pointer + (c.any_of.size() == 1 ? " is " : " is one of ");
  for (std::size_t i = 0; i < c.any_of.size(); ++i) out += (i ? ", " : "") + render(c.any_of[i]);
  return out;
}

// A literal as a message names it: a string without its quotes.
std::string literal(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

bool holds(const Condition& c, const json& obj) {
  static const json null_json;
  const json* v = resolve_pointer(obj, c.pointer);
  const json& actual = v ? *v : null_json;
  for (const auto& want : c.any_of)
    if (actual == want) return true;
  return false;
}

// A table's expanded rows compiled for one place in the payload (payload type, platform, key
// path prefix): built once per place, at first use, and kept with the TableSet, so that
// interpreting a row parses no pointer, joins no key path and looks nothing up in Apple's schema.
struct CompiledCondition {
  const Condition* condition;
  std::vector<PointerToken> tokens;
};

struct Step {
  const Row* row;
  std::vector<PointerToken> from;  // row.from split (when it has one)
  std::vector<CompiledCondition> when, unless;
  bool on_platform = true;  // the row exists on the platform
  std::string schema_path;  // schema prefix + row.to: the key path in the payload, for schema lookups
  std::string path;         // prefix + row.to: the key path inside the dictionary written into
  schema::AppleSchema::Lookup found;  // Apple's spec at schema_path (rows that write into the payload)
  // Kind table / each: the table applied, found when the row first applies (Mapper::nested).
  // Plans are shared by the threads of a batch: the pointer is atomic, and two threads that
  // find it at once store the same one.
  struct Nested {
    mutable std::atomic<const Table*> table{nullptr};
    Nested() = default;
    Nested(const Nested& other) : table(other.table.load(std::memory_order_acquire)) {}
  } nested;
};

struct Plan {
  std::vector<Step> steps;
};

bool holds(const CompiledCondition& c, const json& obj, MemberLookup& members) {
  static const json null_json;
  const json* v = members.resolve(obj, c.tokens);
  const json& actual = v ? *v : null_json;
  for (const auto& want : c.condition->any_of)
    if (actual == want) return true;
  return false;
}

bool applies(const Step& s, const json& obj, MemberLookup& members) {
  for (const auto& c : s.when)
    if (!holds(c, obj, members)) return false;
  for (const auto& c : s.unless)
    if (holds(c, obj, members)) return false;
  return true;
}

struct Frame {
  const json& obj;
  std::string ptr;            // absolute pointer of obj in the file
  Value& root;                // the dictionary rows write into
  std::string prefix;         // key path inside root
  std::string schema_prefix;  // key path inside the payload, for schema lookups ("A.B[]")
  std::string real_path;      // key path inside the payload with real indices ("A.B[2]")
  bool real_is_schema = true; // real_path == schema_prefix (no array on the way)
};

class Mapper {
 public:
  Mapper(const TableSet& tables, const schema::AppleSchema& apple, const read::GraphObject& object, const MapInput& input,
         Diagnostics& diags)
      : tables_(tables), apple_(apple), file_(object.file), platform_(input.platform), diags_(diags), input_(input) {}

  void run(const Table& table, const read::GraphObject& object, MappedObject& out) {
    out_ = &out;
    out.payload = Value(Dict{});
    out.profile_keys = Value(Dict{});
    out.issuance = Value(Dict{});
    out.payload.set("PayloadType", payload_type(table, object));
    payload_type_ = out.payload.find("PayloadType")->as_string();
    Frame f{object.json, object.pointer, out.payload, "", "", ""};
    apply(table, f);
  }

 private:
  // The table's PayloadType, or that of the first payload variant whose conditions hold.
  std::string payload_type(const Table& table, const read::GraphObject& object) {
    std::string chosen = *table.payload_type;
    bool found = false;
    for (const Variant* v : tables_.variants(table)) {
      // The property a variant tests is what feeds PayloadType, for findings about that key.
      const Condition& c = v->when.empty() ? v->unless.front() : v->when.front();
      out_->key_sources.try_emplace("PayloadType", object.pointer + c.pointer);
      if (!found && conditions_hold(v->when, v->unless, object.json)) {
        chosen = v->payload_type;
        found = true;
      }
    }
    return chosen;
  }

  void apply(const Table& table, const Frame& f) {
    // Tables can nest themselves (a --mappings table, or a mistake): bound depth and total work.
    if (++depth_ > kMaxDepth || steps_ > kMaxSteps) {
      if (!gave_up_) diags_.add(msg::tables_too_deep({file_, f.ptr}));
      gave_up_ = true;
      --depth_;
      return;
    }
    if (places_.size() <= static_cast<std::size_t>(depth_)) places_.resize(static_cast<std::size_t>(depth_) + 1);
    const std::shared_ptr<const Plan> plan = plan_for(table, f);
    plans_.push_back(plan);  // written_ refers to its key paths until the object is mapped
    for (const Step& step : plan->steps) {
      const Row& row = *step.row;
      if (++steps_ > kMaxSteps) break;
      const std::size_t reported = diags_.size();
      apply_row(step, f);
      // What a row reports names the row, so nothing has to match diagnostics by their text.
      if (diags_.size() != reported) diags_.set_row(reported, row.table_name + "#" + std::to_string(row.index));
    }
    --depth_;
  }

  std::shared_ptr<const Plan> plan_for(const Table& table, const Frame& f) {
    std::string key;
    key.reserve(table.name.size() + payload_type_.size() + f.schema_prefix.size() + f.prefix.size() + 9);
    key.append(kCompiledPlan).append(table.name).append(1, '\0').append(payload_type_).append(1, '\0').append(platform_name(platform_));
    key.append(1, '\0').append(f.schema_prefix).append(1, '\0').append(f.prefix);
    return std::static_pointer_cast<const Plan>(tables_.compiled(key, [&]() -> std::shared_ptr<const void> {
      auto plan = std::make_shared<Plan>();
      const std::vector<Row>& rows = tables_.expanded_rows(table);
      plan->steps.reserve(rows.size());
      for (const Row& row : rows) {
        Step& s = plan->steps.emplace_back();
        s.row = &row;
        if (row.from) s.from = split_pointer(*row.from);
        for (const auto& c : row.when) s.when.push_back({&c, split_pointer(c.pointer)});
        for (const auto& c : row.unless) s.unless.push_back({&c, split_pointer(c.pointer)});
        s.on_platform = row.platforms.empty() || std::find(row.platforms.begin(), row.platforms.end(),
                                                           platform_name(platform_)) != row.platforms.end();
        s.schema_path = join_path(f.schema_prefix, row.to);
        s.path = join_path(f.prefix, row.to);
        if (!row.profile_scope && !row.issuance_scope) s.found = apple_.lookup(payload_type_, s.schema_path, platform_);
      }
      return plan;
    }));
  }

  // The table a table or each row applies (load() checked that it exists): found when the
  // row first applies, not when its plan is built, so a fresh process reads no table that
  // only rows which do not apply to its object name (the always-on tunnel of a VPN without one).
  const Table& nested(const Step& step) const {
    const Table* t = step.nested.table.load(std::memory_order_acquire);
    if (t == nullptr) {
      t = tables_.find(step.row->nested);
      step.nested.table.store(t, std::memory_order_release);
    }
    return *t;
  }

  // Apple's spec for a step's key: as compiled, unless a row has rewritten PayloadType since.
  schema::AppleSchema::Lookup lookup(const Step& s) {
    const std::string& type = out_->payload.find("PayloadType")->as_string();
    if (type == payload_type_) return s.found;
    return apple_.lookup(type, s.schema_path, platform_);
  }

  // Why a row that does not apply does not.
  static std::string skip_reason(const Row& row, const json& obj) {
    for (const auto& c : row.when)
      if (!holds(c, obj)) return "applies only when " + describe_condition(c);
    for (const auto& c : row.unless)
      if (holds(c, obj)) return describe_condition(c);
    return "";
  }

  void apply_row(const Step& step, const Frame& f) {
    const Row& row = *step.row;
    const json* v = row.from ? members_.resolve(f.obj, step.from) : nullptr;
    // Rows that shape a lab identity's certificate run only when one is issued.
    if (row.issuance_scope && !input_.issue_identity) return;
    // The row's place in the input, made when something needs it, in this depth's buffer:
    // the rows of a nested table use the next one, so it holds until this row is done.
    std::string& place = places_[static_cast<std::size_t>(depth_)];
    bool placed = false;
    auto at = [&]() -> const std::string& {
      if (!placed) {
        place.assign(f.ptr);
        if (row.from) place.append(*row.from);
        placed = true;
      }
      return place;
    };
    if (row.from && !row.to.empty() && !row.profile_scope && !row.issuance_scope) {
      auto [it, inserted] = out_->key_sources.try_emplace(f.real_is_schema ? step.schema_path : join_path(f.real_path, row.to));
      if (inserted) it->second = at();
    }

    if (!applies(step, f.obj, members_)) {
      if (row.kind != RowKind::none && row.kind != RowKind::notice && row.quiet_skip.empty() && is_set(v))
        diags_.add(msg::setting_ignored({file_, at()}, skip_reason(row, f.obj)));
      return;
    }
    // A row that exists on some platforms only: elsewhere a setting it would carry has no
    // equivalent at all, an error rather than a key left out (that would describe another profile).
    if (!step.on_platform) {
      if (row.kind != RowKind::none && is_set(v)) {
        std::string key = step.schema_path;
        if (row.kind == RowKind::constant) key += " " + literal(row.value);
        diags_.add(msg::no_apple_value({file_, at()}, msg::shown(*v), key + " on " + std::string(platform_name(platform_)),
                                       row.unmapped_reason));
      }
      return;
    }
    static const json null_json;
    switch (row.kind) {
      case RowKind::none:
        if (row.warn_if_set && is_set(v)) diags_.add(msg::setting_has_no_key({file_, at()}, row.none_reason));
        return;
      case RowKind::notice:
        if (is_set(v) == row.if_unset) return;
        diags_.add(row.notice_error ? msg::combination_refused({file_, at()}, row.notice) : msg::mapping_note({file_, at()}, row.notice));
        return;
      case RowKind::constant:
        if (row.from && (v == nullptr || v->is_null())) return;
        if (auto val = to_value(row, row.value, at())) write(f, step, std::move(*val), at());
        return;
      case RowKind::copy:
        // Graph's empty collections mean "not configured"; an empty SSIDMatch would match nothing.
        if (v == nullptr || v->is_null() || (v->is_array() && v->empty())) return;
        if (auto val = convert(step, *v, at())) write(f, step, std::move(*val), at());
        return;
      case RowKind::table: {
        if (v == nullptr || !v->is_object()) return;
        if (!available(step, at())) return;
        const std::string& prefix = step.path;
        bool existed = find_path(f.root, prefix) != nullptr;
        apply(nested(step), Frame{*v, at(), f.root, prefix, step.schema_path,
                                  f.real_is_schema ? step.schema_path : join_path(f.real_path, row.to), f.real_is_schema});
        const Value* made = find_path(f.root, prefix);
        if (!existed && made && made->is(Value::Kind::dict) && made->as_dict().empty()) erase_path(f.root, prefix);
        return;
      }
      case RowKind::each: {
        if (v == nullptr || !v->is_array()) return;
        if (!available(step, at())) return;
        Array items;
        items.reserve(v->size());
        const std::string schema_prefix = step.schema_path + "[]";
        const std::string real_base = f.real_is_schema ? step.schema_path : join_path(f.real_path, row.to);
        for (std::size_t i = 0; i < v->size(); ++i) {
          if ((*v)[i].is_null()) continue;
          Value element{Dict{}};
          apply(nested(step), Frame{(*v)[i], pointer_join(at(), i), element, "", schema_prefix,
                                    real_base + "[" + std::to_string(items.size()) + "]", false});
          if (!element.as_dict().empty()) items.push_back(std::move(element));
        }
        if (!items.empty()) write(f, step, Value(std::move(items)), at());
        return;
      }
      case RowKind::transform: {
        const auto fn = map::transforms::registry().find(row.transform)->second.function;
        map::transforms::Context ctx{v ? *v : null_json, f.obj, at(), row.args, file_, step.schema_path, diags_, out_->links, input_,
                                     out_->issuance, *out_};
        if (auto val = fn(ctx)) write(f, step, std::move(*val), at());
        return;
      }
      case RowKind::include: return;  // expanded at load time
    }
  }

  std::optional<Value> convert(const Step& step, const json& v, const std::string& at) {
    const Row& row = *step.row;
    if (row.enum_map) {
      if (!v.is_string()) return std::nullopt;  // the check stage reported it
      const std::string& member = v.get_ref<const std::string&>();
      auto it = row.enum_map->find(member);
      if (it == row.enum_map->end()) {
        diags_.add(msg::no_apple_value({file_, at}, msg::quote(member), step.schema_path, row.unmapped_reason));
        return std::nullopt;
      }
      if (auto note = row.enum_notes.find(member); note != row.enum_notes.end())
        diags_.add(msg::mapping_note({file_, at}, note->second));
      if (it->is_null()) return std::nullopt;
      return to_value(row, *it, at);
    }
    if (row.as == "integer01" || row.as == "invert01") {
      if (!v.is_boolean()) return std::nullopt;
      bool b = v.get<bool>() != (row.as == "invert01");
      return Value(b ? 1 : 0);
    }
    if (row.as == "nonEmpty01") {
      if (!v.is_array() || v.empty()) return std::nullopt;
      return Value(1);
    }
    if (row.as == "data") {
      auto bytes = v.is_string() ? decode_base64(v.get_ref<const std::string&>()) : std::nullopt;
      if (!bytes) {
        diags_.add(msg::invalid_base64({file_, at}));
        return std::nullopt;
      }
      return Value(Data{std::move(*bytes)});
    }
    if (row.as == "string" && !v.is_string()) return Value(v.dump());
    return to_value(row, v, at);
  }

  std::optional<Value> to_value(const Row& row, const json& v, const std::string& at) {
    switch (v.type()) {
      case json::value_t::string: return Value(v.get<std::string>());
      case json::value_t::boolean: return Value(v.get<bool>());
      case json::value_t::number_integer:
      case json::value_t::number_unsigned: return Value(v.get<std::int64_t>());
      case json::value_t::number_float: return Value(v.get<double>());
      case json::value_t::array: {
        Array a;
        for (const auto& e : v) {
          auto item = to_value(row, e, at);
          if (!item) return std::nullopt;
          a.push_back(std::move(*item));
        }
        return Value(std::move(a));
      }
      case json::value_t::object: {  // an enum value may be a whole dictionary
        Value d{Dict{}};
        for (const auto& [k, e] : v.items()) {
          auto item = to_value(row, e, at);
          if (!item) return std::nullopt;
          d.set(k, std::move(*item));
        }
        return d;
      }
      default:
        diags_.add(msg::value_not_copyable({file_, at}, v.type_name(), row.to));
        return std::nullopt;
    }
  }

  // A dictionary or array Apple marks unavailable on the platform is left out whole, with one warning.
  bool available(const Step& step, const std::string& at) {
    const Row& row = *step.row;
    if (row.profile_scope || row.issuance_scope) return true;
    if (lookup(step).available) return true;
    diags_.add(msg::key_not_on_platform({file_, at}, step.schema_path, platform_name(platform_)));
    return false;
  }

  void write(const Frame& f, const Step& step, Value val, const std::string& at) {
    const Row& row = *step.row;
    if (row.profile_scope) {
      out_->profile_keys.set(row.to, std::move(val));
      return;
    }
    if (row.issuance_scope) {
      out_->issuance.set(row.to, std::move(val));
      return;
    }
    // A value under a key Apple's schema calls a secret is never quoted, whichever row wrote it.
    auto shown = [&](const Value& v, std::string_view key_path) {
      const bool secret = row.secret || apple_.is_secret(out_->payload.find("PayloadType")->as_string(), key_path);
      return secret ? std::string("<redacted>") : describe(v);
    };
    const std::string& schema_path = step.schema_path;
    const auto found = lookup(step);
    if (!found.available) {
      diags_.add(msg::key_not_on_platform({file_, at}, schema_path, platform_name(platform_)));
      return;
    }
    if (const auto* spec = found.spec) {
      if (auto issue = schema::AppleSchema::check_value(*spec, val, schema_path)) {
        std::string allowed = issue->kind == schema::SchemaIssue::Kind::wrong_type ? "a " + spec->type : spec->allowed_text();
        const std::string_view reason =
            issue->kind == schema::SchemaIssue::Kind::wrong_type ? std::string_view() : std::string_view(spec->reason);
        diags_.add(msg::apple_value_not_allowed({file_, at}, shown(val, schema_path), schema_path, allowed, reason));
        return;
      }
    }
    const std::string& path = step.path;
    auto [src, first] = written_.try_emplace(WrittenKey{&f.root, path});
    // What is there already matters for a dictionary (merged) or a key a row wrote before (a
    // clash); a first write of anything else does not look.
    const Value* old = (!first || val.is(Value::Kind::dict)) ? find_path(f.root, path) : nullptr;
    // A dictionary written onto a dictionary is merged (two key/value lists into one VendorConfig);
    // only a key both give, with different values, is a clash.
    if (old && old->is(Value::Kind::dict) && val.is(Value::Kind::dict)) {
      Value merged = *old;
      for (auto& m : val.as_dict()) {
        if (const Value* prev = merged.find(m.key); prev && !(*prev == m.value)) {
          const std::string key_path = schema_path + "." + m.key;
          diags_.add(msg::key_overridden({file_, at}, key_path, shown(*prev, key_path), shown(m.value, key_path),
                                         first ? "an earlier row" : src->second));
        }
        merged.set(m.key, std::move(m.value));
      }
      src->second = at;
      set_path(f.root, path, std::move(merged));
      return;
    }
    // Only a clash between two rows is worth a warning; the payload's default type is not a row.
    if (!first && old && !(*old == val))
      diags_.add(msg::key_overridden({file_, at}, schema_path, shown(*old, schema_path), shown(val, schema_path), src->second));
    src->second = at;
    set_path(f.root, path, std::move(val));
  }

  const TableSet& tables_;
  const schema::AppleSchema& apple_;
  const std::string& file_;
  Platform platform_;
  Diagnostics& diags_;
  MappedObject* out_ = nullptr;
  static constexpr int kMaxDepth = 64;
  static constexpr std::size_t kMaxSteps = 2'000'000;
  int depth_ = 0;
  // apply_row's input pointers, one buffer per depth, reused row after row (a deque: a deeper
  // table adding one moves none of those in use).
  std::deque<std::string> places_;
  std::size_t steps_ = 0;
  bool gave_up_ = false;
  const MapInput& input_;
  std::string payload_type_;  // the PayloadType the plans are compiled for (chosen before any row runs)
  std::vector<std::shared_ptr<const Plan>> plans_;  // every plan applied, kept alive for written_
  // (dictionary written into, key path) → the row that wrote it, for clash warnings
  struct WrittenKey {
    const Value* root;
    std::string_view path;  // a Step's, in plans_
    bool operator==(const WrittenKey&) const = default;
  };
  struct WrittenHash {
    std::size_t operator()(const WrittenKey& k) const {
      return std::hash<std::string_view>{}(k.path) ^ (std::hash<const Value*>{}(k.root) * 0x9e3779b97f4a7c15ULL);
    }
  };
  std::unordered_map<WrittenKey, std::string, WrittenHash> written_;
  MemberLookup members_;  // what the rows read, in the object being mapped
};

}  // namespace

bool conditions_hold(const std::vector<Condition>& when, const std::vector<Condition>& unless, const json& obj) {
  for (const auto& c : when)
    if (!holds(c, obj)) return false;
  for (const auto& c : unless)
    if (holds(c, obj)) return false;
  return true;
}

bool row_applies(const Row& row, const json& obj) { return conditions_hold(row.when, row.unless, obj); }

std::optional<MappedObject> map_object(const TableSet& tables, const schema::AppleSchema& apple,
                                       const read::GraphObject& object, const MapInput& input, Diagnostics& diags) {
  const Table* table = tables.for_graph_type(object.type);
  if (table == nullptr) return std::nullopt;
  // Lab issuance maps the object with its type's lab variant, when the type has one.
  if (input.issue_identity)
    if (const Table* lab = tables.lab_variant(*table)) table = lab;
  MappedObject out;
  out.graph_type = object.type;
  out.payload_role = table->payload_role;
  out.platform = std::string(platform_name(input.platform));
  Mapper(tables, apple, object, input, diags).run(*table, object, out);
  return out;
}

}  // namespace mcc::map
