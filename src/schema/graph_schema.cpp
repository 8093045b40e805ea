#include "schema/graph_schema.hpp"

#include <algorithm>

#include "base/messages.hpp"

namespace mcc::schema {

std::optional<GraphSchema> GraphSchema::from_json(const nlohmann::json& j, const std::string& source,
                                                  Diagnostics& diags) {
  GraphSchema schema;
  try {
    for (const auto& [name, t] : j.at("types").items()) {
      GraphType type;
      type.name = name;
      type.kind = t.at("kind").get<std::string>();
      if (type.kind == "enum") {
        type.flags = t.value("flags", false);
        type.members = t.at("members").get<std::vector<std::string>>();
      } else {
        if (t.contains("base") && t["base"].is_string()) type.base = t["base"].get<std::string>();
        type.abstract = t.value("abstract", false);
        for (const auto& [pname, p] : t.at("properties").items()) {
          GraphProperty prop;
          prop.name = pname;
          prop.type = p.at("type").get<std::string>();
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
      }
      schema.types_.emplace(name, std::move(type));
    }
  } catch (const nlohmann::json::exception& e) {
    diags.add(msg::table_invalid(source, "", std::string("graph type definitions: ") + e.what()));
    return std::nullopt;
  }
  return schema;
}

const GraphType* GraphSchema::find(std::string_view name) const {
  auto it = types_.find(name);
  return it == types_.end() ? nullptr : &it->second;
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

const GraphProperty* GraphSchema::property(std::string_view type, std::string_view name) const {
  return property(chain(type), name);
}

bool GraphSchema::derives_from(std::string_view type, std::string_view base) const {
  for (const GraphType* t = find(type); t != nullptr; t = t->base.empty() ? nullptr : find(t->base))
    if (t->name == base) return true;
  return false;
}

}  // namespace mcc::schema
