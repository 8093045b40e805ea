// SPDX-License-Identifier: Apache-2.0
#include "map/references.hpp"

#include <algorithm>

#include "base/pointer.hpp"
#include "map/engine.hpp"
#include "map/transforms/certificate_reference.hpp"
#include "map/transforms/registry.hpp"

namespace mcc::map {
namespace {

// The rows of a table that may link an object: its certificateLink rows, and its rows that
// nest a table reading the same object ("from": ""). Listed once per table and kept with the
// set, so that an object's references test these few rows, not every row of its table.
struct LinkRows {
  struct Entry {
    const Row* row;
    std::string property;  // a certificateLink row: the navigation property it links
    const Table* nested;   // a nesting row: the table it nests (else null)
  };
  std::vector<Entry> entries;
};

std::shared_ptr<const LinkRows> link_rows(const TableSet& tables, const Table& table) {
  return std::static_pointer_cast<const LinkRows>(
      tables.compiled(std::string(kCompiledLinks).append(table.name), [&]() -> std::shared_ptr<const void> {
        auto out = std::make_shared<LinkRows>();
        for (const auto& row : tables.expanded_rows(table)) {
          if (row.kind == RowKind::transform && row.transform == "certificateLink")
            out->entries.push_back({&row, map::transforms::Args(row.args).text("property"), nullptr});
          else if (row.kind == RowKind::table && row.from && row.from->empty())
            if (const Table* nested = tables.find(row.nested)) out->entries.push_back({&row, {}, nested});
        }
        return out;
      }));
}

// The navigation properties the table links with certificateLink rows that apply to `obj`,
// following nested tables that read the same object.
void linked_properties(const TableSet& tables, const Table& table, const nlohmann::json& obj,
                       std::vector<std::string>& out, int depth) {
  if (depth > 8) return;  // tables nest two or three levels; the loader rejects cycles
  const auto links = link_rows(tables, table);
  for (const auto& link : links->entries) {
    if (!row_applies(*link.row, obj)) continue;  // the test the map stage applies
    if (link.nested != nullptr) linked_properties(tables, *link.nested, obj, out, depth + 1);
    else if (std::find(out.begin(), out.end(), link.property) == out.end()) out.push_back(link.property);
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
