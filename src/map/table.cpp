#include "map/table.hpp"

#include <algorithm>
#include <set>

#include "core/messages.hpp"
#include "map/value_path.hpp"

namespace mcc::map {
namespace {

using nlohmann::json;
// Includes multiply rows; a hostile --mappings table could otherwise expand without bound.
constexpr std::size_t kMaxExpandedRows = 20000;

const std::set<std::string> kRowFields = {
    "from", "to", "scope", "none", "warnIfSet", "value", "as", "enum", "unmapped", "enumNotes",
    "table", "each", "transform", "args", "when", "unless", "quietWhenSkipped", "secret",
    "include", "with", "except", "note", "source"};
const std::set<std::string> kTableFields = {"$schema", "table", "graphType", "platform", "payload", "rows", "note", "source"};
const std::set<std::string> kCoercions = {"", "integer01", "invert01", "nonEmpty01", "data", "string"};

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
      if (p.empty() || p.front() != '/') fail(ptr, "condition pointer '" + p + "' must start with '/'");
      out.push_back({p, v.is_array() ? v.get<std::vector<json>>() : std::vector<json>{v}});
    }
    return out;
  }

  Row row(const json& j, std::size_t index, const std::string& table_name) {
    std::string ptr = "/rows/" + std::to_string(index);
    Row r;
    r.index = index;
    r.table_name = table_name;
    if (!j.is_object()) {
      fail(ptr, "a row must be an object");
      return r;
    }
    for (const auto& [k, v] : j.items())
      if (!kRowFields.count(k)) fail(ptr, "unknown row field '" + k + "'");
    try {
      if (j.contains("from")) {
        r.from = j["from"].get<std::string>();
        if (!r.from->empty() && r.from->front() != '/') fail(ptr, "'from' must be a JSON pointer");
      }
      r.to = j.value("to", "");
      r.profile_scope = j.value("scope", "payload") == "profile";
      r.note = j.value("note", "");
      r.secret = j.value("secret", false);
      r.as = j.value("as", "");
      if (!kCoercions.count(r.as)) fail(ptr, "unknown coercion '" + r.as + "'");
      if (j.contains("when")) r.when = conditions(j["when"], ptr);
      if (j.contains("unless")) r.unless = conditions(j["unless"], ptr);
      r.quiet_skip = j.value("quietWhenSkipped", "");
      int kinds = 0;
      if (j.contains("include")) { r.kind = RowKind::include; r.nested = j["include"].get<std::string>(); ++kinds; }
      if (j.contains("none")) { r.kind = RowKind::none; r.none_reason = j["none"].get<std::string>(); ++kinds; }
      if (j.contains("table")) { r.kind = RowKind::table; r.nested = j["table"].get<std::string>(); ++kinds; }
      if (j.contains("each")) { r.kind = RowKind::each; r.nested = j["each"].get<std::string>(); ++kinds; }
      if (j.contains("transform")) { r.kind = RowKind::transform; r.transform = j["transform"].get<std::string>(); ++kinds; }
      if (j.contains("value")) { r.kind = RowKind::constant; r.value = j["value"]; ++kinds; }
      if (kinds > 1) fail(ptr, "a row has exactly one of include, none, table, each, transform, value");
      if (j.contains("enum")) {
        if (!j["enum"].is_object()) fail(ptr, "'enum' must be an object");
        r.enum_map = j["enum"];
      }
      r.unmapped_reason = j.value("unmapped", "");
      if (j.contains("enumNotes")) r.enum_notes = j["enumNotes"].get<std::map<std::string, std::string>>();
      r.warn_if_set = j.value("warnIfSet", false);
      // Transforms read their arguments with value(), which throws on anything but an object.
      r.args = j.contains("args") ? j["args"] : json::object();
      if (!r.args.is_object()) fail(ptr, "'args' must be an object");
      if (j.contains("with")) r.with = j["with"].get<std::map<std::string, std::string>>();
      if (j.contains("except")) r.except = j["except"].get<std::vector<std::string>>();
    } catch (const json::exception& e) {
      fail(ptr, e.what());
      return r;
    }
    switch (r.kind) {
      case RowKind::include: break;
      case RowKind::none:
        if (!r.from) fail(ptr, "a 'none' row names the property in 'from'");
        if (r.none_reason.empty()) fail(ptr, "a 'none' row gives the reason");
        break;
      case RowKind::transform: break;
      case RowKind::constant:
        if (r.to.empty()) fail(ptr, "a 'value' row needs 'to'");
        break;
      default:
        if (!r.from || r.to.empty()) fail(ptr, "a row needs 'from' and 'to'");
    }
    return r;
  }
};

}  // namespace

std::optional<TableSet> TableSet::load(const std::vector<std::pair<std::string, std::string>>& files,
                                       const std::vector<std::string>& transform_names, Diagnostics& diags) {
  TableSet set;
  bool ok = true;
  for (const auto& [source, text] : files) {
    Loader loader{source, diags};
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      loader.fail("", "not a JSON object");
      ok = false;
      continue;
    }
    Table t;
    t.source = source;
    for (const auto& [k, v] : j.items())
      if (!kTableFields.count(k)) loader.fail("", "unknown table field '" + k + "'");
    try {
      t.name = j.at("table").get<std::string>();
      if (j.contains("graphType")) t.graph_type = j["graphType"].get<std::string>();
      if (j.contains("platform")) t.platform = j["platform"].get<std::string>();
      if (t.platform && *t.platform != "ios" && *t.platform != "macos") loader.fail("/platform", "must be ios or macos");
      if (j.contains("payload")) {
        t.payload_type = j["payload"].at("type").get<std::string>();
        t.payload_role = j["payload"].at("role").get<std::string>();
      }
      const json& rows = j.at("rows");
      for (std::size_t i = 0; i < rows.size(); ++i) t.rows.push_back(loader.row(rows[i], i, t.name));
    } catch (const json::exception& e) {
      loader.fail("", e.what());
    }
    ok = ok && loader.ok;
    if (set.tables_.count(t.name)) {
      diags.add(msg::table_invalid(source, "/table", "table '" + t.name + "' is defined twice"));
      ok = false;
    }
    set.tables_.emplace(t.name, std::move(t));
  }
  // References are checked once every table is known.
  for (const auto& [name, t] : set.tables_)
    for (const auto& r : t.rows) {
      std::string ptr = "/rows/" + std::to_string(r.index);
      if (!r.nested.empty() && !set.tables_.count(r.nested)) {
        diags.add(msg::table_invalid(t.source, ptr, "no table named '" + r.nested + "'"));
        ok = false;
      }
      if (r.kind == RowKind::transform &&
          std::find(transform_names.begin(), transform_names.end(), r.transform) == transform_names.end()) {
        diags.add(msg::table_invalid(t.source, ptr, "unknown transform '" + r.transform + "'"));
        ok = false;
      }
    }
  if (!ok) return std::nullopt;
  for (const auto& [name, t] : set.tables_) {
    std::vector<Row> rows;
    set.expand(t, {}, {}, rows, 0);
    if (rows.size() > kMaxExpandedRows) {
      diags.add(msg::table_invalid(t.source, "", "includes expand to more than " + std::to_string(kMaxExpandedRows) + " rows"));
      return std::nullopt;
    }
    for (const auto& r : rows) {
      std::string why;
      if (!r.to.empty() && !r.profile_scope && !valid_key_path(r.to, why)) {
        const Table* origin = set.find(r.table_name);
        diags.add(msg::table_invalid(origin ? origin->source : t.source, "/rows/" + std::to_string(r.index), why));
        return std::nullopt;
      }
    }
    set.expanded_.emplace(name, std::move(rows));
  }
  return set;
}

const Table* TableSet::find(std::string_view name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

const Table* TableSet::for_graph_type(std::string_view type) const {
  for (const auto& [name, t] : tables_)
    if (t.payload_type && t.graph_type && *t.graph_type == type) return &t;
  return nullptr;
}

std::vector<std::string> TableSet::supported_types() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : tables_)
    if (t.payload_type && t.graph_type) out.push_back(*t.graph_type);
  return out;
}

const std::vector<Row>& TableSet::expanded_rows(const Table& table) const {
  return expanded_.find(table.name)->second;
}

void TableSet::expand(const Table& t, const std::map<std::string, std::string>& with,
                      const std::vector<std::string>& except, std::vector<Row>& out, int depth) const {
  if (depth > 8) return;  // include cycles are a table bug; stop rather than recurse forever
  for (const Row& r : t.rows) {
    if (out.size() > kMaxExpandedRows) return;  // load() reports it
    if (r.from && std::find(except.begin(), except.end(), *r.from) != except.end()) continue;
    if (r.kind == RowKind::include) {
      std::map<std::string, std::string> merged = with;
      for (const auto& [k, v] : r.with) merged[k] = v;
      std::vector<std::string> ex = except;
      ex.insert(ex.end(), r.except.begin(), r.except.end());
      if (const Table* inc = find(r.nested)) expand(*inc, merged, ex, out, depth + 1);
      continue;
    }
    Row copy = r;
    for (const auto& [k, v] : with) {
      std::string needle = "{" + k + "}";
      // Search on after the replacement: a value that contains its own {name} must not loop.
      for (auto pos = copy.to.find(needle); pos != std::string::npos; pos = copy.to.find(needle, pos + v.size()))
        copy.to.replace(pos, needle.size(), v);
    }
    out.push_back(std::move(copy));
  }
}

}  // namespace mcc::map
