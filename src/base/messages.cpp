// SPDX-License-Identifier: Apache-2.0
#include "base/messages.hpp"

#include <nlohmann/json.hpp>

namespace mcc::msg {
namespace {

// Member by member, so the fields a finding leaves empty need no mention (an aggregate
// initializer that omits them draws -Wmissing-field-initializers from g++ and clang).
Diagnostic located(Severity s, const char* code, std::string file, std::string pointer, std::string message) {
  Diagnostic d;
  d.severity = s;
  d.code = code;
  d.file = std::move(file);
  d.pointer = std::move(pointer);
  d.message = std::move(message);
  return d;
}
Diagnostic make(Severity s, const char* code, const Where& w, std::string message) {
  return located(s, code, w.file, w.pointer, std::move(message));
}
Diagnostic err(const char* code, const Where& w, std::string m) { return make(Severity::error, code, w, std::move(m)); }
Diagnostic warn(const char* code, const Where& w, std::string m) { return make(Severity::warning, code, w, std::move(m)); }
Diagnostic note(const char* code, const Where& w, std::string m) { return make(Severity::note, code, w, std::move(m)); }
std::string s(std::string_view v) { return std::string(v); }
// The option a front end can point the user at (Diagnostic::argument).
Diagnostic with_argument(Diagnostic d, std::string_view argument, std::string_view value = {}) {
  d.argument = s(argument);
  d.argument_value = s(value);
  return d;
}

// The signing and verification messages name a file, never a pointer.
Diagnostic file_diag(Severity s, const char* code, const std::string& file, std::string message) {
  return located(s, code, file, "", std::move(message));
}
Diagnostic file_error(const char* code, const std::string& file, std::string m) {
  return file_diag(Severity::error, code, file, std::move(m));
}


// The excerpt without its quotes; a cut never splits a UTF-8 sequence.
std::string bounded(std::string_view text) {
  if (text.size() <= kExcerptBytes) return std::string(text);
  std::size_t cut = kExcerptBytes;
  // Back up over at most three continuation bytes to the start of the sequence.
  for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++i) --cut;
  return std::string(text.substr(0, cut)) + "\u2026(" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

std::string excerpt(std::string_view text) { return bounded(text); }

std::string quote(std::string_view text, char mark) { return mark + bounded(text) + mark; }

std::string shown(const nlohmann::json& value) {
  if (value.is_string()) return quote(value.get_ref<const std::string&>());
  if (value.is_null()) return "null";
  // Strings inside arrays and objects passed the reader's UTF-8 check, but a dump must not throw.
  return bounded(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Diagnostic cannot_read(const std::string& file, std::string_view reason) {
  return err("MCC-R001", {file, ""}, "cannot read file: " + s(reason));
}
Diagnostic bad_encoding(const std::string& file, std::string_view reason) {
  return err("MCC-R002", {file, ""}, "cannot decode text: " + s(reason));
}
Diagnostic bad_json(const std::string& file, std::string_view reason) {
  return err("MCC-R003", {file, ""}, "invalid json: " + s(reason));
}
Diagnostic no_graph_object(const Where& w, std::string_view what) {
  return err("MCC-R004", w, "expected a graph object, a {\"value\": ...} response or an array of objects, found " + s(what));
}
Diagnostic missing_type(const Where& w) {
  return with_argument(err(code::missing_type.data(), w, "no @odata.type; name the graph type"), argument::type);
}
Diagnostic unsupported_type(const Where& w, std::string_view type, std::string_view supported) {
  return err("MCC-R006", w, "unsupported graph type " + quote(type, '\'') + " (supported: " + s(supported) + ")");
}
Diagnostic too_large(const std::string& file, std::string_view what) {
  return err("MCC-R007", {file, ""}, "input too large: " + s(what));
}
Diagnostic too_deep(const std::string& file, int depth, int max_depth) {
  return too_large(file, "nesting " + std::to_string(depth) + " levels deep; at most " + std::to_string(max_depth) +
                             " are accepted");
}
Diagnostic duplicate_key(const std::string& file, std::string_view key) {
  return err("MCC-R008", {file, ""}, "duplicate object key " + quote(key, '\''));
}
Diagnostic bad_environment(std::string_view variable, std::string_view why) {
  return err("MCC-R010", {"", ""}, "the environment variable " + s(variable) + " is not usable: " + s(why));
}

Diagnostic findings_not_shown(const std::string& file, Severity severity, std::size_t hidden, std::size_t shown,
                              const std::map<std::string, std::size_t>& hidden_by_code) {
  std::string by_code;
  for (const auto& [code, n] : hidden_by_code) by_code += (by_code.empty() ? "" : ", ") + code + ": " + std::to_string(n);
  return make(severity, "MCC-R011", {file, ""},
              std::to_string(hidden) + " more findings about the values of this input are not shown, only the first " +
                  std::to_string(shown) + " (" + by_code + ")");
}

Diagnostic variables_not_an_object(const std::string& file) {
  return err("MCC-R009", {file, ""}, "not a file of variables: expected a JSON object of variable names and string values");
}
Diagnostic variable_value_not_a_string(const std::string& file, std::string_view name) {
  return err("MCC-R009", {file, ""}, "not a file of variables: the value of " + quote(name, '\'') + " is not a string");
}

Diagnostic unknown_property(const Where& w, std::string_view type) {
  return warn("MCC-C001", w, "unknown property for " + s(type) + "; it is ignored");
}
Diagnostic wrong_json_type(const Where& w, std::string_view expected, std::string_view got) {
  return err("MCC-C002", w, "expected " + s(expected) + ", found " + s(got));
}
Diagnostic unknown_enum_member(const Where& w, std::string_view value, std::string_view allowed) {
  return err("MCC-C003", w, "unknown value " + quote(value) + " (allowed: " + s(allowed) + ")");
}
Diagnostic null_not_allowed(const Where& w, std::string_view type) {
  return err("MCC-C004", w, "null is not allowed here (" + s(type) + ", not nullable)");
}
Diagnostic out_of_graph_range(const Where& w, std::string_view number, std::string_view range) {
  return err("MCC-C005", w, "value " + excerpt(number) + " is out of range (allowed: " + s(range) + ")");
}
Diagnostic too_many_items(const Where& w, std::size_t count, std::size_t max) {
  return err("MCC-C006", w, std::to_string(count) + " elements; graph allows at most " + std::to_string(max));
}
Diagnostic type_mismatch(const Where& w, std::string_view declared, std::string_view expected) {
  return err("MCC-C007", w, "@odata.type " + quote(declared, '\'') + " does not match the expected type " + s(expected));
}
Diagnostic string_too_long(const Where& w, std::size_t length, std::size_t max) {
  return err("MCC-C008", w, "string of " + std::to_string(length) + " bytes; at most " + std::to_string(max) + " are accepted");
}
Diagnostic control_character(const Where& w) {
  return err("MCC-C009", w, "string contains a control character that a property list cannot carry");
}

Diagnostic no_apple_value(const Where& w, std::string_view value, std::string_view key, std::string_view reason) {
  std::string m = "value " + s(value) + " has no equivalent for " + s(key);
  if (!reason.empty()) m += ": " + s(reason);
  return err("MCC-M001", w, m);
}
Diagnostic combination_refused(const Where& w, std::string_view text) {
  return err("MCC-M001", w, s(text));
}
Diagnostic apple_value_not_allowed(const Where& w, std::string_view value, std::string_view key, std::string_view allowed,
                                   std::string_view reason) {
  std::string m = "value " + s(value) + " is not allowed for " + s(key) + " (allowed: " + s(allowed) + ")";
  if (!reason.empty()) m += ": " + s(reason);
  return err("MCC-M002", w, m);
}
Diagnostic apple_key_missing(const Where& w, std::string_view key, std::string_view hint) {
  std::string m = "required key " + s(key) + " is not set";
  if (!hint.empty()) m += "; set " + s(hint);
  return err("MCC-M003", w, m);
}
Diagnostic setting_ignored(const Where& w, std::string_view why) {
  return warn("MCC-M004", w, "setting ignored: " + s(why));
}
Diagnostic key_not_on_platform(const Where& w, std::string_view key, std::string_view platform) {
  return warn("MCC-M005", w, s(key) + " is not available on " + s(platform) + "; it is left out");
}
Diagnostic key_overridden(const Where& w, std::string_view key, std::string_view old_value,
                          std::string_view new_value, std::string_view old_pointer) {
  return warn("MCC-M006", w, s(key) + " set to " + s(new_value) + ", replacing " + s(old_value) + " from " + s(old_pointer));
}
Diagnostic setting_has_no_key(const Where& w, std::string_view reason) {
  return warn("MCC-M007", w, "setting has no profile key and is not carried over: " + s(reason));
}
Diagnostic mapping_note(const Where& w, std::string_view text) {
  return warn("MCC-M008", w, s(text));
}
Diagnostic invalid_base64(const Where& w) {
  return err("MCC-M009", w, "not valid base64");
}
Diagnostic link_unresolved(const Where& w, std::string_view what) {
  return warn(code::link_unresolved.data(), w, s(what));
}
Diagnostic linked_payload_missing(const Where& w, std::string_view purpose, std::string_view graph_id,
                                  std::string_view display_name) {
  std::string m = "certificate authentication needs the " + s(purpose) + " payload, which is not in this profile";
  if (!graph_id.empty()) m += "; add the Graph object with id " + excerpt(graph_id) + " to the same compile";
  else if (!display_name.empty()) m += "; add the Graph object named " + quote(display_name, '\'') + " to the same compile";
  else m += "; add the SCEP or PKCS certificate profile to the same compile";
  return warn(code::link_unresolved.data(), w, m);
}
Diagnostic link_ambiguous(const Where& w, std::string_view property, std::size_t count, bool by_id, bool with_type,
                          const std::vector<std::string>& candidates) {
  std::string what = "the " + s(property) + " reference is ambiguous: " + std::to_string(count) + " objects in the inputs have " +
                     (by_id ? "its id" : "its display name" + std::string(with_type ? " and type" : "")) + ": ";
  for (std::size_t k = 0; k < candidates.size(); ++k) what += (k ? "; " : "") + candidates[k];
  if (count > candidates.size()) what += "; and " + std::to_string(count - candidates.size()) + " more";
  what += by_id ? "; none is embedded (remove the duplicates from the inputs)"
                : "; none is embedded (reference one by id with " + s(property) + "@odata.bind, or give the others different names)";
  return link_unresolved(w, what);
}
Diagnostic link_target_unsupported(const Where& w, std::string_view property, std::string_view target) {
  return link_unresolved(w, "the " + s(property) + " reference names " + s(target) + ", which is not a supported graph type; it is not embedded");
}
Diagnostic link_target_broken(const Where& w, std::string_view target) {
  return link_unresolved(w, "the reference names " + s(target) + ", which has errors (reported with its own profile); it is not embedded");
}
Diagnostic schema_violation(const Where& w, std::string_view what) {
  return err("MCC-M011", w, "output does not satisfy apple's schema: " + s(what));
}
Diagnostic several_scep_urls(const Where& w, std::size_t count, std::size_t used, std::string_view url) {
  return with_argument(warn("MCC-M012", w, std::to_string(count) + " SCEP server URLs are given and the profile takes one: it uses #" +
                                               std::to_string(used + 1) + " (" + excerpt(url) +
                                               "); Intune hands each device one of them"),
                       argument::scep_url_index);
}
Diagnostic scep_challenge_missing(const Where& w, std::string_view variable) {
  return with_argument(warn("MCC-M013", w, "the SCEP payload has no Challenge, so the device will need one that the SCEP server "
                                           "accepts; Intune issues a one-time challenge per device"),
                       argument::scep_challenge, excerpt(variable));
}
Diagnostic unknown_variable(const Where& w, std::string_view name) {
  const std::string n = excerpt(name);
  return with_argument(warn("MCC-M014", w, "{{" + n + "}} is not an Intune variable, so Intune would not replace it; it is kept verbatim"),
                       argument::var, n);
}
Diagnostic variable_without_value(const Where& w, std::string_view name) {
  const std::string n = excerpt(name);
  return with_argument(warn("MCC-M015", w, "no value given for {{" + n + "}}; it is kept verbatim"), argument::var, n);
}
namespace {
Diagnostic certificate_invalid(const Where& w, std::string_view property, std::string_view why) {
  return err("MCC-M016", w, s(property) + " is not a usable certificate: " + s(why));
}
Diagnostic certificate_questionable(const Where& w, std::string_view property, std::string_view why) {
  return warn("MCC-M017", w, s(property) + ": " + s(why));
}
Diagnostic subject_invalid(const Where& w, std::string_view property, std::string_view why) {
  return err("MCC-M018", w, s(property) + " is not a valid X.500 subject: " + s(why));
}
}  // namespace
Diagnostic certificate_empty(const Where& w, std::string_view property) {
  return certificate_invalid(w, property, "it is empty");
}
Diagnostic certificate_not_base64(const Where& w, std::string_view property, bool shortened) {
  return certificate_invalid(w, property,
                             shortened ? "it is not valid base64 (it contains \"...\": was it shortened?)" : "it is not valid base64");
}
Diagnostic certificate_unreadable(const Where& w, std::string_view property, std::size_t bytes, std::string_view why) {
  return certificate_invalid(w, property, "its " + std::to_string(bytes) + " bytes are " + s(why));
}
Diagnostic certificate_expired(const Where& w, std::string_view property, std::string_view subject, std::string_view date) {
  return certificate_questionable(w, property, "the certificate " + s(subject) + " expired on " + s(date) + "; devices will not trust it");
}
Diagnostic certificate_not_yet_valid(const Where& w, std::string_view property, std::string_view subject,
                                     std::string_view date) {
  return certificate_questionable(w, property, "the certificate " + s(subject) + " is not valid before " + s(date));
}
Diagnostic certificate_not_ca(const Where& w, std::string_view property, std::string_view subject) {
  return certificate_questionable(w, property, "the certificate " + s(subject) +
                                                   " is not a CA certificate (no basicConstraints cA); as a trusted root it "
                                                   "anchors nothing it did not sign itself");
}
Diagnostic subject_unparsable(const Where& w, std::string_view property, std::string_view error, std::size_t offset,
                              std::string_view text) {
  return subject_invalid(w, property, s(error) + " at offset " + std::to_string(offset) + " of " + quote(text));
}
Diagnostic subject_attribute_unknown(const Where& w, std::string_view property, std::string_view type) {
  return subject_invalid(w, property, "attribute type " + quote(type, '\'') +
                                          " has no OID known to mobileconfigc; write it as a dotted OID (for example 2.5.4.5=...)");
}
Diagnostic subject_from_format(const Where& w, std::string_view format, std::string_view member, std::string_view subject) {
  return setting_ignored(w, "the subject comes from " + s(format) + " (" + quote(member) + " means " + s(subject) + ")");
}
Diagnostic explicit_link_unknown(const std::string& file, std::string_view link, std::string_view name) {
  return with_argument(err("MCC-M019", {file, ""}, "the link " + excerpt(link) +
                                                      ": no object in this compile has the Graph id or display name " +
                                                      quote(name, '\'')),
                       argument::link);
}
Diagnostic explicit_link_unused(const std::string& file, std::string_view link) {
  return with_argument(warn("MCC-M020", {file, ""},
                            "the link " + excerpt(link) +
                                " links nothing: the first object has no certificate reference that the second can fill (a VPN "
                                "with certificate authentication → a SCEP profile, a SCEP profile → a trusted root)"),
                       argument::link);
}
Diagnostic linked_to_only_candidate(const Where& w, std::string_view purpose, std::string_view graph_type,
                                    std::string_view id) {
  return warn("MCC-M021", w, "the " + s(purpose) + " is not referenced; it is linked to the only candidate in this profile, " +
                                 s(graph_type) + " " + s(id));
}
Diagnostic empty_subject(const Where& w) {
  return warn("MCC-M022", w, "no subject name is given; the certificate request has an empty subject");
}
Diagnostic repeated_dictionary_key(const Where& w, std::string_view key) {
  return warn("MCC-M023", w, "key " + quote(key, '\'') + " repeats an earlier entry; the later value wins");
}
Diagnostic scep_url_not_http(const Where& w, std::string_view url) {
  return warn("MCC-M024", w, "the SCEP server URL " + quote(url) + " is not an http:// or https:// URL");
}
Diagnostic san_type_without_key(const Where& w, std::string_view san_type, bool issued) {
  return warn("MCC-M025", w, "subject alternative names of type " + excerpt(san_type) +
                                 (issued ? " are resolved by Intune per user and cannot be issued here"
                                         : " have no key in Apple's SCEP payload") +
                                 "; this one is left out");
}
Diagnostic second_san_of_type(const Where& w, std::string_view san_type, std::string_view key,
                              std::string_view first_pointer) {
  return warn("MCC-M026", w, "a second " + excerpt(san_type) + " subject alternative name: Apple's " + s(key) +
                                 " takes a single string, and the profile keeps the first (from " + s(first_pointer) + ")");
}
Diagnostic san_without_value(const Where& w, std::string_view san_type) {
  return warn("MCC-M027", w, "subject alternative name of type " + excerpt(san_type) + " has no value; it is left out");
}
Diagnostic legacy_san_flag_undocumented(const Where& w, std::string_view flag, std::string_view san_list) {
  return warn("MCC-M028", w, "the legacy subject alternative name flag " + excerpt(flag) +
                                 " has no documented value; add it to " + s(san_list) + " with the value to request");
}
Diagnostic vpn_subtype_replaced(const Where& w, std::string_view chosen, std::string_view given, std::string_view key) {
  return with_argument(warn("MCC-M029", w, "the chosen VPN subtype " + excerpt(chosen) + " replaces " + quote(given) + " as " + s(key)),
                       argument::vpn_subtype);
}
Diagnostic entry_without_key(const Where& w, std::string_view key_field) {
  return err("MCC-M030", w, "entry needs a non-empty string '" + s(key_field) + "'");
}
Diagnostic scep_url_index_out_of_range(const Where& w, std::size_t index, std::size_t count) {
  return with_argument(err("MCC-M031", w, "SCEP server URL index " + std::to_string(index) + " is out of range: " +
                                              std::to_string(count) + " SCEP server URLs are given (0 to " +
                                              std::to_string(count - 1) + ")"),
                       argument::scep_url_index);
}
Diagnostic tables_too_deep(const Where& w) {
  return err("MCC-M032", w, "mapping tables nest too deeply or expand too far (a table that contains itself?)");
}
Diagnostic value_not_copyable(const Where& w, std::string_view json_type, std::string_view key) {
  return err("MCC-M033", w, "a " + s(json_type) + " cannot be copied to " + s(key));
}
Diagnostic validity_not_issuable(const Where& w, std::int64_t value, std::string_view unit) {
  return err("MCC-M035", w, "a certificate validity of " + std::to_string(value) + " " + excerpt(unit) + " cannot be issued");
}
Diagnostic identity_missing(const Where& w) {
  return with_argument(err("MCC-M034", w,
                           "a PKCS certificate profile needs the identity Intune's certificate connector delivers, which "
                           "Graph does not carry"),
                       argument::identity);
}
Diagnostic variable_value_needed(const Where& w, std::string_view name, std::string_view why) {
  return err("MCC-M036", w, "{{" + excerpt(name) + "}} needs a value: " + s(why));
}
Diagnostic variable_not_supported(const Where& w, std::string_view name, std::string_view why) {
  return warn("MCC-M037", w, "{{" + excerpt(name) + "}} is not resolved here: " + s(why));
}
Diagnostic object_given_twice(const Where& w, std::string_view type, std::string_view id, const std::string& earlier_file,
                              bool identical) {
  const std::string what = excerpt(type) + " " + excerpt(id) + " is given twice (also in " + earlier_file + ")";
  if (identical) return note("MCC-M038", w, what + "; it is compiled once");
  return err("MCC-M038", w, what + " with different contents; one profile cannot carry both (their payloads would share a PayloadUUID): remove one");
}

Diagnostic not_a_plist(const std::string& file, std::string_view why) {
  return err("MCC-P001", {file, ""}, "not a property list: " + s(why));
}
Diagnostic uncarriable_value(const Where& w, std::string_view subject, std::string_view what) {
  return err("MCC-P003", w, s(subject) + " holds " + s(what) + ", which a property list cannot carry");
}
namespace {
std::string a(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + s(noun);
}
}  // namespace

Diagnostic schema_key_missing(const Where& w, std::string_view key) {
  return err("MCC-V001", w, s(key) + " is required");
}
Diagnostic schema_wrong_type(const Where& w, std::string_view subject, std::string_view expected, std::string_view got) {
  return err("MCC-V002", w, s(subject) + " must be " + a(expected) + ", not " + a(got));
}
Diagnostic schema_value_not_allowed(const Where& w, std::string_view key, std::string_view allowed, std::string_view reason) {
  return err("MCC-V003", w, s(key) + " has a value that is not allowed (allowed: " + s(allowed) + ")" + (reason.empty() ? "" : ": " + s(reason)));
}
Diagnostic schema_unknown_key(const Where& w, std::string_view key) {
  return err("MCC-V004", w, excerpt(key) + " is not a key of this payload in Apple's schema");
}
Diagnostic schema_unknown_payload_type(const Where& w, std::string_view type) {
  return note("MCC-V005", w, "payload type " + quote(type, '\'') + " is not in Apple's schema as mobileconfigc carries it; its keys were not checked");
}
Diagnostic schema_key_not_on_platform(const Where& w, std::string_view key, std::string_view platform) {
  return warn("MCC-V006", w, s(key) + " is not available on " + s(platform) + "; devices there ignore it");
}
Diagnostic schema_payload_not_on_platform(const Where& w, std::string_view type, std::string_view platform) {
  return err("MCC-V007", w, "payload type " + s(type) + " is not available on " + s(platform));
}
Diagnostic schema_key_required_when(const Where& w, std::string_view key, std::string_view because) {
  return err("MCC-V008", w, s(key) + " is required when " + s(because));
}
Diagnostic schema_type_accepted(const Where& w, std::string_view key, std::string_view expected, std::string_view got) {
  return warn("MCC-V009", w, s(key) + " is " + a(got) + " where Apple's schema says " + a(expected) + "; devices accept it");
}
Diagnostic schema_missing_accepted(const Where& w, std::string_view key, std::string_view why) {
  return warn("MCC-V009", w, s(key) + " is missing; Apple's schema requires it, but devices accept the profile without it: " + s(why));
}
Diagnostic schema_key_misplaced(const Where& w, std::string_view key, std::string_view expected_at) {
  return warn("MCC-V010", w, excerpt(key) + " is not a key at this level; Apple's schema has it at " + s(expected_at));
}

Diagnostic cannot_write(const std::string& file, std::string_view reason) {
  return err("MCC-O001", {file, ""}, "cannot write output: " + s(reason));
}
Diagnostic output_is_input(const std::string& file) {
  return err("MCC-O002", {file, ""}, "refusing to overwrite an input file");
}
Diagnostic signed_content_validated(const std::string& file) {
  return note("MCC-P004", {file, ""}, "the profile is signed; its content is validated, its signature was not verified (use verify)");
}
Diagnostic signed_profile(const std::string& file) {
  return err("MCC-P002", {file, ""}, "the profile is signed; run 'mobileconfigc verify', or validate the unsigned profile");
}

Diagnostic table_invalid(const std::string& table, std::string_view pointer, std::string_view reason) {
  return err("MCC-T001", {table, s(pointer)}, "invalid mapping table: " + s(reason));
}
Diagnostic table_io(const std::string& path, std::string_view reason) {
  return err("MCC-T002", {path, ""}, "cannot load mapping tables: " + s(reason));
}

// ---- sign and verify (MCC-S) ----

Diagnostic cannot_read_signing_file(const std::string& file, std::string_view reason) {
  return file_error("MCC-S001", file, "cannot read file: " + s(reason));
}
Diagnostic malformed_signing_file(const std::string& file, std::string_view what, std::string_view why) {
  return file_error("MCC-S002", file, "not " + s(what) + ": " + s(why));
}
Diagnostic unsupported_key_type(const std::string& file, std::string_view type) {
  return file_error("MCC-S002", file,
             "not a usable signing key: " + s(type) +
                 " keys cannot sign profiles; use an RSA or ECDSA key (what Apple's tools sign with and devices verify)");
}
Diagnostic wrong_passphrase(const std::string& file) {
  return file_error("MCC-S003", file, "wrong passphrase: the file cannot be decrypted with it");
}
Diagnostic passphrase_missing(const std::string& file) {
  return with_argument(file_error("MCC-S004", file, "the file is encrypted and no passphrase was given"), argument::passphrase);
}
Diagnostic passphrase_missing(const std::string& file, std::string_view options) {
  return file_error("MCC-S004", file, "the file is encrypted and no passphrase was given; " + s(options));
}
Diagnostic key_does_not_match(const std::string& key_file, const std::string& cert_file) {
  return file_error("MCC-S005", key_file, "the private key does not belong to the signer certificate in " + cert_file);
}
Diagnostic signer_not_valid_now(const std::string& file, std::string_view subject, std::string_view when) {
  return file_diag(Severity::warning, "MCC-S006", file,
              "the signer certificate " + s(subject) + " " + s(when) + "; devices will show the profile as not verified");
}
Diagnostic signer_lacks_digital_signature(const std::string& file, std::string_view subject) {
  return file_diag(Severity::warning, "MCC-S007", file,
              "the signer certificate " + s(subject) +
                  " has a key usage without digitalSignature; verifiers may reject the signature");
}
Diagnostic signing_failed(const std::string& file, std::string_view reason) {
  return file_error("MCC-S008", file, "cannot sign: " + s(reason));
}
Diagnostic root_left_out(const std::string& file, std::string_view subject) {
  return file_diag(Severity::note, "MCC-S009", file,
              "the self-signed certificate " + s(subject) + " is a root and is not embedded; verifiers must already trust it");
}
Diagnostic malformed_signature(const std::string& file, std::string_view why) {
  return file_error("MCC-S010", file, "not a valid signed profile: " + s(why));
}
Diagnostic signed_content_not_a_plist(const std::string& file) {
  return file_error("MCC-S010", file, "not a valid signed profile: the signed content is not a property list");
}
Diagnostic signature_invalid(const std::string& file, std::string_view reason) {
  return file_error("MCC-S011", file, "the signature does not verify (the profile was changed after signing, or the signature is damaged): " + s(reason));
}
Diagnostic chain_untrusted(const std::string& file, std::string_view subject, std::string_view reason) {
  return file_error("MCC-S012", file, "the signer " + s(subject) + " is not trusted: " + s(reason));
}
Diagnostic profile_not_signed(const std::string& file, bool required) {
  return file_diag(required ? Severity::error : Severity::warning, "MCC-S013", file, "the profile is not signed");
}
Diagnostic already_signed(const std::string& file) {
  return file_error("MCC-S014", file, "the profile is already signed; sign the unsigned profile instead (mobileconfigc inspect shows what it contains)");
}

Diagnostic weak_digest(const std::string& file, std::string_view digest, bool refused) {
  if (refused)
    return file_error("MCC-S016", file,
               "the signature uses the " + s(digest) +
                   " digest, which is not accepted: anyone can make other content with the same digest; "
                   "sign the profile again with SHA-256");
  return file_diag(Severity::warning, "MCC-S016", file,
              "the signature uses the " + s(digest) +
                  " digest, which is weak (collisions can be made); devices still accept it, but sign the profile "
                  "again with SHA-256");
}

Diagnostic lab_ca_unusable(const std::string& file, std::string_view why) {
  return file_error("MCC-S017", file, "cannot issue lab identities with this CA: " + s(why));
}
Diagnostic issuance_failed(const Where& w, std::string_view why) {
  return err("MCC-S018", w, "cannot issue the lab identity: " + s(why));
}
Diagnostic identity_questionable(const std::string& file, std::string_view why) {
  return file_diag(Severity::warning, "MCC-S019", file, "identity: " + s(why));
}

Diagnostic encryption_certificate_unusable(const std::string& file, std::string_view why) {
  return file_error("MCC-S020", file, "cannot encrypt for this certificate: " + s(why));
}
Diagnostic encrypted_payloads_invalid(const std::string& file, std::string_view why) {
  return file_error("MCC-S021", file, "the encrypted payloads cannot be read: " + s(why));
}
Diagnostic payloads_encrypted(const std::string& file, std::string_view what) {
  return file_diag(Severity::note, "MCC-S022", file, s(what));
}
Diagnostic encryption_not_for_apple(const std::string& file, std::string_view why) {
  return file_diag(Severity::warning, "MCC-S023", file, "Apple devices may not decrypt this profile: " + s(why));
}

Diagnostic issuer_not_in_chain(const std::string& file, std::string_view issuer) {
  return with_argument(file_diag(Severity::warning, "MCC-S015", file,
                                 "the signer's issuer " + s(issuer) +
                                     " is not in the chain; unless devices trust it as a root, add it to the chain"),
                       argument::sign_chain);
}

Diagnostic no_graph_equivalent(const Where& w, std::string_view why) {
  return err("MCC-D001", w, "no graph equivalent: " + s(why));
}
Diagnostic key_not_carried(const Where& w, std::string_view why, std::string_view argument) {
  return with_argument(warn("MCC-D003", w, "not carried: " + s(why)), argument);
}
Diagnostic payload_not_decompiled(const Where& w, std::string_view type) {
  return warn("MCC-D006", w, "no graph type produces payload type " + quote(type, '\'') +
                                 " on this platform; it is not decompiled (wrap the profile as a custom configuration instead)");
}
Diagnostic reference_not_recreated(const Where& w, std::string_view why) {
  return warn("MCC-D007", w, "reference not recreated: " + s(why));
}
Diagnostic display_name_made_up(const Where& w, std::string_view name) {
  return make(Severity::note, "MCC-D008", w, "the payload has no display name; the graph object is named " + quote(name));
}
Diagnostic key_holds_apple_default(const Where& w, std::string_view value, std::string_view why) {
  return note("MCC-D005", w, "not carried, and need not be: " + s(value) + " is Apple's default, which leaving the key out means (" +
                                 s(why) + ")");
}
Diagnostic key_added_changes_behaviour(const Where& w, std::string_view key, std::string_view value, std::string_view apple_default) {
  return warn("MCC-D009", w, "compiling the graph object back adds " + s(key) + " = " + s(value) + ", which the profile lacks; " +
                                 "leaving it out means Apple's default " + s(apple_default) + ", so the device would behave otherwise");
}
Diagnostic key_added(const Where& w, std::string_view key, std::string_view value) {
  return make(Severity::note, "MCC-D009", w, "compiling the graph object back adds " + s(key) + " = " + s(value) + ", which the profile lacks");
}
Diagnostic does_not_compile_back(const Where& w, std::string_view forward) {
  return err("MCC-D010", w, "the decompiled object does not compile back (a mapping table inconsistency): " + s(forward));
}
Diagnostic platform_assumed(const std::string& file) {
  return with_argument(make(Severity::note, "MCC-D011", {file, ""}, "the profile does not say its platform; ios is assumed"),
                       argument::platform);
}
Diagnostic not_decompilable(const Where& w, std::string_view why) {
  return err("MCC-D012", w, "cannot decompile: " + s(why));
}
Diagnostic signature_not_checked(const std::string& file) {
  return make(Severity::note, "MCC-D013", {file, ""}, "the profile is signed; its content is decompiled without checking the signature (use verify)");
}

Diagnostic binary_to_terminal(const std::string& file) {
  return err("MCC-U001", {file, ""},
             "refusing to write binary output to a terminal; redirect it, or give -o - to write it anyway");
}
Diagnostic signature_not_reproducible(const std::string& file, std::string_view key) {
  return note("MCC-U002", {file, ""},
              "the signing time is fixed, but an " + s(key) +
                  " signature is not reproducible (ECDSA signatures are randomised); sign with an RSA key "
                  "for byte-identical output");
}
Diagnostic warnings_as_errors(std::size_t warnings) {
  return with_argument(err("MCC-U003", {},
             std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings") +
                 " treated as errors"), argument::warnings_as_errors, "");
}

}  // namespace mcc::msg
