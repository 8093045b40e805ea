#pragma once
// What the map stage produces for one Graph object.

#include <string>
#include <unordered_map>
#include <vector>

#include "mobileconfigc/value.hpp"

namespace mcc::map {

/// A cross reference the link stage resolves once every payload of the profile is known:
/// "write the PayloadUUID of the payload made from Graph object X at `key_path`".
struct LinkRequest {
  std::string key_path;       // in this object's payload, e.g. "IKEv2.PayloadCertificateUUID"
  std::string pointer;        // the Graph property that asked for it (for diagnostics)
  std::vector<std::string> graph_ids;      // candidate Graph ids (from @odata.bind or an expanded object)
  std::vector<std::string> display_names;  // candidate display names (IntuneManagement references)
  std::string purpose;        // "identity certificate"
  std::vector<std::string> graph_types;    // the target's Graph type, when the reference names it
  std::string fill = "PayloadUUID";        // what to write: the target's PayloadUUID, or "sha1Fingerprint" of its certificate data
  bool optional = false;                   // unresolved: no warning (the key is simply left out)
  std::vector<std::string> target_roles;   // payload roles a link without any reference may fall back to
};

struct MappedObject {
  std::string graph_type;
  std::string payload_role;
  Value payload;         // the payload dictionary, without identity keys
  Value profile_keys;    // keys for the top-level dictionary (PayloadDisplayName, ...)
  std::vector<LinkRequest> links;
  std::unordered_map<std::string, std::string> key_sources;  // payload key path → Graph pointer that feeds it
  std::string platform;  // "ios" or "macos"
};

}  // namespace mcc::map
