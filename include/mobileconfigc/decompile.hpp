// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The way back: configuration profiles in, Intune Graph objects out, through the same
/// mapping tables compile uses (mappings/README.md).

#include <optional>
#include <string>
#include <vector>

#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/platform.hpp"

namespace mcc {

struct DecompileOptions {
  /// The platform of the Graph types to produce; without one, the platform of a type
  /// recovered from mobileconfigc's own PayloadIdentifier, macos for a profile with a
  /// PayloadScope, else ios (with a note).
  std::optional<Platform> platform;
};

/// One key of the input profile and what became of it.
struct KeyReport {
  /// apple_default: not carried, and it need not be: the key holds Apple's documented
  /// default, which leaving it out means on the device.
  enum class Status { carried, not_carried, apple_default, error, identity };
  std::string pointer;        // JSON pointer into the profile: "/PayloadContent/0/IKEv2/MTU"
  Status status = Status::carried;
  std::string graph_pointer;  // carried: the Graph property ("/value/0/mtuSizeInBytes")
  std::string reason;         // not carried or error: why
};

/// A reference from one decompiled object to another (a VPN's identity certificate).
struct DecompiledReference {
  std::string property;  // the navigation property: "identityCertificate"
  std::string declaring_type;  // the Graph type that declares it ("iosVpnConfiguration")
  std::size_t target = 0;  // index of the target in DecompileResult::objects
};

struct DecompiledObject {
  std::string graph_type;    // "iosikEv2VpnConfiguration"
  std::string id;            // deterministic: recovered from our own PayloadIdentifier or derived from the PayloadUUIDs
  std::string display_name;
  std::string json;          // the object, compact JSON with @odata.type, id and references as @odata.bind
  std::vector<DecompiledReference> references;
};

struct DecompileResult {
  std::vector<DecompiledObject> objects;  // in payload order
  std::vector<KeyReport> keys;            // one entry per leaf key of the profile
  Platform platform = Platform::ios;
  /// The profile holds a secret (a shared secret, a password, a SCEP challenge, a private
  /// key), which the objects may carry: write them where only their owner can read them.
  bool holds_secret = false;
};

/// Decompiles one profile (XML, binary, or CMS-signed: the signature is not checked).
/// Nothing is returned when an error was reported (a value Graph cannot hold, a profile
/// that does not parse); warnings name every key that is not carried.
std::optional<DecompileResult> decompile(const Compiler& compiler, const InputFile& profile, const DecompileOptions& options,
                                         Diagnostics& diags);

/// Wraps one profile as it is (XML, binary, signed or encrypted; any payload types) as the
/// Graph object Intune takes for a profile without a native type: an iosCustomConfiguration
/// or macOSCustomConfiguration (--platform, else macos for a profile with a PayloadScope,
/// else ios with a note) whose payload is the profile's bytes. Names come from the profile
/// (PayloadDisplayName, else the file name); the id derives from its PayloadUUID. It carries
/// every key, so it reports none.
std::optional<DecompileResult> wrap_as_custom(const InputFile& profile, const DecompileOptions& options, Diagnostics& diags);

/// The objects as a Graph list response: {"value": [...]}, sorted keys, 2-space indent, LF.
std::string graph_list_json(const std::vector<DecompiledObject>& objects);

/// The objects as Micke-K's IntuneManagement exports them: (relative path, bytes) pairs,
/// "DeviceConfiguration/<displayName>.json", UTF-8 with BOM, references as #CustomRef_<property>
/// and <property>@odata.associationLink instead of @odata.bind.
std::vector<std::pair<std::string, std::string>> intune_management_files(const std::vector<DecompiledObject>& objects);

}  // namespace mcc
