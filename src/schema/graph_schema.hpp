// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Graph side of the tables: type definitions derived from Graph's CSDL
// (schemas/graph-types.json), with inheritance resolved.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::schema {

struct GraphProperty {
  /// What `type` says a value must be, decided once when the type is read.
  enum class Kind : std::uint8_t { string, boolean, int32, int64, other };
  std::string name;
  std::string type;  // "Edm.String", an enum, a complex or an entity type name
  Kind kind = Kind::other;  // `other`: an enum, a complex or an entity type, looked up by name
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
  /// The same definitions given as text (the built-in schemas/graph-types.json): the types
  /// are indexed by name and each is read when find() first reaches it, once and
  /// thread-safely, so a fresh process reads only the types its input uses (tests/unit read
  /// the built-in text both ways and compare). Text that cannot be indexed without reading
  /// it is read whole, as from_json reads it.
  static std::optional<GraphSchema> from_text(std::string_view text, const std::string& source, Diagnostics& diags);
  /// As from_text, for text that outlives the schema (the built-in text, compiled into the
  /// binary): the types are read where the text is, without a copy of it.
  static std::optional<GraphSchema> from_static_text(std::string_view text, const std::string& source, Diagnostics& diags);
  /// One type's definition read from its text in one pass, as from_json reads it from a DOM;
  /// nothing when that pass is unsure of the text (the types read when first used are then
  /// read from its DOM).
  static std::optional<GraphType> type_from_text(const std::string& name, std::string_view text);

  [[nodiscard]] const GraphType* find(std::string_view name) const;
  /// Own and inherited properties, base types first.
  [[nodiscard]] std::vector<const GraphProperty*> all_properties(std::string_view type) const;
  [[nodiscard]] const GraphProperty* property(std::string_view type, std::string_view name) const;
  /// `type` and its base types, `type` first (empty when unknown), for property(chain, name).
  [[nodiscard]] std::vector<const GraphType*> chain(std::string_view type) const;
  [[nodiscard]] static const GraphProperty* property(const std::vector<const GraphType*>& chain, std::string_view name);
  /// Own and inherited properties of `type` in name order, the most derived one for a name,
  /// as property() finds them: made once per type, on first use, and kept (empty when the
  /// type is unknown). The check stage looks every member of an object up here.
  [[nodiscard]] const std::vector<const GraphProperty*>& properties_by_name(std::string_view type) const;
  /// True when `type` is `base` or derives from it.
  [[nodiscard]] bool derives_from(std::string_view type, std::string_view base) const;

 private:
  struct Entry {
    GraphType type;
    std::unique_ptr<std::once_flag> once;  // from_text: set while the type is not read yet
    std::size_t offset = 0, length = 0;    // from_text: where its definition is in text_
    std::unique_ptr<std::once_flag> indexed = std::make_unique<std::once_flag>();
    std::vector<const GraphProperty*> by_name;  // properties_by_name(), once `indexed` is set
  };
  static std::optional<GraphSchema> index(std::string_view text, bool copy, const std::string& source, Diagnostics& diags);
  void read(const Entry& entry) const;
  std::map<std::string, Entry, std::less<>> types_;
  std::unique_ptr<const std::string> owned_;  // from_text: a copy of the definitions
  std::string_view text_;                     // from_text: the definitions (owned_, or static text)
};

}  // namespace mcc::schema
