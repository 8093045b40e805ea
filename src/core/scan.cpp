#include <algorithm>

#include "core/compiler_impl.hpp"
#include "core/pointer.hpp"
#include "map/engine.hpp"
#include "profile/assemble.hpp"
#include "read/reader.hpp"
#include "transforms/certificate_reference.hpp"
#include "transforms/registry.hpp"

namespace mcc {
namespace {

// The navigation properties the table links with certificateLink rows that apply to `obj`,
// following nested tables that read the same object ("from": "").
void linked_properties(const map::TableSet& tables, const map::Table& table, const nlohmann::json& obj,
                       std::vector<std::string>& out, int depth) {
  if (depth > 8) return;  // tables nest two or three levels; the loader rejects cycles
  for (const auto& row : tables.expanded_rows(table)) {
    if (!map::row_applies(row, obj)) continue;  // the test the map stage applies
    if (row.kind == map::RowKind::transform && row.transform == "certificateLink") {
      std::string prop = transforms::Args(row.args).text("property");
      if (std::find(out.begin(), out.end(), prop) == out.end()) out.push_back(std::move(prop));
    } else if (row.kind == map::RowKind::table && row.from && row.from->empty()) {
      if (const map::Table* nested = tables.find(row.nested)) linked_properties(tables, *nested, obj, out, depth + 1);
    }
  }
}

}  // namespace

std::vector<GraphObjectInfo> Compiler::scan(const InputFile& input, const CompileOptions& options, Diagnostics& diags,
                                            ObjectJson json) const {
  std::vector<GraphObjectInfo> out;
  const auto& tables = impl_->tables;
  for (auto& obj : read::read_graph_objects(input.name, input.bytes, options.graph_type, diags, {}, input.pointer)) {
    GraphObjectInfo info;
    info.pointer = obj.pointer;
    info.type = obj.type;
    info.id = profile::stable_id(obj.json);
    if (auto it = obj.json.find("displayName"); it != obj.json.end() && it->is_string()) info.display_name = it->get<std::string>();
    const map::Table* table = tables.for_graph_type(obj.type);
    info.supported = table != nullptr;
    if (table != nullptr) {
      std::vector<std::string> properties;
      linked_properties(tables, *table, obj.json, properties, 0);
      for (auto& prop : properties) {
        auto ref = transforms::certificate_reference(obj.json, prop);
        if (ref.empty()) continue;
        std::string where = pointer_join(obj.pointer, prop);
        info.references.push_back({std::move(prop), std::move(where), std::move(ref.graph_ids),
                                   std::move(ref.display_names), std::move(ref.graph_types)});
      }
    }
    if (json == ObjectJson::keep) info.json = obj.json.dump();
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace mcc
