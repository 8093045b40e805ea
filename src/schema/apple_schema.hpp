// SPDX-License-Identifier: Apache-2.0
#pragma once
// Apple's payload schema, compact: key names, types, allowed values, ranges,
// required keys and platform availability (schemas/apple-payloads.json, derived
// from Apple's device-management YAML, plus schemas/apple-overlay.json).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/platform.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc::schema {


struct KeySpec {
  std::string type;  // string integer real boolean date data array dictionary any; or alternatives: "string or array"
  bool required = false;
  std::vector<nlohmann::json> values;  // allowed values; empty = any
  std::optional<std::int64_t> min, max;
  std::optional<nlohmann::json> default_value;  // Apple's documented default: what leaving the key out means
  std::map<std::string, std::string, std::less<>> platforms;  // "ios"/"macos" → introduced version or "n/a"
  std::shared_ptr<KeySpec> items;                 // arrays
  std::map<std::string, KeySpec, std::less<>> keys;  // dictionaries
  bool any_keys = false;
  bool secret = false;  // overlay secretKeys.names: the value must never be printed
  std::string reason;   // overlay: why values outside `values`/the range are refused (Apple's words); shown with them
  bool override = false;  // overlay: this spec replaces the derived key's type, values, range and items
  /// overlay "missingAccepted": a key Apple's YAML marks required that devices do without; the
  /// reason why (evidence). A profile without it gets a warning (MCC-V009), not an error.
  std::string missing_accepted;

  /// Whether a value of plist type `got` ("string", "array") is of this key's type.
  [[nodiscard]] bool accepts_type(std::string_view got) const;

  [[nodiscard]] bool available_on(Platform p) const;
  /// Whether `v` is Apple's default for the key, as a device reads it (1 and true alike).
  [[nodiscard]] bool is_default(const Value& v) const;
  [[nodiscard]] std::string allowed_text() const;
};

/// "When `if_key` is present, `then_key` is required" (Apple states these in prose).
/// "then_key is required when every condition holds": a condition is a key path that
/// must be present, or "Path=value" whose value (an integer or a string) must match.
struct Dependency {
  std::vector<std::string> conditions;
  std::string then_key;
};

struct PayloadSpec {
  KeySpec root;  // type "dictionary"; common payload keys merged in
  std::vector<Dependency> dependencies;
};

/// One problem found in a profile, addressed by key path ("IKEv2.MTU", "OnDemandRules[2].Action")
/// and reported as a diagnostic (MCC-V…, MCC-P003 for uncarriable text) whose pointer leads
/// into the plist ("/PayloadContent/0/IKEv2/MTU") and whose file is left empty.
struct SchemaIssue {
  enum class Kind { unknown_key, wrong_type, not_allowed, missing_required, not_on_platform, uncarriable } kind;
  std::string path;
  Diagnostic diagnostic;
  /// validate_profile: the payload the issue is in (its position in PayloadContent), and the
  /// key path inside it, so callers attribute it without reading `path`.
  std::optional<std::size_t> payload = std::nullopt;
  std::string key = {};
  /// Devices accept it although Apple's schema does not (a value of another type they read as
  /// the schema's, a required key they do without): `validate` warns (MCC-V009). `compile`
  /// holds its own output to the schema and does not look at this.
  bool accepted = false;
};

/// The platform a profile is meant for, as far as the profile shows it, and how that shows.
struct PlatformGuess {
  Platform platform;
  std::string reason;  // "its keys and payload types", "its name", "" (nothing tells: iOS)
};

class AppleSchema {
 public:
  static std::optional<AppleSchema> from_json(const nlohmann::json& derived, const nlohmann::json& overlay,
                                              Diagnostics& diags);
  /// The same documents given as text, which must outlive the schema (the built-in ones
  /// live as long as the process): the top level, the common keys, the secret and identity
  /// keys, the dependencies and which type inherits from which are read now; each payload
  /// type's keys are only indexed, and read when payload() first reaches the type, once and
  /// thread-safely, so a fresh process builds only the types its profile uses. tests/unit
  /// read the built-in text both ways and compare. Text that cannot be indexed without
  /// reading it is read whole, as from_json reads it.
  static std::optional<AppleSchema> from_text(std::string_view derived, std::string_view overlay, Diagnostics& diags);
  /// The schema built into the binary (schemas/apple-payloads.json and apple-overlay.json),
  /// built once per process on first use (from_text), thread-safely, and shared by every
  /// Compiler and by holds_secret: a fresh process parses it once, not once for each.
  /// nullptr when it does not load; then `diags` gets what went wrong (on every call).
  static const AppleSchema* embedded(Diagnostics& diags);

  /// A payload type's spec; nullptr when the schema does not carry the type. Every query
  /// about a payload type (lookup, is_secret, holds_secret, validate_*) comes through here.
  [[nodiscard]] const PayloadSpec* payload(std::string_view type) const;
  /// The payload types the schema carries, in name order (none of them read by this).
  [[nodiscard]] std::vector<std::string> payload_types() const;
  [[nodiscard]] const PayloadSpec& toplevel() const { return toplevel_; }
  struct Lookup {
    bool available = true;          // false when the key or a dictionary along its path is not on the platform
    const KeySpec* spec = nullptr;  // when available: the key's spec; nullptr when unknown
  };
  /// Resolves "IKEv2.IKESecurityAssociationParameters.LifeTimeInMinutes" or
  /// "IKEv2.OnDemandRules[].Action" within a payload type, with its availability on `p`
  /// (a key inherits its parents'); an unknown payload type or key is available.
  [[nodiscard]] Lookup lookup(std::string_view payload_type, std::string_view path, Platform p) const;

  /// True when the value at `path` ("IKEv2.SharedSecret", "VendorConfig.password",
  /// "Passwords[0].Password") of a `payload_type` payload is a secret, or lies inside one
  /// (schemas/apple-overlay.json secretKeys). A key the schema knows is secret when the
  /// overlay names it; a key it does not know (in a payload type it does not carry, or in
  /// a dictionary of free keys such as VendorConfig) when its name looks like a secret's.
  [[nodiscard]] bool is_secret(std::string_view payload_type, std::string_view path) const;
  /// Whether any key inside `value`, the dictionary of a `payload_type` payload (or, with
  /// "", a value of the profile's top level), is a secret as is_secret says: one walk
  /// alongside the schema, rather than every key path looked up from the root.
  [[nodiscard]] bool holds_secret(std::string_view payload_type, const Value& value) const;
  /// The keys that say what a payload or the profile is rather than what it sets, in the
  /// order inspect shows them (schemas/apple-overlay.json identityKeys).
  [[nodiscard]] const std::vector<std::string>& identity_keys() const { return identity_keys_; }

  /// Validates one value against a key spec: type, allowed values, range. Empty when fine.
  /// `pointer` is where the value is in the plist (the issue's diagnostic pointer).
  [[nodiscard]] static std::optional<SchemaIssue> check_value(const KeySpec& spec, const Value& v, const std::string& path,
                                                              const std::string& pointer = {});

  /// The platform a profile is for: the one its top-level strings (name, identifier,
  /// description) name alone ("macOS", "OSX"; "iOS", "iPadOS", "iPhone", "iPad"); else the one
  /// on which fewer of its keys and payload types are unavailable; else iOS.
  [[nodiscard]] PlatformGuess detect_platform(const Value& profile) const;

  /// Validates a whole payload dictionary (recursively) for a platform.
  [[nodiscard]] std::vector<SchemaIssue> validate_payload(const Value& payload, Platform p) const;
  /// Whether validate_profile looks for text a property list cannot carry: `skip` for a
  /// caller that has just looked (the link stage, which reports it with Graph pointers).
  enum class TextCheck { check, skip };
  /// Validates a whole profile: the top level and every payload in PayloadContent, and
  /// every string and key in it is text a property list can carry (Kind::uncarriable).
  [[nodiscard]] std::vector<SchemaIssue> validate_profile(const Value& profile, Platform p,
                                                          TextCheck text = TextCheck::check) const;

 private:
  [[nodiscard]] bool secret_name(std::string_view key) const;

  struct Entry {
    PayloadSpec spec;
    std::unique_ptr<std::once_flag> once;  // from_text: set while the type is not read yet
    std::string_view derived, overlay;     // from_text: its payloads.<type> text in each ("" when absent)
    const Entry* from = nullptr;           // from_text: the type it inherits the keys of (overlay inherit)
    bool failed = false;                   // from_text: its text did not read (payload() says unknown)
  };
  void read(const Entry& entry) const;
  [[nodiscard]] std::optional<KeySpec> own_root(const Entry& entry) const;
  void read_shared(const nlohmann::json& derived, const nlohmann::json& overlay);

  PayloadSpec toplevel_;
  PayloadSpec common_;  // keys every payload type has (merged into each)
  std::map<std::string, Entry, std::less<>> payloads_;
  std::vector<std::string> secret_names_;       // secret in every payload type
  std::vector<std::string> secret_name_parts_;  // a key the schema does not know, named like a secret
  std::map<std::string, std::vector<std::string>, std::less<>> secret_paths_;  // payload type → key paths
  bool holds_secret(const std::vector<std::string>* paths, std::string& path, const KeySpec* known, const Value& v) const;
  std::vector<std::string> identity_keys_;
};

}  // namespace mcc::schema
