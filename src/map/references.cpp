// SPDX-License-Identifier: Apache-2.0
#include "map/references.hpp"

#include <algorithm>

#include "base/pointer.hpp"
#include "map/engine.hpp"
#include "map/transforms/certificate_reference.hpp"
#include "map/transforms/registry.hpp"

namespace mcc::map {
namespace {

// The navigation properties the table links with certificateLink rows that apply to `obj`,
// following nested tables that read the same object ("from": "").
void linked_properties(const TableSet& tables, const Table& table, const nlohmann::json& obj,
                       std::vector<std::string>& out, int depth) {
  if (depth > 8) return;  // tables nest two or three levels; the loader rejects cycles
  for (const auto& row : tables.expanded_rows(table)) {
    if (!row_applies(row, obj)) continue;  // the test the map stage applies
    if (row.kind == RowKind::transform && row.transform == "certificateLink") {
      std::string prop = map::transforms::Args(row.args).text("property");
      if (std::find(out.begin(), out.end(), prop) == out.end()) out.push_back(std::move(prop));
    } else if (row.kind == RowKind::table && row.from && row.from->empty()) {
      if (const Table* nested = tables.find(row.nested)) linked_properties(tables, *nested, obj, out, depth + 1);
    }
  }
}

}  // namespace

std::vector<GraphReference> linked_references(const TableSet& tables, const Table& table, const nlohmann::json& object,
                                              const std::string& pointer) {
  std::vector<GraphReference> out;
  std::vector<std::string> properties;
  linked_properties(tables, table, object, properties, 0);
  for (auto& prop : properties) {
    auto ref = map::transforms::certificate_reference(object, prop);
    if (ref.empty()) continue;
    std::string where = pointer_join(pointer, prop);
    out.push_back({std::move(prop), std::move(where), std::move(ref.graph_ids), std::move(ref.display_names),
                   std::move(ref.graph_types)});
  }
  return out;
}

}  // namespace mcc::map
