// SPDX-License-Identifier: Apache-2.0
#include "map/table.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <set>

#include "base/ascii.hpp"
#include "base/fast_json.hpp"
#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "base/key_path.hpp"
#include "base/strings.hpp"
#include "mobileconfigc/platform.hpp"
#include "schema/embedded.hpp"

namespace mcc::map {
namespace {

using nlohmann::json;
// Includes multiply rows; a hostile --mappings table could otherwise expand without bound. The
// bound counts the includes followed as well as the rows taken: includes of tables that hold
// few or no rows nest into as many steps as rows (30 includes a level, 9 levels deep, is 30^8
// steps and no row).
constexpr std::size_t kMaxExpandedRows = 20000;

const std::set<std::string> kRowFields = {
    "from", "to", "scope", "none", "notice", "ifUnset", "error", "warnIfSet", "value", "as", "enum", "unmapped", "enumNotes", "prefer",
    "table", "each", "transform", "args", "when", "unless", "quietWhenSkipped", "secret",
    "include", "with", "except", "platforms", "note", "source"};
const std::set<std::string> kTableFields = {"$schema", "table", "graphType", "platform", "payload", "variants",
                                            "labVariant", "rows", "note", "source"};
const std::set<std::string> kPayloadFields = {"type", "role"};
const std::set<std::string> kVariantFields = {"when", "unless", "type", "note", "source"};
const std::set<std::string> kEnumMemberFields = {"member", "value", "note", "source"};
const std::set<std::string> kCoercions = {"", "integer01", "invert01", "nonEmpty01", "data", "string"};

// Whether `key` is a row field. It is asked of every member of every row a process reads, so
// it looks among the few fields of the key's length and first letter rather than through the
// set's string compares.
bool is_row_field(std::string_view key) {
  auto slot = [](std::string_view name) {
    return (name.size() % 16) * 16 + (name.empty() ? 0u : static_cast<unsigned char>(name[0]) % 16u);
  };
  static const auto buckets = [&slot] {
    std::array<std::vector<std::string_view>, 256> out;
    for (const std::string& f : kRowFields) out[slot(f)].push_back(f);
    return out;
  }();
  const auto& bucket = buckets[slot(key)];
  return std::find(bucket.begin(), bucket.end(), key) != bucket.end();
}

struct Loader {
  const std::string& source;
  Diagnostics& diags;
  bool ok = true;

  void fail(const std::string& ptr, const std::string& why) {
    diags.add(msg::table_invalid(source, ptr, why));
    ok = false;
  }

  std::vector<Condition> conditions(const json& j, const std::string& ptr) {
    std::vector<Condition> out;
    if (!j.is_object()) {
      fail(ptr, "conditions must be an object of {pointer: value}");
      return out;
    }
    for (const auto& [p, v] : j.items()) {
      if (p.empty() || p.front() != '/') fail(ptr, "condition pointer " + msg::quote(p, '\'') + " must start with '/'");
      out.push_back({p, v.is_array() ? v.get<std::vector<json>>() : std::vector<json>{v}});
    }
    return out;
  }

  // `enum`: {member: value} (short form), or [{member, value, note, source}] (long form,
  // for members whose mapping needs its reason and evidence next to it).
  void enum_members(json& j, Row& r, const std::string& ptr) {
    if (j.is_object()) {
      r.enum_map = std::move(j);
      return;
    }
    if (!j.is_array()) {
      fail(ptr, "'enum' must be an object of {member: value} or an array of {member, value, note, source}");
      return;
    }
    json map = json::object();
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at = ptr + "/" + std::to_string(i);
      json& m = j[i];
      if (!m.is_object()) {
        fail(at, "an enum member must be an object");
        continue;
      }
      for (const auto& [k, v] : m.items())
        if (!kEnumMemberFields.count(k)) fail(at, "unknown enum member field " + msg::quote(k, '\''));
      if (!m.contains("member") || !m["member"].is_string() || !m.contains("value")) {
        fail(at, "an enum member has a 'member' (a string) and a 'value'");
        continue;
      }
      const std::string name = m["member"].get<std::string>();
      if (map.contains(name)) fail(at, "the member " + msg::quote(name, '\'') + " is listed twice");
      EnumMemberDoc doc;
      if (m.contains("note")) doc.note = m["note"].get<std::string>();
      if (m.contains("source")) doc.source = m["source"].get<std::string>();
      if (!doc.note.empty() || !doc.source.empty()) r.enum_docs[name] = std::move(doc);
      map[name] = std::move(m["value"]);
    }
    r.enum_map = std::move(map);
  }

  std::vector<Variant> variants(json& j, const std::string& table_name) {
    std::vector<Variant> out;
    if (!j.is_array()) {
      fail("/variants", "'variants' must be an array");
      return out;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string ptr = "/variants/" + std::to_string(i);
      const json& v = j[i];
      if (!v.is_object()) {
        fail(ptr, "a variant must be an object");
        continue;
      }
      for (const auto& [k, e] : v.items())
        if (!kVariantFields.count(k)) fail(ptr, "unknown variant field " + msg::quote(k, '\''));
      Variant var;
      var.index = i;
      var.table_name = table_name;
      try {
        var.payload_type = v.at("type").get<std::string>();
        if (v.contains("when")) var.when = conditions(v["when"], ptr);
        if (v.contains("unless")) var.unless = conditions(v["unless"], ptr);
        if (v.contains("note")) var.note = v["note"].get<std::string>();
        if (v.contains("source")) var.source = v["source"].get<std::string>();
      } catch (const json::exception& e) {
        fail(ptr, e.what());
        continue;
      }
      if (var.when.empty() && var.unless.empty()) fail(ptr, "a variant needs a 'when' or 'unless' condition");
      out.push_back(std::move(var));
    }
    return out;
  }

  // Fills `r`, a new row in its place in its table (rows are large: built there, not moved
  // there); moves values out of j.
  void row(Row& r, json& j, std::size_t index, const std::string& table_name) {
    std::string ptr = "/rows/" + std::to_string(index);
    r.index = index;
    r.table_name = table_name;
    if (!j.is_object()) {
      fail(ptr, "a row must be an object");
      return;
    }
    // The row's few members, collected in one pass: each field below is then looked up among
    // them, not in the object (this runs for every row of every table at start-up, for two
    // dozen fields of which a row has a handful). get<T>() throws exactly what value() would
    // for a member of the wrong type.
    std::vector<std::pair<std::string_view, json*>> present;
    present.reserve(j.size());
    for (auto& [k, v] : j.get_ref<json::object_t&>()) {
      if (!is_row_field(k)) fail(ptr, "unknown row field " + msg::quote(k, '\''));
      present.emplace_back(k, &v);
    }
    auto member = [&present](std::string_view key) -> json* {
      for (const auto& [name, value] : present)
        if (name == key) return value;
      return nullptr;
    };
    auto text_or = [&](const char* key, const char* fallback) {
      const json* m = member(key);
      return m ? m->get<std::string>() : std::string(fallback);
    };
    auto flag_or = [&](const char* key, bool fallback) {
      const json* m = member(key);
      return m ? m->get<bool>() : fallback;
    };
    try {
      if (const json* from = member("from")) {
        r.from = from->get<std::string>();
        if (!r.from->empty() && r.from->front() != '/') fail(ptr, "'from' must be a JSON pointer");
      }
      r.to = text_or("to", "");
      const std::string scope = text_or("scope", "payload");
      if (scope != "payload" && scope != "profile" && scope != "issuance")
        fail(ptr, "'scope' is payload, profile or issuance, not " + msg::quote(scope, '\''));
      r.profile_scope = scope == "profile";
      r.issuance_scope = scope == "issuance";
      r.note = text_or("note", "");
      r.source = text_or("source", "");
      r.secret = flag_or("secret", false);
      r.as = text_or("as", "");
      if (!kCoercions.count(r.as)) fail(ptr, "unknown coercion " + msg::quote(r.as, '\''));
      if (r.profile_scope && r.to.find_first_of(".[]") != std::string::npos)
        fail(ptr, "a 'scope: profile' row writes one top-level key: 'to' is a key name, not a path");
      if (r.issuance_scope && r.to.find_first_of(".[]") != std::string::npos)
        fail(ptr, "a 'scope: issuance' row writes one field of the issuance request: 'to' is a name, not a path");
      if (const json* when = member("when")) r.when = conditions(*when, ptr);
      if (const json* unless = member("unless")) r.unless = conditions(*unless, ptr);
      r.quiet_skip = text_or("quietWhenSkipped", "");
      int kinds = 0;
      if (const json* m = member("include")) { r.kind = RowKind::include; r.nested = m->get<std::string>(); ++kinds; }
      if (const json* m = member("none")) { r.kind = RowKind::none; r.none_reason = m->get<std::string>(); ++kinds; }
      if (const json* m = member("notice")) { r.kind = RowKind::notice; r.notice = m->get<std::string>(); ++kinds; }
      if (const json* m = member("table")) { r.kind = RowKind::table; r.nested = m->get<std::string>(); ++kinds; }
      if (const json* m = member("each")) { r.kind = RowKind::each; r.nested = m->get<std::string>(); ++kinds; }
      if (const json* m = member("transform")) { r.kind = RowKind::transform; r.transform = m->get<std::string>(); ++kinds; }
      if (json* m = member("value")) { r.kind = RowKind::constant; r.value = std::move(*m); ++kinds; }
      if (kinds > 1) fail(ptr, "a row has exactly one of include, none, notice, table, each, transform, value");
      r.if_unset = flag_or("ifUnset", false);
      r.notice_error = flag_or("error", false);
      if ((r.if_unset || r.notice_error) && r.kind != RowKind::notice) fail(ptr, "'ifUnset' and 'error' belong to a 'notice' row");
      if (json* m = member("enum")) enum_members(*m, r, ptr + "/enum");
      r.unmapped_reason = text_or("unmapped", "");
      if (const json* m = member("enumNotes")) r.enum_notes = m->get<std::map<std::string, std::string>>();
      if (const json* m = member("prefer")) {
        r.prefer = m->get<std::vector<std::string>>();
        for (const auto& p : r.prefer)
          if (!r.enum_map || !r.enum_map->contains(p)) fail(ptr, "'prefer' names " + msg::quote(p, '\'') + ", which is not a member of 'enum'");
      }
      r.warn_if_set = flag_or("warnIfSet", false);
      // Checked against the transform's signature once every table is read (check_args).
      json* args = member("args");
      r.args = args ? std::move(*args) : json::object();
      if (!r.args.is_object()) fail(ptr, "'args' must be an object");
      if (const json* m = member("with")) r.with = m->get<std::map<std::string, std::string>>();
      if (const json* m = member("except")) r.except = m->get<std::vector<std::string>>();
      if (const json* m = member("platforms")) {
        r.platforms = m->get<std::vector<std::string>>();
        if (r.platforms.empty()) fail(ptr + "/platforms", "'platforms' lists at least one platform");
        for (const auto& p : r.platforms)
          if (!parse_platform(p)) fail(ptr + "/platforms", "a platform is ios or macos, not " + msg::quote(p, '\''));
      }
    } catch (const json::exception& e) {
      fail(ptr, e.what());
      return;
    }
    if (!r.platforms.empty() && (r.kind == RowKind::include || r.kind == RowKind::none || r.kind == RowKind::notice))
      fail(ptr, "'platforms' belongs on a row that writes a key, not on an include, none or notice row");
    switch (r.kind) {
      case RowKind::include: break;
      case RowKind::none:
        if (!r.from) fail(ptr, "a 'none' row names the property in 'from'");
        if (r.none_reason.empty()) fail(ptr, "a 'none' row gives the reason");
        break;
      case RowKind::notice:
        if (!r.from) fail(ptr, "a 'notice' row names the property in 'from'");
        if (r.notice.empty()) fail(ptr, "a 'notice' row gives the text");
        if (!r.to.empty()) fail(ptr, "a 'notice' row writes nothing: it has no 'to'");
        break;
      case RowKind::transform: break;
      case RowKind::constant:
        if (r.to.empty()) fail(ptr, "a 'value' row needs 'to'");
        break;
      default:
        if (!r.from || r.to.empty()) fail(ptr, "a row needs 'from' and 'to'");
    }
  }
};

}  // namespace

const char* arg_type_text(ArgType t) {
  switch (t) {
    case ArgType::string: return "a string";
    case ArgType::boolean: return "true or false";
    case ArgType::string_array: return "an array of strings";
    case ArgType::string_object: return "an object of strings";
    case ArgType::nullable_string_object: return "an object of strings or nulls";
    case ArgType::integer_object: return "an object of integers";
  }
  return "?";
}

namespace {

bool has_type(const json& v, ArgType t) {
  auto all = [&v](auto&& ok) { return std::all_of(v.begin(), v.end(), ok); };
  switch (t) {
    case ArgType::string: return v.is_string();
    case ArgType::boolean: return v.is_boolean();
    case ArgType::string_array: return v.is_array() && all([](const json& e) { return e.is_string(); });
    case ArgType::string_object: return v.is_object() && all([](const json& e) { return e.is_string(); });
    case ArgType::nullable_string_object:
      return v.is_object() && all([](const json& e) { return e.is_string() || e.is_null(); });
    case ArgType::integer_object: return v.is_object() && all([](const json& e) { return e.is_number_integer(); });
  }
  return false;
}

std::string arg_names(const TransformSignature& sig) {
  std::string out;
  for (const auto& a : sig.args) out += (out.empty() ? "" : ", ") + a.name;
  return out.empty() ? "none" : out;
}

// Checks a transform row's args against the transform's signature and fills in the
// fallbacks of optional arguments it leaves out; false after a diagnostic.
bool check_args(const TransformSignature& sig, json& args, std::set<std::string>& given, const std::string& source,
                const std::string& row_ptr, Diagnostics& diags) {
  if (!args.is_object()) return false;  // reported when the row was read
  const std::string at = row_ptr + "/args";
  bool ok = true;
  auto fail = [&](const std::string& ptr, const std::string& why) {
    diags.add(msg::table_invalid(source, ptr, "transform " + sig.name + ": " + why));
    ok = false;
  };
  for (const auto& [key, value] : args.items()) {
    given.insert(key);
    if (std::none_of(sig.args.begin(), sig.args.end(), [&key = key](const TransformArg& a) { return a.name == key; }))
      fail(pointer_join(at, key), "unknown argument " + msg::quote(key, '\'') + " (it takes: " + arg_names(sig) + ")");
  }
  for (const auto& a : sig.args) {
    auto it = args.find(a.name);
    if (it == args.end()) {
      if (a.required) fail(at, "the argument '" + a.name + "' (" + arg_type_text(a.type) + ") is required");
      else args[a.name] = a.fallback;
      continue;
    }
    if (!has_type(*it, a.type)) {
      fail(pointer_join(at, a.name), "the argument '" + a.name + "' must be " + arg_type_text(a.type) + ", not " +
                                         msg::shown(*it));
      continue;
    }
    if (!a.one_of.empty() && std::find(a.one_of.begin(), a.one_of.end(), it->get_ref<const std::string&>()) == a.one_of.end()) {
      fail(pointer_join(at, a.name), "the argument '" + a.name + "' must be one of " + join(a.one_of) + ", not " +
                                         msg::shown(*it));
    }
  }
  return ok;
}

}  // namespace

namespace {

// Reads one table file; nothing when it is not a JSON object. `ok` turns false after a
// diagnostic.
std::optional<Table> read_table(const std::string& source, std::string_view text, Diagnostics& diags, bool& ok) {
  Loader loader{source, diags};
  json j = parse_json_or_discarded(text);
  if (j.is_discarded() || !j.is_object()) {
    loader.fail("", "not a JSON object");
    ok = false;
    return std::nullopt;
  }
  Table t;
  t.source = source;
  for (const auto& [k, v] : j.items())
    if (!kTableFields.count(k)) loader.fail("", "unknown table field " + msg::quote(k, '\''));
  try {
    t.name = j.at("table").get<std::string>();
    if (j.contains("graphType")) t.graph_type = j["graphType"].get<std::string>();
    if (j.contains("platform")) t.platform = j["platform"].get<std::string>();
    if (t.platform && *t.platform != "ios" && *t.platform != "macos") loader.fail("/platform", "must be ios or macos");
    if (j.contains("payload")) {
      t.payload_type = j["payload"].at("type").get<std::string>();
      t.payload_role = j["payload"].at("role").get<std::string>();
      for (const auto& [k, v] : j["payload"].items())
        if (!kPayloadFields.count(k)) loader.fail("/payload", "unknown payload field " + msg::quote(k, '\''));
    }
    if (j.contains("variants")) t.variants = loader.variants(j["variants"], t.name);
    if (j.contains("labVariant")) t.lab_variant = j["labVariant"].get<std::string>();
    json& rows = j.at("rows");
    t.rows.reserve(rows.size());  // rows are large: no spare capacity, no copies as it grows
    for (std::size_t i = 0; i < rows.size(); ++i) loader.row(t.rows.emplace_back(), rows[i], i, t.name);
  } catch (const json::exception& e) {
    loader.fail("", e.what());
  }
  ok = ok && loader.ok;
  return t;
}

// The top level of a built-in table without reading its rows and variants: its name, Graph
// type, platform and payload, which index it (for_graph_type, supported_types) until it is
// used. Its members come from the index the build made (a copy of a built-in table, as the
// tests load, is skimmed instead), taken up to its rows: a built-in table ends with them
// (tests/unit keeps them so), nine tenths of its text, first passed over when the table is
// read. Nothing for anything it is not sure of (an escape in one of those strings, a missing
// name, a payload without type or role, text the skim refuses): such a table is read whole.
std::optional<Table> skim_table(std::string_view text) {
  auto members = embedded::indexed_members(text);
  if (!members) members = json_object_members(text);
  if (!members) return std::nullopt;
  Table t;
  bool named = false;
  for (const auto& [key, value] : *members) {
    if (key == "rows") break;
    if (key == "table" || key == "graphType" || key == "platform") {
      auto text_value = json_plain_string(value);
      if (!text_value) return std::nullopt;
      if (key == "table") {
        t.name = *text_value;
        named = true;
      } else if (key == "graphType") {
        t.graph_type = std::string(*text_value);
      } else {
        t.platform = std::string(*text_value);
      }
    } else if (key == "payload") {
      auto payload = json_object_members(value);
      if (!payload) return std::nullopt;
      std::optional<std::string> type, role;
      for (const auto& [k, v] : *payload) {
        if (k != "type" && k != "role") continue;
        auto text_value = json_plain_string(v);
        if (!text_value) return std::nullopt;
        (k == "type" ? type : role) = std::string(*text_value);
      }
      if (!type || !role) return std::nullopt;
      t.payload_type = std::move(type);
      t.payload_role = std::move(*role);
    }
  }
  if (!named || (t.platform && *t.platform != "ios" && *t.platform != "macos")) return std::nullopt;
  return t;
}

}  // namespace

std::optional<TableSet> TableSet::load(const std::vector<std::pair<std::string, std::string>>& files,
                                       const std::vector<TransformSignature>& transforms, Diagnostics& diags,
                                       bool built_in) {
  std::vector<std::pair<std::string_view, std::string_view>> views(files.begin(), files.end());
  return load_views(views, transforms, diags, built_in, true);
}

std::optional<TableSet> TableSet::load_built_in(const std::vector<std::pair<std::string_view, std::string_view>>& files,
                                                const std::vector<TransformSignature>& transforms, Diagnostics& diags) {
  return load_views(files, transforms, diags, true, false);
}

std::optional<TableSet> TableSet::load_views(const std::vector<std::pair<std::string_view, std::string_view>>& files,
                                             const std::vector<TransformSignature>& transforms, Diagnostics& diags,
                                             bool built_in, bool copy_texts) {
  TableSet set;
  set.signatures_ = transforms;
  bool ok = true;
  for (const auto& [source_view, text] : files) {
    const std::string source(source_view);
    if (built_in) {
      if (auto header = skim_table(text)) {
        // Read whole when first used: a fresh process reads only the tables its input needs.
        header->source = source;
        const std::string name = header->name;
        if (set.tables_.count(name)) {
          diags.add(msg::table_invalid(source, "/table", "table " + msg::quote(name, '\'') + " is defined twice"));
          ok = false;
        }
        set.tables_.emplace(name, std::move(*header));
        auto pending = std::make_unique<Pending>();
        if (copy_texts) pending->owned = std::string(text);
        pending->text = copy_texts ? std::string_view(pending->owned) : text;
        set.pending_.emplace(name, std::move(pending));
        set.expanded_.emplace(name, std::make_unique<Expansion>());
        continue;
      }
    }
    bool read_ok = true;
    std::optional<Table> t = read_table(source, text, diags, read_ok);
    ok = ok && read_ok;
    if (!t) continue;
    if (set.tables_.count(t->name)) {
      diags.add(msg::table_invalid(source, "/table", "table " + msg::quote(t->name, '\'') + " is defined twice"));
      ok = false;
    }
    set.tables_.emplace(t->name, std::move(*t));
  }
  // References are checked once every table is known.
  for (auto& [name, t] : set.tables_) {
    if (t.lab_variant) {
      // A lab variant stands in for its type's table: it makes a payload of its own and is
      // no type's table itself (the type's table names its graphType and platform).
      auto lab = set.tables_.find(*t.lab_variant);
      std::string why;
      if (!t.payload_type || !t.graph_type) why = "only a table that makes a payload for a graphType has a lab variant";
      else if (lab == set.tables_.end()) why = "no table named " + msg::quote(*t.lab_variant, '\'');
      else if (!lab->second.payload_type) why = "the lab variant " + msg::quote(*t.lab_variant, '\'') + " makes no payload";
      else if (lab->second.graph_type || lab->second.lab_variant)
        why = "the lab variant " + msg::quote(*t.lab_variant, '\'') + " must not have a graphType or labVariant of its own";
      if (!why.empty()) {
        diags.add(msg::table_invalid(t.source, "/labVariant", why));
        ok = false;
      }
    }
    for (auto& r : t.rows) {
      std::string ptr = "/rows/" + std::to_string(r.index);
      if (!r.nested.empty() && !set.tables_.count(r.nested)) {
        diags.add(msg::table_invalid(t.source, ptr, "no table named " + msg::quote(r.nested, '\'')));
        ok = false;
      }
      if (r.kind != RowKind::transform) continue;
      auto sig = std::find_if(transforms.begin(), transforms.end(),
                              [&r = r](const TransformSignature& s) { return s.name == r.transform; });
      if (sig == transforms.end()) {
        diags.add(msg::table_invalid(t.source, ptr, "unknown transform " + msg::quote(r.transform, '\'')));
        ok = false;
      } else if (!check_args(*sig, r.args, r.args_given, t.source, ptr, diags)) {
        ok = false;
      }
    }
  }
  if (!ok) return std::nullopt;
  for (const auto& [name, t] : set.tables_) {
    // A table without includes expands to its own rows: those are used as they are, rather
    // than copied (rows are large, and most tables have no includes).
    const bool has_include = std::any_of(t.rows.begin(), t.rows.end(), [](const Row& r) { return r.kind == RowKind::include; });
    if (has_include) set.expanded_.emplace(name, std::make_unique<Expansion>());
    if (has_include && built_in) continue;  // expanded on first use
    std::vector<Row> expanded_rows;
    const bool whole = !has_include || set.expand(t, expanded_rows);
    const std::vector<Row>& rows = has_include ? expanded_rows : t.rows;
    if (!whole || rows.size() > kMaxExpandedRows) {
      diags.add(msg::table_invalid(t.source, "",
                                   "includes expand to more than " + std::to_string(kMaxExpandedRows) + " rows and includes"));
      return std::nullopt;
    }
    for (const auto& r : rows) {
      std::string why;
      if (!r.to.empty() && !r.profile_scope && !r.issuance_scope && !valid_key_path(r.to, why)) {
        const Table* origin = set.find(r.table_name);
        diags.add(msg::table_invalid(origin ? origin->source : t.source, "/rows/" + std::to_string(r.index), why));
        return std::nullopt;
      }
    }
    if (has_include) {
      Expansion& e = *set.expanded_.at(name);
      std::call_once(e.once, [&] { e.rows = std::move(expanded_rows); });
    }
  }
  return set;
}

const std::map<std::string, std::set<std::string>>& table_format_fields() {
  static const std::map<std::string, std::set<std::string>> all = {
      {"table", kTableFields}, {"payload", kPayloadFields}, {"row", kRowFields},
      {"variant", kVariantFields}, {"enumMember", kEnumMemberFields}};
  return all;
}

const std::set<std::string>& table_coercions() { return kCoercions; }

const TransformSignature* TableSet::signature(std::string_view name) const {
  for (const auto& s : signatures_)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<const Variant*> TableSet::variants(const Table& table) const {
  std::vector<const Variant*> out;
  collect_variants(table, out, 0);
  return out;
}

void TableSet::collect_variants(const Table& t, std::vector<const Variant*>& out, int depth) const {
  if (depth > 8) return;  // as pick_rows(): an include cycle is a table bug
  read_pending(t);
  for (const auto& v : t.variants) out.push_back(&v);
  for (const Row& r : t.rows)
    if (r.kind == RowKind::include)
      if (const Table* inc = find(r.nested)) collect_variants(*inc, out, depth + 1);
}

void TableSet::read_pending(const Table& table) const {
  auto it = pending_.find(table.name);
  if (it == pending_.end()) return;
  Pending& pending = *it->second;
  std::call_once(pending.once, [&] {
    pending.read = true;
    // Built-in tables pass every load check (tests/unit load them whole, as --mappings
    // tables are): what reading one reports here cannot happen, and is not kept.
    Diagnostics ignored;
    bool ok = true;
    std::optional<Table> full = read_table(table.source, pending.text, ignored, ok);
    pending.text = {};
    std::string().swap(pending.owned);
    if (!full) return;
    for (auto& r : full->rows)
      if (r.kind == RowKind::transform)
        if (const TransformSignature* sig = signature(r.transform))
          check_args(*sig, r.args, r.args_given, table.source, "/rows/" + std::to_string(r.index), ignored);
    // The one write to a loaded table, before anyone reads its rows: every reader of rows
    // and variants comes through here, and call_once orders them after it.
    Table& own = const_cast<Table&>(tables_.find(table.name)->second);
    own.rows = std::move(full->rows);
    own.variants = std::move(full->variants);
    own.lab_variant = std::move(full->lab_variant);
  });
}

const std::map<std::string, Table, std::less<>>& TableSet::all() const {
  for (const auto& [name, t] : tables_) read_pending(t);
  return tables_;
}

bool TableSet::read_yet(std::string_view name) const {
  auto it = pending_.find(name);
  return it == pending_.end() ? tables_.find(name) != tables_.end() : it->second->read.load();
}

const Table* TableSet::find(std::string_view name) const {
  auto it = tables_.find(name);
  if (it == tables_.end()) return nullptr;
  read_pending(it->second);
  return &it->second;
}

const Table* TableSet::for_graph_type(std::string_view type) const {
  for (const auto& [name, t] : tables_)
    if (t.payload_type && t.graph_type && iequals(*t.graph_type, type)) return &t;
  return nullptr;
}

const Table* TableSet::lab_variant(const Table& table) const {
  const Table& own = tables_.find(table.name)->second;
  read_pending(own);
  return own.lab_variant ? find(*own.lab_variant) : nullptr;
}

std::vector<std::string> TableSet::supported_types() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : tables_)
    if (t.payload_type && t.graph_type) out.push_back(*t.graph_type);
  return out;
}

const std::vector<Row>& TableSet::expanded_rows(const Table& table) const {
  const Table& own = tables_.find(table.name)->second;
  read_pending(own);
  auto it = expanded_.find(table.name);
  if (it == expanded_.end()) return own.rows;
  Expansion& e = *it->second;
  std::call_once(e.once, [&] {
    // A table read on first use may have no includes: then its own rows, not a copy. Only
    // built-in tables are expanded here, and they stay within expand()'s bound (tests/unit
    // loads them eagerly, as --mappings tables are, where load() checks it).
    if (std::any_of(own.rows.begin(), own.rows.end(), [](const Row& r) { return r.kind == RowKind::include; }))
      expand(own, e.rows);
    else
      e.own_rows = true;
  });
  return e.own_rows ? own.rows : e.rows;
}

std::shared_ptr<const void> TableSet::compiled(const std::string& key,
                                               const std::function<std::shared_ptr<const void>()>& build) const {
  std::lock_guard lock(compiled_->mutex);
  auto it = compiled_->entries.find(key);
  if (it != compiled_->entries.end()) return it->second;
  // A table that nests itself (a --mappings table) reaches a new key path prefix at every
  // level: past this many, what is compiled is used once and not kept, so memory stays bounded.
  constexpr std::size_t kMaxCompiled = 4096;
  if (compiled_->entries.size() >= kMaxCompiled) return build();
  return compiled_->entries.emplace(key, build()).first->second;
}

namespace {

// The rows an expansion takes, in order, each with the {name} substitutions of the includes
// it came through (nullptr: none).
using Substitutions = std::map<std::string, std::string>;
struct Picked {
  const Row* row;
  const Substitutions* with;
};

// False once it has taken more than kMaxExpandedRows rows and includes (`steps`), and stopped.
bool pick_rows(const TableSet& set, const Table& t, const Substitutions* with, const std::vector<std::string>& except,
               std::vector<Picked>& out, std::deque<Substitutions>& merged, std::size_t& steps, int depth) {
  if (depth > 8) return true;  // include cycles are a table bug; stop rather than recurse forever
  for (const Row& r : t.rows) {
    if (++steps > kMaxExpandedRows) return false;  // load() reports it
    if (r.from && std::find(except.begin(), except.end(), *r.from) != except.end()) continue;
    if (r.kind != RowKind::include) {
      out.push_back({&r, with});
      continue;
    }
    const Substitutions* inner = with;
    if (!r.with.empty()) {
      Substitutions& m = merged.emplace_back(with ? *with : Substitutions{});
      for (const auto& [k, v] : r.with) m[k] = v;
      inner = &m;
    }
    std::vector<std::string> ex = except;
    ex.insert(ex.end(), r.except.begin(), r.except.end());
    if (const Table* inc = set.find(r.nested))
      if (!pick_rows(set, *inc, inner, ex, out, merged, steps, depth + 1)) return false;
  }
  return true;
}

}  // namespace

bool TableSet::expand(const Table& t, std::vector<Row>& out) const {
  read_pending(t);
  // The rows are picked first and then copied once each into room made for all of them: a
  // row is large, and a vector grown by doubling would move every row several times.
  std::vector<Picked> picked;
  std::deque<Substitutions> merged;
  std::size_t steps = 0;
  if (!pick_rows(*this, t, nullptr, {}, picked, merged, steps, 0)) return false;
  out.reserve(out.size() + picked.size());
  for (const Picked& p : picked) {
    Row& copy = out.emplace_back(*p.row);
    if (!p.with) continue;
    for (const auto& [k, v] : *p.with) {
      std::string needle = "{" + k + "}";
      // Search on after the replacement: a value that contains its own {name} must not loop.
      for (auto pos = copy.to.find(needle); pos != std::string::npos; pos = copy.to.find(needle, pos + v.size()))
        copy.to.replace(pos, needle.size(), v);
    }
  }
  return true;
}

}  // namespace mcc::map
