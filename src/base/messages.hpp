// SPDX-License-Identifier: Apache-2.0
#pragma once
// Every diagnostic the library reports is made here, so codes and wording live
// in one file. Messages are lowercase, name the object, and never carry secrets
// (callers pass already-redacted value renderings).
//
// Input text in a message (a property name, a type name, a value) is shown through
// excerpt() or quote(), so that a 100,000-digit number or a 1 MiB key makes a short
// line. Factories whose parameter is raw input text quote it themselves; a parameter
// documented as "shown" is already rendered by the caller with these helpers.
// Control characters are left as they are here: format_diagnostic escapes them.

#include <nlohmann/json_fwd.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include <string_view>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::msg {

/// The most bytes of one piece of input text a message shows.
inline constexpr std::size_t kExcerptBytes = 120;

/// `text` itself when it is at most kExcerptBytes long; else its first kExcerptBytes
/// (never splitting a UTF-8 sequence) followed by "…(N bytes)", N the full length.
std::string excerpt(std::string_view text);
/// The excerpt in quotes: "text" ('text' with mark '\'').
std::string quote(std::string_view text, char mark = '"');
/// A JSON input value as a message shows it: a string quoted, anything else as JSON
/// text (a number, true, null, [...]), bounded like excerpt().
std::string shown(const nlohmann::json& value);

struct Where {
  std::string file;
  std::string pointer;
};

/// The codes that code outside this catalogue asks about (a front end's hints, a batch
/// telling its own notes apart): compare Diagnostic::code with these, never with literals.
namespace code {
inline constexpr std::string_view missing_type = "MCC-R005";
inline constexpr std::string_view link_unresolved = "MCC-M010";
}  // namespace code

/// The neutral option names set as Diagnostic::argument (see there).
namespace argument {
inline constexpr std::string_view type = "type";
inline constexpr std::string_view var = "var";
inline constexpr std::string_view scep_challenge = "scep-challenge";
inline constexpr std::string_view scep_url_index = "scep-url-index";
inline constexpr std::string_view vpn_subtype = "vpn-subtype";
inline constexpr std::string_view link = "link";
inline constexpr std::string_view passphrase = "passphrase";
inline constexpr std::string_view sign_chain = "sign-chain";
inline constexpr std::string_view identity = "identity";
inline constexpr std::string_view platform = "platform";
inline constexpr std::string_view warnings_as_errors = "warnings-as-errors";
}  // namespace argument

// read (MCC-R)
Diagnostic cannot_read(const std::string& file, std::string_view reason);                  // R001
Diagnostic bad_encoding(const std::string& file, std::string_view reason);                 // R002
Diagnostic bad_json(const std::string& file, std::string_view reason);                     // R003
Diagnostic no_graph_object(const Where& w, std::string_view what);                          // R004
Diagnostic missing_type(const Where& w);                                                    // R005
Diagnostic unsupported_type(const Where& w, std::string_view type, std::string_view supported);  // R006 (type: raw)
Diagnostic too_large(const std::string& file, std::string_view what);                      // R007
Diagnostic too_deep(const std::string& file, int depth, int max_depth);                    // R007
Diagnostic duplicate_key(const std::string& file, std::string_view key);                   // R008 (key: raw)
/// A file of Intune variable values that is not a JSON object of names and string values.
Diagnostic variables_not_an_object(const std::string& file);                               // R009
Diagnostic variable_value_not_a_string(const std::string& file, std::string_view name);   // R009 (name: raw)
Diagnostic bad_environment(std::string_view variable, std::string_view why);                // R010
/// `hidden` findings about the values of `file` were counted past the first `shown`; by code.
Diagnostic findings_not_shown(const std::string& file, Severity severity, std::size_t hidden, std::size_t shown,
                              const std::map<std::string, std::size_t>& hidden_by_code);  // R011

// check (MCC-C)
Diagnostic unknown_property(const Where& w, std::string_view type);                         // C001
Diagnostic wrong_json_type(const Where& w, std::string_view expected, std::string_view got);  // C002 (got: shown)
Diagnostic unknown_enum_member(const Where& w, std::string_view value, std::string_view allowed);  // C003 (value: raw)
Diagnostic null_not_allowed(const Where& w, std::string_view type);                         // C004
Diagnostic out_of_graph_range(const Where& w, std::string_view number, std::string_view range);  // C005 (number: raw JSON text)
Diagnostic too_many_items(const Where& w, std::size_t count, std::size_t max);              // C006
Diagnostic type_mismatch(const Where& w, std::string_view declared, std::string_view expected);  // C007 (declared: raw)
Diagnostic string_too_long(const Where& w, std::size_t length, std::size_t max);            // C008
Diagnostic control_character(const Where& w);                                               // C009

// map (MCC-M)
Diagnostic no_apple_value(const Where& w, std::string_view value, std::string_view key, std::string_view reason);  // M001 (value: shown)
/// A combination of settings no profile can carry; `text` comes from a table's notice row.
Diagnostic combination_refused(const Where& w, std::string_view text);                      // M001
/// `reason`: Apple's words on why (the schema overlay's reason), or empty.
Diagnostic apple_value_not_allowed(const Where& w, std::string_view value, std::string_view key, std::string_view allowed,
                                   std::string_view reason = {});  // M002 (value: shown)
Diagnostic apple_key_missing(const Where& w, std::string_view key, std::string_view hint);  // M003
Diagnostic setting_ignored(const Where& w, std::string_view why);                           // M004
Diagnostic key_not_on_platform(const Where& w, std::string_view key, std::string_view platform);  // M005
Diagnostic key_overridden(const Where& w, std::string_view key, std::string_view old_value,
                          std::string_view new_value, std::string_view old_pointer);        // M006 (values: shown)
Diagnostic setting_has_no_key(const Where& w, std::string_view reason);                     // M007
/// A table's note on the enum member chosen (the row's `enum` notes).
Diagnostic mapping_note(const Where& w, std::string_view text);                             // M008
Diagnostic invalid_base64(const Where& w);                                                  // M009
/// A batch's own wording (the batch planner is being reshaped; it keeps its text for now).
Diagnostic link_unresolved(const Where& w, std::string_view what);                          // M010
/// The payload a certificate link needs is missing: named by Graph id, by display name, or
/// neither (both empty).
Diagnostic linked_payload_missing(const Where& w, std::string_view purpose, std::string_view graph_id,
                                  std::string_view display_name);                          // M010
/// A batch reference that matches `count` objects (`by_id`: by their id; else by display
/// name, and type when `with_type`); `candidates` describes the first few; none is embedded.
Diagnostic link_ambiguous(const Where& w, std::string_view property, std::size_t count, bool by_id, bool with_type,
                          const std::vector<std::string>& candidates);                            // M010
Diagnostic link_target_unsupported(const Where& w, std::string_view property, std::string_view target);  // M010
Diagnostic link_target_broken(const Where& w, std::string_view target);                       // M010
Diagnostic schema_violation(const Where& w, std::string_view what);                         // M011
Diagnostic several_scep_urls(const Where& w, std::size_t count, std::size_t used, std::string_view url);  // M012 (url: raw)
/// `variable`: the Intune variable that can also supply the challenge ("" when none).
Diagnostic scep_challenge_missing(const Where& w, std::string_view variable);                // M013
Diagnostic unknown_variable(const Where& w, std::string_view name);                         // M014 (name: raw)
Diagnostic variable_without_value(const Where& w, std::string_view name);                   // M015 (name: raw)
// `property` names the setting holding the certificate; `subject` is the certificate's.
Diagnostic certificate_empty(const Where& w, std::string_view property);                    // M016
/// `shortened`: the text holds "...", as a shortened copy does.
Diagnostic certificate_not_base64(const Where& w, std::string_view property, bool shortened);  // M016
Diagnostic certificate_unreadable(const Where& w, std::string_view property, std::size_t bytes, std::string_view why);  // M016
Diagnostic certificate_expired(const Where& w, std::string_view property, std::string_view subject,
                               std::string_view date);                                     // M017
Diagnostic certificate_not_yet_valid(const Where& w, std::string_view property, std::string_view subject,
                                     std::string_view date);                               // M017
Diagnostic certificate_not_ca(const Where& w, std::string_view property, std::string_view subject);  // M017
/// `text`: the subject as written (raw); `error` and `offset` where parsing stopped.
Diagnostic subject_unparsable(const Where& w, std::string_view property, std::string_view error, std::size_t offset,
                              std::string_view text);                                      // M018
Diagnostic subject_attribute_unknown(const Where& w, std::string_view property, std::string_view type);  // M018 (type: raw)
/// The free-text subject is ignored: `format` (the format setting's name) chose `member`, meaning `subject`.
Diagnostic subject_from_format(const Where& w, std::string_view format, std::string_view member, std::string_view subject);  // M004
Diagnostic explicit_link_unknown(const std::string& file, std::string_view link, std::string_view name);  // M019 (raw)
Diagnostic explicit_link_unused(const std::string& file, std::string_view link);                  // M020 (link: raw)
Diagnostic linked_to_only_candidate(const Where& w, std::string_view purpose, std::string_view graph_type,
                                    std::string_view id);                                  // M021
Diagnostic empty_subject(const Where& w);                                                   // M022
Diagnostic repeated_dictionary_key(const Where& w, std::string_view key);                   // M023 (key: raw)
Diagnostic scep_url_not_http(const Where& w, std::string_view url);                         // M024 (url: raw)
Diagnostic san_type_without_key(const Where& w, std::string_view san_type, bool issued);                 // M025 (raw)
Diagnostic second_san_of_type(const Where& w, std::string_view san_type, std::string_view key,
                              std::string_view first_pointer);                              // M026 (san_type: raw)
Diagnostic san_without_value(const Where& w, std::string_view san_type);                    // M027 (raw)
/// `san_list` is the pointer of the list where the user can give the value instead.
Diagnostic legacy_san_flag_undocumented(const Where& w, std::string_view flag, std::string_view san_list);  // M028 (flag: raw)
Diagnostic vpn_subtype_replaced(const Where& w, std::string_view chosen, std::string_view given,
                                std::string_view key);                                      // M029 (chosen, given: raw)
Diagnostic entry_without_key(const Where& w, std::string_view key_field);                   // M030
Diagnostic scep_url_index_out_of_range(const Where& w, std::size_t index, std::size_t count);  // M031
Diagnostic tables_too_deep(const Where& w);                                                 // M032
Diagnostic value_not_copyable(const Where& w, std::string_view json_type, std::string_view key);  // M033
Diagnostic identity_missing(const Where& w);                                                 // M034
Diagnostic validity_not_issuable(const Where& w, std::int64_t value, std::string_view unit);  // M035 (unit: raw)
/// An Intune variable that needs a value from the caller has none, or a malformed one; `why` says what to give.
Diagnostic variable_value_needed(const Where& w, std::string_view name, std::string_view why);  // M036 (name: documented spelling)
/// An Intune variable used where Intune does not resolve it; `why` quotes Microsoft.
Diagnostic variable_not_supported(const Where& w, std::string_view name, std::string_view why);  // M037 (name: documented spelling)
/// The same Graph object (type and id) given twice: a note when both copies are identical (it is
/// compiled once), an error when they differ.
Diagnostic object_given_twice(const Where& w, std::string_view type, std::string_view id, const std::string& earlier_file,
                              bool identical);  // M038 (type, id: raw)

// plist input (MCC-P)
Diagnostic not_a_plist(const std::string& file, std::string_view why);                  // P001
Diagnostic signed_profile(const std::string& file);                                         // P002
/// validate on a signed profile: its content is checked, its signature is not (a note).
Diagnostic signed_content_validated(const std::string& file);                               // P004
/// `subject` names the value ("PayloadContent[0].VPN.AuthName", "the identifier prefix"),
/// `what` the character ("a control character (U+0001)"); the value itself is never quoted.
Diagnostic uncarriable_value(const Where& w, std::string_view subject, std::string_view what);  // P003

// Apple's payload schema (MCC-V): `validate`'s findings, the pointer into the plist.
// `key` is the key path within its payload ("IKEv2.DeadPeerDetectionRate").
Diagnostic schema_key_missing(const Where& w, std::string_view key);                        // V001
/// `subject`: a key path, or "the profile", "PayloadContent[0]".
Diagnostic schema_wrong_type(const Where& w, std::string_view subject, std::string_view expected,
                             std::string_view got);                                        // V002
/// `reason`: Apple's words on why (the schema overlay's), "" when none.
Diagnostic schema_value_not_allowed(const Where& w, std::string_view key, std::string_view allowed,
                                    std::string_view reason = {});  // V003
Diagnostic schema_unknown_key(const Where& w, std::string_view key);                        // V004 (key: raw)
Diagnostic schema_unknown_payload_type(const Where& w, std::string_view type);              // V005 (type: raw)
/// A warning: a device ignores a key its platform does not have (exports from Apple Configurator
/// carry the other platform's keys at their defaults).
Diagnostic schema_key_not_on_platform(const Where& w, std::string_view key, std::string_view platform);  // V006
Diagnostic schema_payload_not_on_platform(const Where& w, std::string_view type, std::string_view platform);  // V007
/// `because`: the conditions that hold ("IKEv2.CertificateType is set and IKEv2.ExtendedAuthEnabled is 1").
Diagnostic schema_key_required_when(const Where& w, std::string_view key, std::string_view because);  // V008
/// A deviation from Apple's schema that devices accept (a warning): a value of another type
/// that devices read as the schema's (`got` where `expected`), or a required key that devices
/// do without (`why`: the overlay's reason).
Diagnostic schema_type_accepted(const Where& w, std::string_view key, std::string_view expected, std::string_view got);  // V009
Diagnostic schema_missing_accepted(const Where& w, std::string_view key, std::string_view why);  // V009
/// A key Apple's schema has in the payload, but elsewhere: `expected_at` is its key path there.
Diagnostic schema_key_misplaced(const Where& w, std::string_view key, std::string_view expected_at);  // V010 (key: raw)

// output (MCC-O)
Diagnostic cannot_write(const std::string& file, std::string_view reason);                 // O001
Diagnostic output_is_input(const std::string& file);                                        // O002

// sign (MCC-S)
Diagnostic cannot_read_signing_file(const std::string& file, std::string_view reason);    // S001
Diagnostic malformed_signing_file(const std::string& file, std::string_view what, std::string_view why);  // S002
Diagnostic unsupported_key_type(const std::string& file, std::string_view type);        // S002
Diagnostic wrong_passphrase(const std::string& file);                                     // S003
Diagnostic passphrase_missing(const std::string& file);                                      // S004 (argument: passphrase)
Diagnostic passphrase_missing(const std::string& file, std::string_view options);         // S004 (options: where one can come from)
Diagnostic key_does_not_match(const std::string& key_file, const std::string& cert_file);  // S005
Diagnostic signer_not_valid_now(const std::string& file, std::string_view subject, std::string_view when);  // S006
Diagnostic signer_lacks_digital_signature(const std::string& file, std::string_view subject);  // S007
Diagnostic signing_failed(const std::string& file, std::string_view reason);              // S008
Diagnostic root_left_out(const std::string& file, std::string_view subject);              // S009
Diagnostic malformed_signature(const std::string& file, std::string_view why);            // S010
Diagnostic signed_content_not_a_plist(const std::string& file);                           // S010
Diagnostic signature_invalid(const std::string& file, std::string_view reason);           // S011
Diagnostic chain_untrusted(const std::string& file, std::string_view subject, std::string_view reason);  // S012
Diagnostic profile_not_signed(const std::string& file, bool required);                    // S013
Diagnostic already_signed(const std::string& file);                                       // S014
Diagnostic issuer_not_in_chain(const std::string& file, std::string_view issuer);          // S015
Diagnostic weak_digest(const std::string& file, std::string_view digest, bool refused);   // S016
Diagnostic lab_ca_unusable(const std::string& file, std::string_view why);                // S017
Diagnostic issuance_failed(const Where& w, std::string_view why);                          // S018
Diagnostic identity_questionable(const std::string& file, std::string_view why);          // S019
Diagnostic encryption_certificate_unusable(const std::string& file, std::string_view why); // S020
Diagnostic encrypted_payloads_invalid(const std::string& file, std::string_view why);     // S021
Diagnostic payloads_encrypted(const std::string& file, std::string_view what);           // S022
Diagnostic encryption_not_for_apple(const std::string& file, std::string_view why);       // S023


// tables (MCC-T)
Diagnostic table_invalid(const std::string& table, std::string_view pointer, std::string_view reason);  // T001
Diagnostic table_io(const std::string& path, std::string_view reason);                      // T002

// decompile (MCC-D)
Diagnostic no_graph_equivalent(const Where& w, std::string_view why);                     // D001 (why: shown)
Diagnostic key_not_carried(const Where& w, std::string_view why, std::string_view argument = {});  // D003 (why: shown)
Diagnostic payload_not_decompiled(const Where& w, std::string_view type);                 // D006 (type: raw)
Diagnostic reference_not_recreated(const Where& w, std::string_view why);                 // D007
Diagnostic display_name_made_up(const Where& w, std::string_view name);                   // D008 (name: raw)
Diagnostic key_holds_apple_default(const Where& w, std::string_view value, std::string_view why);  // D005 (value, why: shown)
Diagnostic key_added(const Where& w, std::string_view key, std::string_view value);      // D009 (key: raw, value: shown)
/// D009 as a warning: the added value is not Apple's default, so the device behaves otherwise.
Diagnostic key_added_changes_behaviour(const Where& w, std::string_view key, std::string_view value, std::string_view apple_default);
Diagnostic does_not_compile_back(const Where& w, std::string_view forward);               // D010 (forward: a formatted diagnostic)
Diagnostic platform_assumed(const std::string& file);                                     // D011
Diagnostic not_decompilable(const Where& w, std::string_view why);                        // D012
Diagnostic signature_not_checked(const std::string& file);                                // D013

// command line (MCC-U): how the tool was asked to run
Diagnostic binary_to_terminal(const std::string& file);                                // U001
Diagnostic signature_not_reproducible(const std::string& file, std::string_view key);  // U002 (note)
Diagnostic warnings_as_errors(std::size_t warnings);                                   // U003

}  // namespace mcc::msg
