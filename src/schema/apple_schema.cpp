// SPDX-License-Identifier: Apache-2.0
#include "schema/apple_schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "base/ascii.hpp"
#include "base/carriable.hpp"
#include "base/fast_json.hpp"
#include "base/messages.hpp"
#include "base/key_path.hpp"
#include "base/pointer.hpp"
#include "schema/embedded.hpp"
#include "schema/key_spec_reader.hpp"

namespace mcc::schema {
namespace {

using nlohmann::json;

void merge(KeySpec& into, const KeySpec& from) {
  if (from.override) {  // the overlay corrects what the YAML says (a type it cannot express)
    into.type = from.type;
    into.values = from.values;
    into.min = from.min;
    into.max = from.max;
    into.items = from.items;
    into.reason = from.reason;
  }
  if (!from.reason.empty()) into.reason = from.reason;
  if (!from.missing_accepted.empty()) into.missing_accepted = from.missing_accepted;
  into.any_keys = into.any_keys || from.any_keys;
  if (from.items) {  // keys of array elements (the overlay's AlwaysOn.TunnelConfigurations keys)
    into.items = into.items ? std::make_shared<KeySpec>(*into.items) : std::make_shared<KeySpec>(*from.items);
    merge(*into.items, *from.items);
  }
  for (const auto& [k, v] : from.keys) {
    auto it = into.keys.find(k);
    if (it == into.keys.end()) into.keys.emplace(k, v);
    else merge(it->second, v);
  }
}

// Calls f(segment) for each segment of "A.B[].C": "A", "B", "[]", "C" ("[0]" counts as "[]"),
// without allocating; stops (and returns false) when f returns false.
template <class F>
bool for_each_segment(std::string_view path, F&& f) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '.' || c == '[') {
      if (i > start && !f(path.substr(start, i - start))) return false;
      if (c == '[') {
        while (i < path.size() && path[i] != ']') ++i;
        if (!f(std::string_view("[]"))) return false;
      }
      start = i + 1;
    }
  }
  if (start < path.size() && !f(path.substr(start))) return false;
  return true;
}

const char* plist_type(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::integer: return "integer";
    case Value::Kind::real: return "real";
    case Value::Kind::string: return "string";
    case Value::Kind::data: return "data";
    case Value::Kind::date: return "date";
    case Value::Kind::array: return "array";
    case Value::Kind::dict: return "dictionary";
  }
  return "?";
}

json as_json(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::string: return v.as_string();
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::real: return v.as_real();
    default: return nullptr;
  }
}

// Whether `v` equals one of `values` (JSON equality; a string is compared without a JSON copy).
// Values that have no JSON form (data, dates, arrays, dictionaries) pass.
bool one_of(const std::vector<json>& values, const Value& v) {
  if (v.is(Value::Kind::string))
    return std::any_of(values.begin(), values.end(),
                       [&](const json& j) { return j.is_string() && j.get_ref<const std::string&>() == v.as_string(); });
  json j = as_json(v);
  return j.is_null() || std::find(values.begin(), values.end(), j) != values.end();
}

// How a device reads a value whose plist type is not the schema's, where it reads it as the
// schema's type (profiles installed on devices do this; Apple's own examples mix the two):
// <true/> and <false/> where an integer is expected are 1 and 0; the integers 0 and 1 where a
// boolean is expected are false and true; a real without a fraction (PayloadVersion
// <real>1</real>) where an integer is expected is that integer. Nothing for anything else.
std::optional<Value> device_reading(const KeySpec& spec, const Value& v) {
  if (v.is(Value::Kind::boolean) && spec.accepts_type("integer")) return Value(std::int64_t{v.as_bool() ? 1 : 0});
  if (v.is(Value::Kind::integer) && spec.accepts_type("boolean") && (v.as_int() == 0 || v.as_int() == 1))
    return Value(v.as_int() == 1);
  if (v.is(Value::Kind::real) && spec.accepts_type("integer")) {
    const double d = v.as_real();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e15) return Value(static_cast<std::int64_t>(d));
  }
  return std::nullopt;
}

// Whether `text` contains `part`, ignoring ASCII case.
bool icontains(std::string_view text, std::string_view part) {
  if (part.empty() || part.size() > text.size()) return part.empty();
  for (std::size_t i = 0; i + part.size() <= text.size(); ++i)
    if (iequals(text.substr(i, part.size()), part)) return true;
  return false;
}

// Whether key path `path` is `prefix` or lies inside it ("A[3].B" is inside "A"; "AB" is not).
bool inside(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

// "IKEv2.OnDemandRules[0].Action" → "/IKEv2/OnDemandRules/0/Action", for key paths the schema
// names (dependencies) and uncarriable text; a key holding '.' or '[' cannot be told apart here.
std::string pointer_of(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '.' && path[i] != '[') continue;
    if (i > start) out = pointer_join(out, path.substr(start, i - start));
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) return out;
      out = pointer_join(out, path.substr(i + 1, close - i - 1));
      i = close;
    }
    start = i + 1;
  }
  return out;
}

// Walks a value along its spec; `path_` is the key path of the value being looked at,
// grown and cut back in place rather than built anew for every key; `tokens_` its JSON
// pointer tokens, turned into a pointer only for a value that has a problem.
class Walker {
 public:
  // `root`: the payload's (or the top level's) spec, where a key found at the wrong level is looked for.
  Walker(const KeySpec& root, Platform p, std::vector<SchemaIssue>& out, std::string base_pointer = {})
      : root_(root), platform_(p), out_(out), base_pointer_(std::move(base_pointer)) {}

  // `skip`: a key left out on both sides (the profile's PayloadContent).
  void dict(const KeySpec& spec, const Value& v, std::string_view skip = {}) {
    const std::size_t base = path_.size();
    auto enter = [&](std::string_view key) {
      if (base > 0) path_ += '.';
      path_ += key;
      tokens_.push_back({key, 0});
    };
    auto leave = [&] {
      path_.resize(base);
      tokens_.pop_back();
    };
    for (const auto& m : v.as_dict()) {
      if (!skip.empty() && m.key == skip) continue;
      enter(m.key);
      auto it = spec.keys.find(m.key);
      if (it == spec.keys.end()) {
        if (!spec.any_keys) unknown(m.key, base);
      } else if (!it->second.available_on(platform_)) {
        out_.push_back({SchemaIssue::Kind::not_on_platform, path_,
                        msg::schema_key_not_on_platform({"", pointer()}, path_, platform_name(platform_))});
      } else {
        value(it->second, m.value);
      }
      leave();
    }
    for (const auto& [k, s] : spec.keys)
      if (s.required && (skip.empty() || k != skip) && v.find(k) == nullptr && s.available_on(platform_)) {
        enter(k);
        if (s.missing_accepted.empty()) {
          out_.push_back({SchemaIssue::Kind::missing_required, path_, msg::schema_key_missing({"", pointer()}, path_)});
        } else {
          SchemaIssue issue{SchemaIssue::Kind::missing_required, path_, msg::schema_missing_accepted({"", pointer()}, path_, s.missing_accepted)};
          issue.accepted = true;
          out_.push_back(std::move(issue));
        }
        leave();
      }
  }

 private:
  // A dictionary key, or an array index (key empty).
  struct Token {
    std::string_view key;
    std::size_t index;
  };

  // A key the dictionary does not have: at the wrong level when the payload has it elsewhere.
  void unknown(std::string_view key, std::size_t here) {
    const std::string elsewhere = where_else(key, here);
    out_.push_back({SchemaIssue::Kind::unknown_key, path_,
                    elsewhere.empty() ? msg::schema_unknown_key({"", pointer()}, path_)
                                      : msg::schema_key_misplaced({"", pointer()}, path_, elsewhere)});
  }

  // Where else in the root spec a key named `key` is, as a key path ("IKEv2.EnableFallback";
  // an array's elements as "[]"): of several, the one sharing most leading keys with the
  // dictionary it was found in (path_ up to `here`), then the shortest. "" when nowhere.
  std::string where_else(std::string_view key, std::size_t here) {
    if (!indexed_) {  // once per walk: a profile may hold many unknown keys
      std::string at;
      collect(root_, at, index_, 0);
      indexed_ = true;
    }
    std::vector<std::string_view> parent;
    for_each_segment(std::string_view(path_).substr(0, here), [&](std::string_view seg) { parent.push_back(seg); return true; });
    std::string best;
    std::size_t best_shared = 0;
    for (auto [it, end] = index_.equal_range(key); it != end; ++it) {
      const std::string& f = it->second;
      std::size_t shared = 0;
      bool same = true;
      for_each_segment(f, [&](std::string_view seg) {
        same = same && shared < parent.size() && parent[shared] == seg;
        if (same) ++shared;
        return same;
      });
      if (best.empty() || shared > best_shared || (shared == best_shared && f.size() < best.size())) {
        best = f;
        best_shared = shared;
      }
    }
    return best;
  }

  // Every key name in `spec` → its key paths.
  using Index = std::multimap<std::string, std::string, std::less<>>;
  static void collect(const KeySpec& spec, std::string& at, Index& index, int depth) {
    if (depth > 16) return;  // the schema is a tree a few levels deep; a bound all the same
    if (spec.items) {
      const std::size_t base = at.size();
      at += "[]";
      collect(*spec.items, at, index, depth + 1);
      at.resize(base);
    }
    for (const auto& [name, sub] : spec.keys) {
      const std::size_t base = at.size();
      if (!at.empty()) at += '.';
      at += name;
      index.emplace(name, at);
      collect(sub, at, index, depth + 1);
      at.resize(base);
    }
  }

  std::string pointer() const {
    std::string out = base_pointer_;
    for (const auto& t : tokens_) out = t.key.data() != nullptr ? pointer_join(out, t.key) : pointer_join(out, t.index);
    return out;
  }

  void value(const KeySpec& spec, const Value& v) {
    if (auto issue = AppleSchema::check_value(spec, v, path_)) {
      issue->diagnostic.pointer = pointer();  // built only for a value with a problem
      out_.push_back(std::move(*issue));
      return;
    }
    if (v.is(Value::Kind::dict) && (!spec.keys.empty() || spec.any_keys)) dict(spec, v);
    if (v.is(Value::Kind::array) && spec.items) {
      const std::size_t base = path_.size();
      const auto& a = v.as_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        path_.append(1, '[').append(std::to_string(i)).append(1, ']');
        tokens_.push_back({{}, i});
        value(*spec.items, a[i]);
        tokens_.pop_back();
        path_.resize(base);
      }
    }
  }

  const KeySpec& root_;
  Index index_;  // of root_, built on the first unknown key
  bool indexed_ = false;
  Platform platform_;
  std::vector<SchemaIssue>& out_;
  std::string base_pointer_;
  std::string path_;
  std::vector<Token> tokens_;
};

// Strings and keys anywhere in the profile, known to the schema or not, that no plist can carry.
void add_uncarriable_text(const Value& profile, std::vector<SchemaIssue>& out) {
  for (const auto& bad : find_uncarriable_text(profile))
    out.push_back({SchemaIssue::Kind::uncarriable, bad.path, msg::uncarriable_value({"", pointer_of(bad.path)}, bad.subject(), bad.what)});
}

}  // namespace

bool KeySpec::available_on(Platform p) const {
  auto it = platforms.find(platform_name(p));
  return it == platforms.end() || it->second != "n/a";
}

bool KeySpec::is_default(const Value& v) const {
  if (!default_value) return false;
  const nlohmann::json& d = *default_value;
  if (d.is_string()) return v.is(Value::Kind::string) && v.as_string() == d.get<std::string>();
  if (!d.is_boolean() && !d.is_number()) return false;
  const double want = d.is_boolean() ? (d.get<bool>() ? 1 : 0) : d.get<double>();
  const auto got = v.device_number();
  return got && *got == want;
}

bool KeySpec::accepts_type(std::string_view got) const {
  // As views: compared by length first, without a strlen of the literal.
  const std::string_view t = type;
  if (t == got || t == std::string_view("any")) return true;
  for (std::size_t start = 0; start < t.size();) {
    std::size_t end = t.find(" or ", start);
    if (t.substr(start, end == std::string::npos ? std::string::npos : end - start) == got) return true;
    if (end == std::string::npos) break;
    start = end + 4;
  }
  return false;
}

std::string KeySpec::allowed_text() const {
  if (!values.empty()) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
    return out;
  }
  if (min || max)
    return (min ? std::to_string(*min) : std::string("any")) + " to " + (max ? std::to_string(*max) : std::string("any"));
  return "a " + type;
}

void AppleSchema::read_shared(const json& derived, const json& overlay) {
  static const json no_secrets = json::object();
  const json& secret_keys = overlay.contains("secretKeys") ? overlay.at("secretKeys") : no_secrets;
  secret_names_ = secret_keys.value("names", std::vector<std::string>{});
  secret_name_parts_ = secret_keys.value("nameParts", std::vector<std::string>{});
  secret_paths_ = secret_keys.value("paths", std::map<std::string, std::vector<std::string>, std::less<>>{});
  if (auto it = overlay.find("identityKeys"); it != overlay.end()) identity_keys_ = it->at("keys").get<std::vector<std::string>>();
  common_ = payload_spec_from_json(derived.at("common"), secret_names_);
  toplevel_ = payload_spec_from_json(derived.at("toplevel"), secret_names_);
}

namespace {

const json& member_or_empty(const json& j, const char* name) {
  static const json empty_object = json::object();
  auto it = j.find(name);
  return it == j.end() ? empty_object : *it;
}

// The overlay's "required when" rules, each with the payload type it is for.
std::vector<std::pair<std::string, Dependency>> read_dependencies(const json& overlay) {
  std::vector<std::pair<std::string, Dependency>> out;
  for (const auto& dep : overlay.value("dependencies", json::array())) {
    Dependency d;
    const json& when = dep.at("if");
    d.conditions = when.is_array() ? when.get<std::vector<std::string>>() : std::vector<std::string>{when.get<std::string>()};
    d.then_key = dep.at("then").get<std::string>();
    out.emplace_back(dep.at("payload").get<std::string>(), std::move(d));
  }
  return out;
}

// Runs `read`, which builds a schema from the documents: what it cannot read (a member of
// the wrong JSON type; an inherit or dependency naming a type the schema does not have) is
// reported, not thrown.
template <class Read>
auto read_or_report(Diagnostics& diags, Read read) -> decltype(std::optional(read())) {
  try {
    return read();
  } catch (const json::exception& e) {
    diags.add(msg::table_invalid("schemas/apple-payloads.json", "", e.what()));
  } catch (const std::out_of_range& e) {
    diags.add(msg::table_invalid("schemas/apple-payloads.json", "", e.what()));
  }
  return std::nullopt;
}

}  // namespace

std::optional<AppleSchema> AppleSchema::from_json(const json& derived, const json& overlay, Diagnostics& diags) {
  return read_or_report(diags, [&] {
    AppleSchema s;
    s.read_shared(derived, overlay);
    for (const auto& [name, p] : derived.at("payloads").items()) s.payloads_[name].spec = payload_spec_from_json(p, s.secret_names_);
    for (const auto& [name, p] : member_or_empty(overlay, "payloads").items()) {
      PayloadSpec extra = payload_spec_from_json(p, s.secret_names_);
      merge(s.payloads_[name].spec.root, extra.root);
    }
    // from_text reads these one type at a time: a type inherits what its source type has
    // before the source's own inheritance (none in the overlay is inherited in turn).
    for (const auto& [name, rule] : member_or_empty(overlay, "inherit").items()) {
      auto& into = s.payloads_.at(name).spec.root;
      merge(into, s.payloads_.at(rule.at("from").get<std::string>()).spec.root);
    }
    for (auto& [name, e] : s.payloads_) merge(e.spec.root, s.common_.root);
    for (auto& [type, d] : read_dependencies(overlay)) s.payloads_.at(type).spec.dependencies.push_back(std::move(d));
    return s;
  });
}

std::optional<AppleSchema> AppleSchema::from_text(std::string_view derived, std::string_view overlay, Diagnostics& diags) {
  using Members = std::vector<std::pair<std::string_view, std::string_view>>;
  // Each document's members, and those of its payload types, in one pass (for the built-in
  // files, from the index the build made with that pass).
  auto derived_index = embedded::object_members(derived, "payloads"), overlay_index = embedded::object_members(overlay, "payloads");
  std::optional<Members> derived_payloads, overlay_payloads;
  // Everything but the payload types, read now (a few kilobytes).
  json shared_derived = json::object(), shared_overlay = json::object();
  bool indexed = derived_index && overlay_index;
  auto read_members = [&](const Members& top, json& into, std::optional<Members>& payloads, const std::optional<Members>& inner) {
    for (const auto& [key, value] : top) {
      if (key == "payloads") {
        payloads = inner;
        if (!payloads) indexed = false;  // not an object
      } else if (key == "common" || key == "toplevel" || key == "secretKeys" || key == "identityKeys" || key == "inherit" ||
                 key == "dependencies") {
        json j = parse_json_or_discarded(value);
        if (j.is_discarded()) indexed = false;
        into[std::string(key)] = std::move(j);
      }
    }
  };
  if (indexed) {
    read_members(derived_index->first, shared_derived, derived_payloads, derived_index->second);
    read_members(overlay_index->first, shared_overlay, overlay_payloads, overlay_index->second);
    if (!derived_payloads) indexed = false;
  }
  if (!indexed) {
    json d = parse_json_or_discarded(derived), o = parse_json_or_discarded(overlay);
    if (d.is_discarded()) diags.add(msg::table_io("schemas/apple-payloads.json", "embedded schema is not valid JSON"));
    if (o.is_discarded()) diags.add(msg::table_io("schemas/apple-overlay.json", "embedded schema is not valid JSON"));
    if (d.is_discarded() || o.is_discarded()) return std::nullopt;
    return from_json(d, o, diags);
  }
  return read_or_report(diags, [&] {
    AppleSchema s;
    s.read_shared(shared_derived, shared_overlay);
    auto index = [&](const Members& payloads, std::string_view Entry::*text) {
      for (const auto& [name, value] : payloads) {
        Entry& e = s.payloads_[std::string(name)];
        e.*text = value;  // a repeated name: the last, as in JSON
        if (!e.once) e.once = std::make_unique<std::once_flag>();
      }
    };
    index(*derived_payloads, &Entry::derived);
    if (overlay_payloads) index(*overlay_payloads, &Entry::overlay);
    for (const auto& [name, rule] : member_or_empty(shared_overlay, "inherit").items())
      s.payloads_.at(name).from = &s.payloads_.at(rule.at("from").get<std::string>());
    for (auto& [type, d] : read_dependencies(shared_overlay)) s.payloads_.at(type).spec.dependencies.push_back(std::move(d));
    return s;
  });
}

// A type's own keys: its payloads.<type> in the derived schema, with the overlay's merged
// in; nothing when either text does not read.
std::optional<KeySpec> AppleSchema::own_root(const Entry& entry) const {
  auto parse = [&](std::string_view text) -> std::optional<KeySpec> {
    if (auto root = payload_root_from_text(text, secret_names_)) return root;  // one pass, no DOM
    const json j = parse_json_or_discarded(text);
    if (j.is_discarded()) return std::nullopt;
    return payload_spec_from_json(j, secret_names_).root;
  };
  std::optional<KeySpec> root = entry.derived.empty() ? KeySpec{} : parse(entry.derived);  // only the overlay's: empty, as from_json makes it
  if (root && !entry.overlay.empty()) {
    std::optional<KeySpec> extra = parse(entry.overlay);
    if (!extra) return std::nullopt;
    merge(*root, *extra);
  }
  return root;
}

void AppleSchema::read(const Entry& entry) const {
  std::call_once(*entry.once, [&] {
    // The one write to an entry, before anyone reads its spec: payload() comes through
    // here, and call_once orders every reader after it. The built-in text reads without an
    // exception (tests/unit); a type that did not would be one the schema does not carry.
    auto& own = const_cast<Entry&>(entry);
    try {
      std::optional<KeySpec> root = own_root(entry);
      std::optional<KeySpec> inherited = entry.from ? own_root(*entry.from) : std::nullopt;
      if (!root || (entry.from && !inherited)) {
        own.failed = true;
        return;
      }
      if (inherited) merge(*root, *inherited);
      merge(*root, common_.root);
      own.spec.root = std::move(*root);
    } catch (const json::exception&) {
      own.failed = true;
    }
  });
}

const PayloadSpec* AppleSchema::payload(std::string_view type) const {
  auto it = payloads_.find(type);
  if (it == payloads_.end()) return nullptr;
  const Entry& e = it->second;
  if (e.once) read(e);
  return e.failed ? nullptr : &e.spec;
}

std::vector<std::string> AppleSchema::payload_types() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : payloads_) out.push_back(name);
  return out;
}

AppleSchema::Lookup AppleSchema::lookup(std::string_view payload_type, std::string_view path, Platform p) const {
  const PayloadSpec* ps = payload(payload_type);
  if (ps == nullptr) return {};
  const KeySpec* cur = &ps->root;
  Lookup out;
  bool found = for_each_segment(path, [&](std::string_view seg) {
    if (seg == "[]") {
      if (!cur->items) return false;
      cur = cur->items.get();
      return true;
    }
    auto it = cur->keys.find(seg);
    if (it == cur->keys.end()) return false;
    cur = &it->second;
    out.available = cur->available_on(p);
    return out.available;
  });
  if (found) out.spec = cur;
  return out;
}

bool AppleSchema::secret_name(std::string_view key) const {
  return std::any_of(secret_names_.begin(), secret_names_.end(), [&](const std::string& n) { return iequals(n, key); }) ||
         std::any_of(secret_name_parts_.begin(), secret_name_parts_.end(), [&](const std::string& p) { return icontains(key, p); });
}

bool AppleSchema::is_secret(std::string_view payload_type, std::string_view path) const {
  if (auto it = secret_paths_.find(payload_type); it != secret_paths_.end())
    for (const auto& p : it->second)
      if (inside(path, p)) return true;
  const PayloadSpec* ps = payload(payload_type);
  const KeySpec* known = ps ? &ps->root : nullptr;  // null once the path leaves what the schema knows
  bool secret = false;
  for_each_segment(path, [&](std::string_view seg) {
    if (known) {
      if (seg == "[]") {
        known = known->items.get();
      } else {
        auto it = known->keys.find(seg);
        known = it == known->keys.end() ? nullptr : &it->second;
      }
      if (known) {
        secret = known->secret;
        return !secret;
      }
    }
    secret = seg != "[]" && secret_name(seg);
    return !secret;  // a key inside a secret is a secret too
  });
  return secret;
}

bool AppleSchema::holds_secret(std::string_view payload_type, const Value& value) const {
  const PayloadSpec* ps = payload_type.empty() ? nullptr : payload(payload_type);
  auto paths = secret_paths_.find(payload_type);
  std::string path;
  return holds_secret(paths == secret_paths_.end() ? nullptr : &paths->second, path, ps ? &ps->root : nullptr, value);
}

// is_secret's walk, once for a whole value: a key is secret by its spec while the schema
// knows it, by its name once it does not; `path` is kept only for the payload type's secret
// paths.
bool AppleSchema::holds_secret(const std::vector<std::string>* paths, std::string& path, const KeySpec* known, const Value& v) const {
  const std::size_t base = path.size();
  auto listed = [&] {
    return paths && std::any_of(paths->begin(), paths->end(), [&](const std::string& p) { return inside(path, p); });
  };
  if (v.is(Value::Kind::dict)) {
    for (const auto& m : v.as_dict()) {
      const KeySpec* spec = nullptr;
      if (known)
        if (auto it = known->keys.find(m.key); it != known->keys.end()) spec = &it->second;
      if (spec ? spec->secret : secret_name(m.key)) return true;
      if (paths) {
        if (base > 0) path += '.';
        path += m.key;
        if (listed()) return true;
      }
      const bool found = holds_secret(paths, path, spec, m.value);
      path.resize(base);
      if (found) return true;
    }
  } else if (v.is(Value::Kind::array)) {
    const KeySpec* spec = known ? known->items.get() : nullptr;
    if (spec && spec->secret && !v.as_array().empty()) return true;
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
      if (paths) {
        path.append(1, '[').append(std::to_string(i)).append(1, ']');
        if (listed()) return true;
      }
      const bool found = holds_secret(paths, path, spec, v.as_array()[i]);
      path.resize(base);
      if (found) return true;
    }
  }
  return false;
}

std::optional<SchemaIssue> AppleSchema::check_value(const KeySpec& spec, const Value& v, const std::string& path,
                                                    const std::string& pointer) {
  const char* got = plist_type(v);
  std::optional<Value> read_as;
  if (!spec.accepts_type(got)) {
    read_as = device_reading(spec, v);
    if (!read_as) return SchemaIssue{SchemaIssue::Kind::wrong_type, path, msg::schema_wrong_type({"", pointer}, path, spec.type, got)};
  }
  const Value& x = read_as ? *read_as : v;  // the value as a device reads it
  if ((!spec.values.empty() && !one_of(spec.values, x)) ||
      (x.is(Value::Kind::integer) && ((spec.min && x.as_int() < *spec.min) || (spec.max && x.as_int() > *spec.max))))
    return SchemaIssue{SchemaIssue::Kind::not_allowed, path,
                       msg::schema_value_not_allowed({"", pointer}, path, spec.allowed_text(), spec.reason)};
  if (read_as) {
    SchemaIssue issue{SchemaIssue::Kind::wrong_type, path, msg::schema_type_accepted({"", pointer}, path, spec.type, got)};
    issue.accepted = true;
    return issue;
  }
  return std::nullopt;
}

namespace {

// The payload's issues, with key paths relative to it and pointers below `base_pointer`.
void validate_one_payload(const AppleSchema& schema, const Value& payload, Platform p, const std::string& base_pointer,
                          std::vector<SchemaIssue>& out) {
  static const std::string kType = "PayloadType";
  const std::string type_pointer = pointer_join(base_pointer, kType);
  const Value* type = payload.find(kType);
  if (type == nullptr) {
    out.push_back({SchemaIssue::Kind::missing_required, kType, msg::schema_key_missing({"", type_pointer}, kType)});
    return;
  }
  if (!type->is(Value::Kind::string)) {
    out.push_back({SchemaIssue::Kind::wrong_type, kType, msg::schema_wrong_type({"", type_pointer}, kType, "string", plist_type(*type))});
    return;
  }
  const PayloadSpec* spec = schema.payload(type->as_string());
  if (spec == nullptr) {
    out.push_back({SchemaIssue::Kind::unknown_key, kType, msg::schema_unknown_payload_type({"", type_pointer}, type->as_string())});
    return;
  }
  if (!spec->root.available_on(p)) {
    out.push_back({SchemaIssue::Kind::not_on_platform, kType,
                   msg::schema_payload_not_on_platform({"", type_pointer}, type->as_string(), platform_name(p))});
    return;
  }
  Walker(spec->root, p, out, base_pointer).dict(spec->root, payload);
  for (const auto& dep : spec->dependencies) {
    if (find_path(payload, dep.then_key)) continue;
    std::string because;
    bool holds = true;
    for (const auto& c : dep.conditions) {
      const auto eq = c.find('=');
      const Value* v = find_path(payload, std::string_view(c).substr(0, eq));
      if (v && eq != std::string::npos) {
        const std::string want = c.substr(eq + 1);
        holds = (v->is(Value::Kind::string) && v->as_string() == want) ||
                (v->is(Value::Kind::integer) && std::to_string(v->as_int()) == want);
      } else {
        holds = v != nullptr;
      }
      if (!holds) break;
      because += (because.empty() ? "" : " and ") + (eq == std::string::npos ? c + " is set" : c.substr(0, eq) + " is " + c.substr(eq + 1));
    }
    if (holds)
      out.push_back({SchemaIssue::Kind::missing_required, dep.then_key,
                     msg::schema_key_required_when({"", base_pointer + pointer_of(dep.then_key)}, dep.then_key, because)});
  }
}

}  // namespace

std::vector<SchemaIssue> AppleSchema::validate_payload(const Value& payload, Platform p) const {
  std::vector<SchemaIssue> out;
  validate_one_payload(*this, payload, p, "", out);
  return out;
}

std::vector<SchemaIssue> AppleSchema::validate_profile(const Value& profile, Platform p, TextCheck text) const {
  static const std::string kContent = "PayloadContent";
  std::vector<SchemaIssue> out;
  if (text == TextCheck::check) add_uncarriable_text(profile, out);
  if (!profile.is(Value::Kind::dict)) {
    out.push_back({SchemaIssue::Kind::wrong_type, "", msg::schema_wrong_type({}, "the profile", "dictionary", plist_type(profile))});
    return out;
  }
  // Payloads are validated one by one below: the top level is checked without PayloadContent
  // (and without copying the profile or the spec).
  Walker(toplevel_.root, p, out).dict(toplevel_.root, profile, kContent);
  const std::string content_pointer = pointer_join("", kContent);
  const Value* content = profile.find(kContent);
  if (content == nullptr) {
    out.push_back({SchemaIssue::Kind::missing_required, kContent, msg::schema_key_missing({"", content_pointer}, kContent)});
    return out;
  }
  if (!content->is(Value::Kind::array)) {
    out.push_back({SchemaIssue::Kind::wrong_type, kContent,
                   msg::schema_wrong_type({"", content_pointer}, kContent, "array", plist_type(*content))});
    return out;
  }
  const auto& items = content->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string prefix = kContent + "[" + std::to_string(i) + "]";
    std::string item_pointer = pointer_join(content_pointer, i);
    if (!items[i].is(Value::Kind::dict)) {
      out.push_back({SchemaIssue::Kind::wrong_type, prefix, msg::schema_wrong_type({"", item_pointer}, prefix, "dictionary", plist_type(items[i]))});
      continue;
    }
    const std::size_t first = out.size();
    validate_one_payload(*this, items[i], p, item_pointer, out);
    for (std::size_t k = first; k < out.size(); ++k) {
      out[k].payload = i;
      out[k].key = out[k].path;
      out[k].path = prefix + "." + out[k].path;
    }
  }
  return out;
}

PlatformGuess AppleSchema::detect_platform(const Value& profile) const {
  // The profile's own words first, when they name one platform alone: keys of the other
  // platform are common in real profiles (Apple Configurator writes iOS-only keys at their
  // defaults into macOS profiles), and a device ignores them.
  bool says_ios = false, says_macos = false;
  if (profile.is(Value::Kind::dict))
    for (const auto& m : profile.as_dict()) {
      if (!m.value.is(Value::Kind::string)) continue;
      const std::string& text = m.value.as_string();
      for (std::size_t i = 0; i < text.size();) {  // words of letters and digits
        while (i < text.size() && !std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t end = i;
        while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
        const std::string_view word = std::string_view(text).substr(i, end - i);
        if (iequals(word, "macos") || iequals(word, "osx")) says_macos = true;
        if (iequals(word, "ios") || iequals(word, "ipados") || iequals(word, "iphone") || iequals(word, "ipad")) says_ios = true;
        i = end;
      }
    }
  if (says_macos != says_ios) return {says_macos ? Platform::macos : Platform::ios, "its name"};
  auto unavailable = [&](Platform p) {
    std::size_t n = 0;
    for (const auto& issue : validate_profile(profile, p)) n += issue.kind == SchemaIssue::Kind::not_on_platform;
    return n;
  };
  const std::size_t on_ios = unavailable(Platform::ios), on_macos = unavailable(Platform::macos);
  if (on_ios != on_macos) return {on_ios < on_macos ? Platform::ios : Platform::macos, "its keys and payload types"};
  return {Platform::ios, ""};
}

}  // namespace mcc::schema
