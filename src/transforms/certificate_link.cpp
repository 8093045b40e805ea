#include "transforms/certificate_reference.hpp"
#include "transforms/transforms.hpp"

namespace mcc::transforms {

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
  CertificateReference ref = certificate_reference(ctx.object, prop);
  link.graph_ids = std::move(ref.graph_ids);
  link.display_names = std::move(ref.display_names);
  link.graph_types = std::move(ref.graph_types);
  ctx.links.push_back(std::move(link));
  return std::nullopt;
}

}  // namespace mcc::transforms
