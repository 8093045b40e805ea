// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the map stage takes besides the object and the tables, and what it produces for one Graph object.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/platform.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc::map {

/// What the map stage needs besides the object and the tables: no more than this, so the
/// stage is a pure function of its input (the caller chooses the time, not the wall clock).
struct MapInput {
  Platform platform = Platform::ios;
  std::optional<std::string> scep_challenge;   // a secret: written into the payload, never into diagnostics
  std::optional<std::size_t> scep_url_index;   // which of several SCEP URLs
  std::optional<std::string> vpn_subtype;      // VPNSubType for connection types without a known one
  std::int64_t now = 0;                        // seconds since 1970 UTC: certificate validity is judged at this time
  /// The value given for an Intune variable (a transform that takes a setting from one, such
  /// as the SCEP challenge); nothing when none was given.
  std::function<std::optional<std::string>(std::string_view name)> variable;
  /// The identity --identity-p12 gives for PKCS certificate profiles (a secret: never in diagnostics).
  const PayloadIdentity* identity = nullptr;
  /// Lab issuance (--issue-identity): issues the identity for the object at (file, pointer)
  /// from its issuance request (what the rows of scope "issuance" wrote); nullptr after an
  /// error, which it reported. Called at most once per object. Empty: no lab issuance.
  std::function<const PayloadIdentity*(const Value& request, const std::string& file, const std::string& pointer)>
      issue_identity;
};


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
  Value issuance;        // the lab issuance request (rows of scope "issuance"); empty without --issue-identity
  std::vector<LinkRequest> links;
  std::unordered_map<std::string, std::string> key_sources;  // payload key path → Graph pointer that feeds it
  std::string platform;  // "ios" or "macos"
  /// A certificate for the device's store (certificateScope): Intune resolves only device variables in it.
  bool device_certificate = false;
  /// Intune variable (documented spelling) → the payload key paths where Intune replaces it, for
  /// variables Intune replaces in one place only (a transform's args name them).
  std::map<std::string, std::vector<std::string>> variable_places;
};

}  // namespace mcc::map
