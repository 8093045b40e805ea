// SPDX-License-Identifier: Apache-2.0
#pragma once
// The inverse of each registered transform, for decompiling: a payload value back to the
// Graph properties the transform reads. Each transform declares an inverse or says why it
// is lossy (tests check that every transform does one or the other).

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "map/transforms/registry.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc::map {

/// A payload key that names another payload (PayloadCertificateUUID, CAFingerprint): it
/// becomes a Graph reference once every payload of the profile is decompiled.
struct ReferenceClaim {
  std::string property;   // the navigation property: "identityCertificate"
  std::string fill;       // what the key holds: "PayloadUUID", or "sha1Fingerprint" of the target's certificate
  Value value;            // the key's value
  std::vector<std::string> target_roles;  // payload roles the target may have
  std::string key_path;   // the key, in its payload
};

}  // namespace mcc::map

namespace mcc::map::transforms {

struct InverseContext {
  const Value& value;           // the payload value at the row's `to`
  const std::string& key_path;  // its key path in the payload
  Args args;                    // the row's arguments
  const std::string& property;  // absolute JSON pointer of the row's `from` in the Graph object
  const std::string& base;      // absolute JSON pointer of the object the row applies to
  const std::string& id;        // the Graph id the object gets
  /// Whether a more specific row already carries the member `key` of a dictionary value.
  std::function<bool(std::string_view key)> claimed;
};

struct InverseResult {
  std::vector<std::pair<std::string, nlohmann::json>> sets;  // absolute Graph pointer → value
  bool carried = false;                                      // the value (less `refused`) is carried
  std::vector<std::pair<std::string, std::string>> refused;  // member key (or "" for the value) → why not carried
  bool error = false;                                        // a refusal is an error: the value has no Graph equivalent
  std::optional<ReferenceClaim> reference;
};

using Inverse = InverseResult (*)(const InverseContext&);

struct InverseSpec {
  // A constructor rather than an aggregate: the registry leaves `argument` out of most entries.
  constexpr InverseSpec(Inverse inverse = nullptr, std::string_view lossy = {}, std::string_view argument = {})
      : inverse(inverse), lossy(lossy), argument(argument) {}
  Inverse inverse;            // nullptr: the transform is lossy in this direction
  std::string_view lossy;     // why the key is not carried (inverse == nullptr), or what is lost
  std::string_view argument;  // the option that supplies what is lost (a Diagnostic::argument), if one does
};

/// Every transform's inverse, by transform name.
const std::map<std::string, InverseSpec, std::less<>>& inverse_registry();

/// A payload value as Graph JSON (data as base64, dates as seconds).
nlohmann::json to_json(const Value& v);

}  // namespace mcc::map::transforms
