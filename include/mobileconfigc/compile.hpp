// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The front door: Graph JSON in, configuration profiles out.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/platform.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc {

/// One input: a name for diagnostics ("<stdin>" for -) and its raw bytes.
struct InputFile {
  std::string name;
  std::string bytes;
};

/// A mapping table given as text: a name for diagnostics ("vpn.json") and its JSON.
struct TableText {
  std::string name;
  std::string json;
};

/// `--link FROM=TO`: the certificate references of object FROM (a VPN's identity
/// certificate, a SCEP profile's root) resolve to object TO. Each is a Graph id or a
/// display name of an object in the same compile.
struct ExplicitLink {
  std::string from;
  std::string to;
};

struct CompileOptions {
  /// First part of every PayloadIdentifier: "<prefix>.<graph type>.<graph id>[.<role>]".
  std::string identifier_prefix = "com.mobileconfigc";
  /// Graph type for objects that carry no @odata.type (--type).
  std::optional<std::string> graph_type;
  /// The target platform; without one, the platform of the first object's Graph type (iOS
  /// types → ios, macOS types → macos).
  std::optional<Platform> platform;
  /// Values for Intune variables ("UserName" → "janedoe"; names match case-insensitively,
  /// with or without braces). Empty: variables stay verbatim as "{{UserName}}".
  std::map<std::string, std::string> variables;
  /// The SCEP challenge (a secret: written into the payload, never into diagnostics).
  std::optional<std::string> scep_challenge;
  /// Which of several scepServerUrls becomes the payload's URL (0-based; default: the first).
  std::optional<std::size_t> scep_url_index;
  /// VPNSubType (the VPN app's bundle identifier) for connection types that have no known
  /// one (custom VPN, NetMotion, ...); replaces the Graph object's identifier.
  std::optional<std::string> vpn_subtype;
  /// Links given explicitly; they win over the references in the input.
  std::vector<ExplicitLink> links;
  /// The time certificates are judged valid at (seconds since 1970 UTC); without one, now.
  std::optional<std::int64_t> now;
  /// The identity PKCS certificate profiles embed (--identity-p12), already opened and checked.
  std::shared_ptr<const PayloadIdentity> identity;
  /// Lab issuance (--issue-identity): each PKCS or SCEP certificate profile gets a fresh identity
  /// signed by this CA, shaped by the profile's own settings. Wins over `identity`.
  std::shared_ptr<const LabCa> lab_ca;
  /// SOURCE_DATE_EPOCH: lab identities are valid from it and reproducible (see LabCa::issue).
  std::optional<std::int64_t> source_date_epoch;
};

struct CompiledProfile {
  Value root;                          // the top-level Configuration dictionary
  Platform platform = Platform::ios;  // what it was compiled for
};

/// A reference from one Graph object to another that belongs in the same profile (a
/// VPN's identity certificate, a SCEP profile's trusted root), as the input writes it.
/// Only references the object's mapping table links, and whose conditions hold, are listed.
struct GraphReference {
  std::string property;                    // the navigation property: "identityCertificate"
  std::string pointer;                     // where diagnostics about it point ("/value/0/identityCertificate")
  std::vector<std::string> ids;            // the target's Graph id (@odata.bind, expanded object, plain id)
  std::vector<std::string> display_names;  // the target's display name (expanded object, IntuneManagement #CustomRef_)
  std::vector<std::string> types;          // the target's Graph type, when the reference names it
};

/// Where a Graph object sits in its input: bytes [offset, offset + length) of the input's
/// text (UTF-8 after any byte order mark, or decoded from UTF-16): the object's JSON text.
struct TextSpan {
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// A Graph object as scanning parsed it (opaque): a BatchPlan compiles it without reading
/// or parsing its text again.
struct ParsedGraphObject;

/// One Graph object found in an input by Compiler::scan.
struct GraphObjectInfo {
  std::string pointer;       // where it sits in the input ("", "/value/3")
  TextSpan span;             // its text in the input
  std::string type;          // Graph type name as written (without "#microsoft.graph.")
  std::string id;            // the stable id: the Graph id, or a UUID derived from the content
  std::string display_name;  // empty when the object has none
  bool supported = false;    // a mapping table exists for the type
  std::vector<GraphReference> references;  // objects this one links to (supported types only)
  // Set only by a scanner a BatchPlan made (BatchPlan::scanner), while the plan's budget
  // for parsed objects lasts; BatchPlan::add_input takes it.
  std::shared_ptr<ParsedGraphObject> parsed;
};

namespace driver {
struct Access;  // how the library's own entry points (decompile) reach the loaded pipeline
}

/// Loaded mapping tables and schemas; create once, compile many times (thread-safe).
class Compiler {
 public:
  /// Uses the tables compiled into the binary, or every *.json table in `mappings_dir`.
  static std::optional<Compiler> create(const std::optional<std::string>& mappings_dir, Diagnostics& diags);
  /// Uses the tables given as text (tests, fuzzers, benchmarks, tables built in memory).
  static std::optional<Compiler> create(const std::vector<TableText>& tables, Diagnostics& diags);
  Compiler(Compiler&&) noexcept;
  Compiler& operator=(Compiler&&) noexcept;
  ~Compiler();

  /// Every Graph object in every input → one profile. Nothing is returned when any
  /// error was reported; warnings alone still produce the profile. Options holding text a
  /// property list cannot carry are refused (MCC-P003), and so is such text anywhere in
  /// the profile: what this returns always serializes.
  [[nodiscard]] std::optional<CompiledProfile> compile(const std::vector<InputFile>& inputs,
                                                       const CompileOptions& options, Diagnostics& diags) const;

  /// Reads one input and lists its Graph objects without compiling them (batch mode). A list
  /// response is read one object at a time, never as one document.
  [[nodiscard]] std::vector<GraphObjectInfo> scan(const InputFile& input, const CompileOptions& options,
                                                  Diagnostics& diags) const;

  /// The Graph types that have a mapping table.
  [[nodiscard]] std::vector<std::string> supported_types() const;
  /// The type's table as readable text (or Markdown); nothing for an unknown type.
  [[nodiscard]] std::optional<std::string> explain(std::string_view graph_type, bool markdown) const;
  /// Properties of supported types (own, inherited, nested) that no table row accounts for.
  [[nodiscard]] std::vector<std::string> uncovered_properties() const;
  /// Checks any profile against Apple's schema, and that every string and key is text a
  /// property list can carry (see serialize_plist): one diagnostic per problem (MCC-V…, and
  /// MCC-P003 for text a plist cannot carry), in `file`, its pointer leading into the plist
  /// ("/PayloadContent/0/IKEv2/DeadPeerDetectionRate"). Empty when the profile is valid.
  /// What devices accept although the schema does not is a warning (MCC-V009: a boolean where
  /// Apple says integer; a required key devices do without), and so are a key at the wrong
  /// level (MCC-V010, naming where Apple has it) and a key the platform does not have (MCC-V006,
  /// devices ignore it); a payload type the schema does not carry is a note (MCC-V005).
  /// An encrypted profile: its top level is checked, its envelope read without a key (MCC-S021
  /// when it cannot be), and each recipient Apple's decoder cannot take warns (MCC-S023).
  [[nodiscard]] Diagnostics validate(const Value& profile, Platform platform, std::string_view file = {}) const;
  /// The platform a profile is for, as the profile shows it: the one its top-level strings
  /// (name, identifier, description) alone name; else the one on which fewer of its keys and
  /// payload types are unavailable; else iOS. `reason` says which ("" for the default).
  struct DetectedPlatform {
    Platform platform;
    std::string reason;
  };
  [[nodiscard]] DetectedPlatform detect_platform(const Value& profile) const;

 private:
  friend class InputScanner;
  friend class BatchPlan;
  friend struct driver::Access;
  struct Impl;
  static std::optional<Compiler> create_from(const std::vector<std::pair<std::string, std::string>>& tables, Diagnostics& diags);
  explicit Compiler(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The library version ("0.1.0").
const char* version();

}  // namespace mcc
