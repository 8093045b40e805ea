#include "check/graph_schema.hpp"

#include "core/messages.hpp"

namespace mcc::check {

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

std::vector<const GraphProperty*> GraphSchema::all_properties(std::string_view type) const {
  std::vector<const GraphType*> chain;
  for (const GraphType* t = find(type); t != nullptr && chain.size() < 16; t = t->base.empty() ? nullptr : find(t->base))
    chain.push_back(t);
  std::vector<const GraphProperty*> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    for (const auto& p : (*it)->properties) out.push_back(&p);
  return out;
}

const GraphProperty* GraphSchema::property(std::string_view type, std::string_view name) const {
  for (const GraphType* t = find(type); t != nullptr; t = t->base.empty() ? nullptr : find(t->base))
    for (const auto& p : t->properties)
      if (p.name == name) return &p;
  return nullptr;
}

bool GraphSchema::derives_from(std::string_view type, std::string_view base) const {
  for (const GraphType* t = find(type); t != nullptr; t = t->base.empty() ? nullptr : find(t->base))
    if (t->name == base) return true;
  return false;
}

}  // namespace mcc::check
