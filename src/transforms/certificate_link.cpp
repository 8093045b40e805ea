#include "transforms/transforms.hpp"

namespace mcc::transforms {
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

// "#microsoft.graph.iosScepCertificateProfile" → "iosScepCertificateProfile"
std::string short_type(std::string type) {
  if (type.rfind('#', 0) == 0) type.erase(0, 1);
  if (type.rfind("microsoft.graph.", 0) == 0) type.erase(0, 16);
  return type;
}

}  // namespace

std::optional<Value> certificate_link(Context& ctx) {
  // args.property names the navigation property ("identityCertificate").
  std::string prop = ctx.args.value("property", "identityCertificate");
  map::LinkRequest link;
  link.key_path = ctx.target_path;
  link.purpose = ctx.args.value("purpose", "identity certificate");
  link.pointer = ctx.pointer;
  link.fill = ctx.args.value("fill", "PayloadUUID");
  link.optional = ctx.args.value("optional", false);
  if (ctx.args.contains("targetRoles")) link.target_roles = ctx.args["targetRoles"].get<std::vector<std::string>>();
  const auto& obj = ctx.object;
  if (auto it = obj.find(prop + "@odata.bind"); it != obj.end() && it->is_string())
    if (auto id = id_from_bind(it->get<std::string>())) link.graph_ids.push_back(*id);
  if (auto it = obj.find(prop); it != obj.end()) {
    if (it->is_string()) link.graph_ids.push_back(it->get<std::string>());
    if (it->is_object()) {
      if (it->contains("id") && (*it)["id"].is_string()) link.graph_ids.push_back((*it)["id"].get<std::string>());
      if (it->contains("displayName") && (*it)["displayName"].is_string())
        link.display_names.push_back((*it)["displayName"].get<std::string>());
      if (it->contains("@odata.type") && (*it)["@odata.type"].is_string()) {
        if (auto type = short_type((*it)["@odata.type"].get<std::string>()); !type.empty()) link.graph_types.push_back(type);
      }
    }
  }
  // IntuneManagement writes "#CustomRef_<prop>": "displayName|:|#microsoft.graph.type".
  if (auto it = obj.find("#CustomRef_" + prop); it != obj.end() && it->is_string()) {
    const std::string& ref = it->get_ref<const std::string&>();
    auto sep = ref.find("|:|");
    link.display_names.push_back(ref.substr(0, sep));
    if (sep != std::string::npos) {
      if (auto type = short_type(ref.substr(sep + 3)); !type.empty()) link.graph_types.push_back(type);
    }
  }
  ctx.links.push_back(std::move(link));
  return std::nullopt;
}

}  // namespace mcc::transforms
