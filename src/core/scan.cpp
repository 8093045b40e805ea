#include <algorithm>

#include "core/compiler_impl.hpp"
#include "profile/assemble.hpp"
#include "read/reader.hpp"

namespace mcc {

std::vector<GraphObjectInfo> Compiler::scan(const InputFile& input, const CompileOptions& options, Diagnostics& diags) const {
  std::vector<GraphObjectInfo> out;
  auto supported = supported_types();
  for (auto& obj : read::read_graph_objects(input.name, input.bytes, options.graph_type, diags)) {
    GraphObjectInfo info;
    info.pointer = obj.pointer;
    info.type = obj.type;
    info.id = profile::stable_id(obj.json);
    if (auto it = obj.json.find("displayName"); it != obj.json.end() && it->is_string()) info.display_name = it->get<std::string>();
    info.supported = std::any_of(supported.begin(), supported.end(), [&](const std::string& t) {
      return t.size() == obj.type.size() && std::equal(t.begin(), t.end(), obj.type.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
             });
    });
    info.json = obj.json.dump();
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace mcc
