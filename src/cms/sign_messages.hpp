#pragma once
// Every MCC-S diagnostic (signing, verification) is made here, so codes and wording
// live in one file. Messages are lowercase, name the object, and never carry key
// material or passphrases.

#include <string>
#include <string_view>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::msg {

// sign (MCC-S)
Diagnostic cannot_read_signing_file(const std::string& file, std::string_view reason);    // S001
Diagnostic malformed_signing_file(const std::string& file, std::string_view what, std::string_view why);  // S002
Diagnostic unsupported_key_type(const std::string& file, std::string_view type);        // S002
Diagnostic wrong_passphrase(const std::string& file);                                     // S003
Diagnostic passphrase_missing(const std::string& file);                                   // S004
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

}  // namespace mcc::msg
