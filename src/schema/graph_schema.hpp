#pragma once
// The Graph side of the tables: type definitions derived from Graph's CSDL
// (schemas/graph-types.json), with inheritance resolved.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::schema {

struct GraphProperty {
  std::string name;
  std::string type;  // "Edm.String", an enum, a complex or an entity type name
  bool collection = false;
  bool nullable = true;
  bool navigation = false;
  std::optional<std::size_t> max_items;
  std::optional<std::pair<std::int64_t, std::int64_t>> range;
};

struct GraphType {
  std::string name;
  std::string kind;  // "entity" | "complex" | "enum"
  std::string base;
  bool abstract = false;
  bool flags = false;                  // enums only
  std::vector<std::string> members;    // enums only
  std::vector<GraphProperty> properties;  // own properties only, by name
};

class GraphSchema {
 public:
  static std::optional<GraphSchema> from_json(const nlohmann::json& j, const std::string& source, Diagnostics& diags);

  [[nodiscard]] const GraphType* find(std::string_view name) const;
  /// Own and inherited properties, base types first.
  [[nodiscard]] std::vector<const GraphProperty*> all_properties(std::string_view type) const;
  [[nodiscard]] const GraphProperty* property(std::string_view type, std::string_view name) const;
  /// `type` and its base types, `type` first (empty when unknown), for property(chain, name).
  [[nodiscard]] std::vector<const GraphType*> chain(std::string_view type) const;
  [[nodiscard]] static const GraphProperty* property(const std::vector<const GraphType*>& chain, std::string_view name);
  /// True when `type` is `base` or derives from it.
  [[nodiscard]] bool derives_from(std::string_view type, std::string_view base) const;

 private:
  std::map<std::string, GraphType, std::less<>> types_;
};

}  // namespace mcc::schema
