#include "transforms/registry.hpp"

#include "transforms/transforms.hpp"

namespace mcc::transforms {

const std::map<std::string, Transform, std::less<>>& registry() {
  static const std::map<std::string, Transform, std::less<>> all = {
      {"keyValueDict", &key_value_dict},
      {"certificateLink", &certificate_link},
      {"stableUuid", &stable_uuid},
      {"platformOnly", &platform_only},
      {"x500Subject", &x500_subject},
      {"scepServerUrl", &scep_server_url},
      {"scepChallenge", &scep_challenge},
      {"vpnSubtype", &vpn_subtype},
      {"flagBits", &flag_bits},
      {"subjectAltNames", &subject_alt_names},
      {"trustedCertificate", &trusted_certificate},
  };
  return all;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : registry()) out.push_back(name);
  return out;
}

}  // namespace mcc::transforms
