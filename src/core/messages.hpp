#pragma once
// Every diagnostic the library reports is made here, so codes and wording live
// in one file. Messages are lowercase, name the object, and never carry secrets
// (callers pass already-redacted value renderings).

#include <string>
#include <string_view>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::msg {

struct Where {
  std::string file;
  std::string pointer;
};

// read (MCC-R)
Diagnostic cannot_read(const std::string& file, std::string_view reason);                  // R001
Diagnostic bad_encoding(const std::string& file, std::string_view reason);                 // R002
Diagnostic bad_json(const std::string& file, std::string_view reason);                     // R003
Diagnostic no_graph_object(const Where& w, std::string_view what);                          // R004
Diagnostic missing_type(const Where& w);                                                    // R005
Diagnostic unsupported_type(const Where& w, std::string_view type, std::string_view supported);  // R006
Diagnostic too_large(const std::string& file, std::string_view what);                      // R007
Diagnostic duplicate_key(const std::string& file, std::string_view key);                   // R008

// check (MCC-C)
Diagnostic unknown_property(const Where& w, std::string_view type);                         // C001
Diagnostic wrong_json_type(const Where& w, std::string_view expected, std::string_view got);  // C002
Diagnostic unknown_enum_member(const Where& w, std::string_view value, std::string_view allowed);  // C003
Diagnostic null_not_allowed(const Where& w, std::string_view type);                         // C004
Diagnostic out_of_graph_range(const Where& w, std::string_view value, std::string_view range);  // C005
Diagnostic too_many_items(const Where& w, std::size_t count, std::size_t max);              // C006
Diagnostic type_mismatch(const Where& w, std::string_view declared, std::string_view expected);  // C007
Diagnostic string_too_long(const Where& w, std::size_t length, std::size_t max);            // C008
Diagnostic control_character(const Where& w);                                               // C009

// map (MCC-M)
Diagnostic no_apple_value(const Where& w, std::string_view value, std::string_view key, std::string_view reason);  // M001
Diagnostic apple_value_not_allowed(const Where& w, std::string_view value, std::string_view key, std::string_view allowed);  // M002
Diagnostic apple_key_missing(const Where& w, std::string_view key, std::string_view hint);  // M003
Diagnostic setting_ignored(const Where& w, std::string_view why);                           // M004
Diagnostic key_not_on_platform(const Where& w, std::string_view key, std::string_view platform);  // M005
Diagnostic key_overridden(const Where& w, std::string_view key, std::string_view old_value,
                          std::string_view new_value, std::string_view old_pointer);        // M006
Diagnostic setting_has_no_key(const Where& w, std::string_view reason);                     // M007
Diagnostic mapping_note(const Where& w, std::string_view text);                             // M008
Diagnostic transform_failed(const Where& w, std::string_view what);                         // M009
Diagnostic link_unresolved(const Where& w, std::string_view what);                          // M010
Diagnostic schema_violation(const Where& w, std::string_view what);                         // M011
Diagnostic several_scep_urls(const Where& w, std::size_t count, std::size_t used, std::string_view url);  // M012
Diagnostic scep_challenge_missing(const Where& w, std::string_view how);                     // M013
Diagnostic unknown_variable(const Where& w, std::string_view name);                         // M014
Diagnostic variable_without_value(const Where& w, std::string_view name);                   // M015
Diagnostic certificate_invalid(const Where& w, std::string_view property, std::string_view why);  // M016
Diagnostic certificate_questionable(const Where& w, std::string_view property, std::string_view why);  // M017
Diagnostic subject_invalid(const Where& w, std::string_view property, std::string_view why);  // M018
Diagnostic explicit_link_unknown(const std::string& file, std::string_view link, std::string_view name);  // M019
Diagnostic explicit_link_unused(const std::string& file, std::string_view link);                  // M020

// plist input (MCC-P)
Diagnostic not_a_plist(const std::string& file, std::string_view why);                  // P001
Diagnostic signed_profile(const std::string& file);                                         // P002
/// `subject` names the value ("PayloadContent[0].VPN.AuthName", "the identifier prefix"),
/// `what` the character ("a control character (U+0001)"); the value itself is never quoted.
Diagnostic uncarriable_value(const Where& w, std::string_view subject, std::string_view what);  // P003

// output (MCC-O)
Diagnostic cannot_write(const std::string& file, std::string_view reason);                 // O001
Diagnostic output_is_input(const std::string& file);                                        // O002

// tables (MCC-T)
Diagnostic table_invalid(const std::string& table, std::string_view pointer, std::string_view reason);  // T001
Diagnostic table_io(const std::string& path, std::string_view reason);                      // T002

}  // namespace mcc::msg
