// SPDX-License-Identifier: Apache-2.0
#include "map/transforms/certificate_reference.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {

std::optional<Value> certificate_link(Context& ctx) {
  // args.property names the navigation property ("identityCertificate").
  map::LinkRequest link;
  link.key_path = ctx.target_path;
  link.purpose = ctx.args.text("purpose");
  link.pointer = ctx.pointer;
  link.fill = ctx.args.text("fill");
  link.optional = ctx.args.flag("optional");
  link.target_roles = ctx.args.texts("targetRoles");
  CertificateReference ref = certificate_reference(ctx.object, ctx.args.text("property"));
  link.graph_ids = std::move(ref.graph_ids);
  link.display_names = std::move(ref.display_names);
  link.graph_types = std::move(ref.graph_types);
  ctx.links.push_back(std::move(link));
  return std::nullopt;
}

}  // namespace mcc::map::transforms
