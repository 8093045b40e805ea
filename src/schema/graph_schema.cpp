// SPDX-License-Identifier: Apache-2.0
#include "schema/graph_schema.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "base/fast_json.hpp"
#include "base/messages.hpp"
#include "schema/embedded.hpp"

namespace mcc::schema {

namespace {

GraphProperty::Kind kind_of(std::string_view type) {
  using Kind = GraphProperty::Kind;
  if (type == "Edm.String" || type == "Edm.Binary" || type == "Edm.DateTimeOffset" || type == "Edm.Guid") return Kind::string;
  if (type == "Edm.Boolean") return Kind::boolean;
  if (type == "Edm.Int32") return Kind::int32;
  if (type == "Edm.Int64") return Kind::int64;
  return Kind::other;
}

// One type's definition; throws nlohmann::json::exception where from_json reports one.
GraphType read_type(const std::string& name, const nlohmann::json& t) {
  GraphType type;
  type.name = name;
  type.kind = t.at("kind").get<std::string>();
  if (type.kind == "enum") {
    type.flags = t.value("flags", false);
    type.members = t.at("members").get<std::vector<std::string>>();
    return type;
  }
  if (t.contains("base") && t["base"].is_string()) type.base = t["base"].get<std::string>();
  type.abstract = t.value("abstract", false);
  for (const auto& [pname, p] : t.at("properties").items()) {
    GraphProperty prop;
    prop.name = pname;
    prop.type = p.at("type").get<std::string>();
    prop.kind = kind_of(prop.type);
    prop.collection = p.value("collection", false);
    prop.nullable = p.value("nullable", true);
    prop.navigation = p.value("navigation", false);
    if (p.contains("maxItems")) prop.max_items = p["maxItems"].get<std::size_t>();
    if (p.contains("range"))
      prop.range = std::make_pair(p["range"].at("min").get<std::int64_t>(), p["range"].at("max").get<std::int64_t>());
    type.properties.push_back(std::move(prop));
  }
  // A JSON object's members come in name order already; property() relies on it.
  auto by_name = [](const GraphProperty& a, const GraphProperty& b) { return a.name < b.name; };
  if (!std::is_sorted(type.properties.begin(), type.properties.end(), by_name))
    std::sort(type.properties.begin(), type.properties.end(), by_name);
  return type;
}

// One member of an object JsonCursor is in, its key read: its value, as the DOM holds it,
// into the slot named for it among `slots`; a member named for none is checked as JSON and
// passed over. False when the one-pass reading is unsure: the value is not JSON, or its slot
// is filled already (a member given twice).
using Slots = std::initializer_list<std::pair<std::string_view, std::optional<nlohmann::json>*>>;
bool take_member(JsonCursor& c, std::string_view key, Slots slots) {
  auto text = c.skip_value();
  auto value = text ? json_leaf(*text) : std::nullopt;
  if (!value) return false;
  for (const auto& [name, slot] : slots) {
    if (name != key) continue;
    if (*slot) return false;
    *slot = std::move(*value);
    break;
  }
  return true;
}

}  // namespace

// read_type from the type's text in one pass, without a DOM for it: each member is taken
// as read_type takes it from the DOM. Nothing when the pass is unsure (a member or a
// property given twice, an escaped name, a property that is not an object, "kind" or
// "properties" missing, text that is not JSON, a member of the wrong type): read_type then
// reads the parsed text, and whatever it does with it stands.
std::optional<GraphType> GraphSchema::type_from_text(const std::string& name, std::string_view text) try {
  JsonCursor c(text);
  if (!c.enter_object()) return std::nullopt;
  std::optional<nlohmann::json> kind, base, abstract, flags, members;
  std::vector<GraphProperty> properties;
  bool has_properties = false;
  while (auto key = c.next_key()) {
    if (*key == "properties" && c.peek() == '{') {
      if (has_properties) return std::nullopt;
      has_properties = true;
      c.enter_object();
      while (auto pname = c.next_key()) {
        if (!c.enter_object()) return std::nullopt;
        std::optional<nlohmann::json> type, collection, nullable, navigation, max_items, range;
        while (auto field = c.next_key())
          if (!take_member(c, *field,
                           {{"type", &type},
                            {"collection", &collection},
                            {"nullable", &nullable},
                            {"navigation", &navigation},
                            {"maxItems", &max_items},
                            {"range", &range}}))
            return std::nullopt;
        if (c.failed() || !type) return std::nullopt;
        GraphProperty prop;
        prop.name = std::string(*pname);
        prop.type = type->get<std::string>();
        prop.kind = kind_of(prop.type);
        prop.collection = collection ? collection->get<bool>() : false;
        prop.nullable = nullable ? nullable->get<bool>() : true;
        prop.navigation = navigation ? navigation->get<bool>() : false;
        if (max_items) prop.max_items = max_items->get<std::size_t>();
        if (range)
          prop.range = std::make_pair((*range).at("min").get<std::int64_t>(), (*range).at("max").get<std::int64_t>());
        properties.push_back(std::move(prop));
      }
      if (c.failed()) return std::nullopt;
      continue;
    }
    if (*key == "properties") return std::nullopt;  // not an object: read_type says what it is
    if (!take_member(
            c, *key,
            {{"kind", &kind}, {"base", &base}, {"abstract", &abstract}, {"flags", &flags}, {"members", &members}}))
      return std::nullopt;
  }
  if (!c.done() || !kind) return std::nullopt;
  GraphType type;
  type.name = name;
  type.kind = kind->get<std::string>();
  if (type.kind == "enum") {
    if (!members) return std::nullopt;
    type.flags = flags ? flags->get<bool>() : false;
    type.members = members->get<std::vector<std::string>>();
    return type;
  }
  if (!has_properties) return std::nullopt;
  if (base && base->is_string()) type.base = base->get<std::string>();
  type.abstract = abstract ? abstract->get<bool>() : false;
  type.properties = std::move(properties);
  auto by_name = [](const GraphProperty& a, const GraphProperty& b) { return a.name < b.name; };
  std::sort(type.properties.begin(), type.properties.end(), by_name);
  auto same = [](const GraphProperty& a, const GraphProperty& b) { return a.name == b.name; };
  if (std::adjacent_find(type.properties.begin(), type.properties.end(), same) != type.properties.end())
    return std::nullopt;
  return type;
} catch (const nlohmann::json::exception&) { return std::nullopt; }

std::optional<GraphSchema> GraphSchema::from_json(const nlohmann::json& j, const std::string& source,
                                                  Diagnostics& diags) {
  GraphSchema schema;
  try {
    for (const auto& [name, t] : j.at("types").items()) {
      Entry e;
      e.type = read_type(name, t);
      schema.types_.insert_or_assign(name, std::move(e));
    }
  } catch (const nlohmann::json::exception& e) {
    diags.add(msg::table_invalid(source, "", std::string("graph type definitions: ") + e.what()));
    return std::nullopt;
  }
  return schema;
}

std::optional<GraphSchema> GraphSchema::from_text(std::string_view text, const std::string& source, Diagnostics& diags) {
  return index(text, true, source, diags);
}

std::optional<GraphSchema> GraphSchema::from_static_text(std::string_view text, const std::string& source, Diagnostics& diags) {
  return index(text, false, source, diags);
}

std::optional<GraphSchema> GraphSchema::index(std::string_view text, bool copy, const std::string& source, Diagnostics& diags) {
  std::optional<std::vector<std::pair<std::string_view, std::string_view>>> types;
  if (auto index = embedded::object_members(text, "types")) types = std::move(index->second);  // one pass
  if (!types) {
    nlohmann::json j = parse_json_or_discarded(text);
    if (j.is_discarded()) {
      diags.add(msg::table_io(source, "embedded schema is not valid JSON"));
      return std::nullopt;
    }
    return from_json(j, source, diags);
  }
  GraphSchema schema;
  if (copy) schema.owned_ = std::make_unique<const std::string>(text);
  schema.text_ = copy ? std::string_view(*schema.owned_) : text;
  for (const auto& [name, value] : *types) {
    Entry e;
    e.type.name = std::string(name);
    e.once = std::make_unique<std::once_flag>();
    e.offset = static_cast<std::size_t>(value.data() - text.data());
    e.length = value.size();
    schema.types_.insert_or_assign(std::string(name), std::move(e));  // a repeated name: the last, as in JSON
  }
  return schema;
}

void GraphSchema::read(const Entry& entry) const {
  std::call_once(*entry.once, [&] {
    // The one write to an entry, before anyone reads its type: find() comes through here,
    // and call_once orders every reader after it. The built-in text reads without an
    // exception (tests/unit); a type that did not would stay known by name only.
    auto& own = const_cast<Entry&>(entry);
    const std::string_view text = text_.substr(entry.offset, entry.length);
    try {
      if (auto type = GraphSchema::type_from_text(entry.type.name, text)) {  // one pass, no DOM
        own.type = std::move(*type);
        return;
      }
      own.type = read_type(entry.type.name, parse_json_or_discarded(text));
    } catch (const nlohmann::json::exception&) {}
  });
}

const GraphType* GraphSchema::find(std::string_view name) const {
  auto it = types_.find(name);
  if (it == types_.end()) return nullptr;
  if (it->second.once) read(it->second);
  return &it->second.type;
}

std::vector<const GraphType*> GraphSchema::chain(std::string_view type) const {
  std::vector<const GraphType*> out;
  for (const GraphType* t = find(type); t != nullptr && out.size() < 16; t = t->base.empty() ? nullptr : find(t->base))
    out.push_back(t);
  return out;
}

std::vector<const GraphProperty*> GraphSchema::all_properties(std::string_view type) const {
  std::vector<const GraphType*> types = chain(type);
  std::vector<const GraphProperty*> out;
  for (auto it = types.rbegin(); it != types.rend(); ++it)
    for (const auto& p : (*it)->properties) out.push_back(&p);
  return out;
}

const GraphProperty* GraphSchema::property(const std::vector<const GraphType*>& chain, std::string_view name) {
  for (const GraphType* t : chain) {
    auto it = std::lower_bound(t->properties.begin(), t->properties.end(), name,
                               [](const GraphProperty& p, std::string_view n) { return p.name < n; });
    if (it != t->properties.end() && it->name == name) return &*it;
  }
  return nullptr;
}

const std::vector<const GraphProperty*>& GraphSchema::properties_by_name(std::string_view type) const {
  static const std::vector<const GraphProperty*> none;
  auto it = types_.find(type);
  if (it == types_.end()) return none;
  const Entry& entry = it->second;
  std::call_once(*entry.indexed, [&] {
    std::vector<const GraphProperty*> all;
    for (const GraphType* t : chain(type))  // `type` first: a derived property hides a base one
      for (const auto& p : t->properties) all.push_back(&p);
    auto by_name = [](const GraphProperty* a, const GraphProperty* b) { return a->name < b->name; };
    std::stable_sort(all.begin(), all.end(), by_name);
    auto same = [](const GraphProperty* a, const GraphProperty* b) { return a->name == b->name; };
    all.erase(std::unique(all.begin(), all.end(), same), all.end());
    const_cast<Entry&>(entry).by_name = std::move(all);  // the one write, ordered by call_once
  });
  return entry.by_name;
}

const GraphProperty* GraphSchema::property(std::string_view type, std::string_view name) const {
  return property(chain(type), name);
}

bool GraphSchema::derives_from(std::string_view type, std::string_view base) const {
  for (const GraphType* t = find(type); t != nullptr; t = t->base.empty() ? nullptr : find(t->base))
    if (t->name == base) return true;
  return false;
}

}  // namespace mcc::schema
