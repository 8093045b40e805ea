// SPDX-License-Identifier: Apache-2.0
#include "map/transforms/certificate_reference.hpp"

#include <optional>

#include "base/strings.hpp"

namespace mcc::map::transforms {
namespace {

// "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('<id>')" → "<id>"
std::optional<std::string> id_from_bind(const std::string& bind) {
  // A plain scan, not std::regex: libstdc++'s regex recurses per character and overflows
  // the stack on long hostile strings (tests/fuzz/regressions/compile-long-odata-bind).
  for (auto open = bind.find("('"); open != std::string::npos; open = bind.find("('", open + 1)) {
    auto close = bind.find('\'', open + 2);
    if (close == std::string::npos) break;
    if (close + 1 < bind.size() && bind[close + 1] == ')') return bind.substr(open + 2, close - open - 2);
  }
  auto slash = bind.find_last_of('/');
  std::string tail = slash == std::string::npos ? bind : bind.substr(slash + 1);
  if (tail.empty()) return std::nullopt;
  return tail;
}

}  // namespace

CertificateReference certificate_reference(const nlohmann::json& obj, std::string_view property) {
  CertificateReference ref;
  if (!obj.is_object()) return ref;
  std::string prop(property);
  if (auto it = obj.find(prop + "@odata.bind"); it != obj.end() && it->is_string())
    if (auto id = id_from_bind(it->get<std::string>())) ref.graph_ids.push_back(*id);
  if (auto it = obj.find(prop); it != obj.end()) {
    if (it->is_string()) ref.graph_ids.push_back(it->get<std::string>());
    if (it->is_object()) {
      if (it->contains("id") && (*it)["id"].is_string()) ref.graph_ids.push_back((*it)["id"].get<std::string>());
      if (it->contains("displayName") && (*it)["displayName"].is_string())
        ref.display_names.push_back((*it)["displayName"].get<std::string>());
      if (it->contains("@odata.type") && (*it)["@odata.type"].is_string()) {
        if (auto type = short_type_name((*it)["@odata.type"].get<std::string>()); !type.empty())
          ref.graph_types.push_back(type);
      }
    }
  }
  if (auto it = obj.find("#CustomRef_" + prop); it != obj.end() && it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    auto sep = text.find("|:|");
    ref.display_names.push_back(text.substr(0, sep));
    if (sep != std::string::npos) {
      if (auto type = short_type_name(text.substr(sep + 3)); !type.empty()) ref.graph_types.push_back(type);
    }
  }
  return ref;
}

}  // namespace mcc::map::transforms
