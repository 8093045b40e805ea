// SPDX-License-Identifier: Apache-2.0
#pragma once
// How a Graph object names another object its profile needs (a VPN's identity
// certificate, a SCEP profile's trusted root). Shared by the certificateLink
// transform and Compiler::scan, so single-profile and batch mode read references alike.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mcc::map::transforms {

struct CertificateReference {
  std::vector<std::string> graph_ids;      // from "<property>@odata.bind", an expanded object or a plain id
  std::vector<std::string> display_names;  // from an expanded object or IntuneManagement's "#CustomRef_<property>"
  std::vector<std::string> graph_types;    // the target's short Graph type, when the reference names it

  [[nodiscard]] bool empty() const { return graph_ids.empty() && display_names.empty(); }
};

/// Every way `object` refers to another object through the navigation property
/// `property` ("identityCertificate"):
///   "<property>@odata.bind": ".../deviceConfigurations('<id>')" or ".../deviceConfigurations/<id>"
///   "<property>": "<id>" or an expanded object {id, displayName, @odata.type}
///   "#CustomRef_<property>": "<displayName>|:|#microsoft.graph.<type>" (IntuneManagement exports)
CertificateReference certificate_reference(const nlohmann::json& object, std::string_view property);

}  // namespace mcc::map::transforms
