#include <regex>

#include "transforms/transforms.hpp"

namespace mcc::transforms {
namespace {

// "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('<id>')" → "<id>"
std::optional<std::string> id_from_bind(const std::string& bind) {
  static const std::regex quoted(R"(\('([^']*)'\))");
  std::smatch m;
  if (std::regex_search(bind, m, quoted)) return m[1].str();
  auto slash = bind.find_last_of('/');
  std::string tail = slash == std::string::npos ? bind : bind.substr(slash + 1);
  if (tail.empty()) return std::nullopt;
  return tail;
}

}  // namespace

std::optional<Value> certificate_link(Context& ctx) {
  // args.property names the navigation property ("identityCertificate").
  std::string prop = ctx.args.value("property", "identityCertificate");
  map::LinkRequest link;
  link.key_path = ctx.target_path;
  link.purpose = ctx.args.value("purpose", "identity certificate");
  link.pointer = ctx.pointer;
  const auto& obj = ctx.object;
  if (auto it = obj.find(prop + "@odata.bind"); it != obj.end() && it->is_string())
    if (auto id = id_from_bind(it->get<std::string>())) link.graph_ids.push_back(*id);
  if (auto it = obj.find(prop); it != obj.end()) {
    if (it->is_string()) link.graph_ids.push_back(it->get<std::string>());
    if (it->is_object()) {
      if (it->contains("id") && (*it)["id"].is_string()) link.graph_ids.push_back((*it)["id"].get<std::string>());
      if (it->contains("displayName") && (*it)["displayName"].is_string())
        link.display_names.push_back((*it)["displayName"].get<std::string>());
    }
  }
  // IntuneManagement writes "#CustomRef_<prop>": "displayName|:|#microsoft.graph.type".
  if (auto it = obj.find("#CustomRef_" + prop); it != obj.end() && it->is_string()) {
    const std::string& ref = it->get_ref<const std::string&>();
    link.display_names.push_back(ref.substr(0, ref.find("|:|")));
  }
  ctx.links.push_back(std::move(link));
  return std::nullopt;
}

}  // namespace mcc::transforms
