#include "cms/sign_messages.hpp"

namespace mcc::msg {
namespace {

Diagnostic make(Severity s, const char* code, const std::string& file, std::string message) {
  return Diagnostic{s, code, file, "", std::move(message)};
}
Diagnostic err(const char* code, const std::string& file, std::string m) {
  return make(Severity::error, code, file, std::move(m));
}
std::string s(std::string_view v) { return std::string(v); }

}  // namespace

Diagnostic cannot_read_signing_file(const std::string& file, std::string_view reason) {
  return err("MCC-S001", file, "cannot read file: " + s(reason));
}
Diagnostic malformed_signing_file(const std::string& file, std::string_view what, std::string_view why) {
  return err("MCC-S002", file, "not " + s(what) + ": " + s(why));
}
Diagnostic unsupported_key_type(const std::string& file, std::string_view type) {
  return err("MCC-S002", file,
             "not a usable signing key: " + s(type) +
                 " keys cannot sign profiles; use an RSA or ECDSA key (what Apple's tools sign with and devices verify)");
}
Diagnostic wrong_passphrase(const std::string& file) {
  return err("MCC-S003", file, "wrong passphrase: the file cannot be decrypted with it");
}
Diagnostic passphrase_missing(const std::string& file) {
  return err("MCC-S004", file,
             "the file is encrypted and no passphrase was given; set MOBILECONFIGC_SIGN_PASSPHRASE, "
             "use --sign-passphrase-file, or run on a terminal to be asked");
}
Diagnostic key_does_not_match(const std::string& key_file, const std::string& cert_file) {
  return err("MCC-S005", key_file, "the private key does not belong to the signer certificate in " + cert_file);
}
Diagnostic signer_not_valid_now(const std::string& file, std::string_view subject, std::string_view when) {
  return make(Severity::warning, "MCC-S006", file,
              "the signer certificate " + s(subject) + " " + s(when) + "; devices will show the profile as not verified");
}
Diagnostic signer_lacks_digital_signature(const std::string& file, std::string_view subject) {
  return make(Severity::warning, "MCC-S007", file,
              "the signer certificate " + s(subject) +
                  " has a key usage without digitalSignature; verifiers may reject the signature");
}
Diagnostic signing_failed(const std::string& file, std::string_view reason) {
  return err("MCC-S008", file, "cannot sign: " + s(reason));
}
Diagnostic root_left_out(const std::string& file, std::string_view subject) {
  return make(Severity::note, "MCC-S009", file,
              "the self-signed certificate " + s(subject) + " is a root and is not embedded; verifiers must already trust it");
}
Diagnostic malformed_signature(const std::string& file, std::string_view why) {
  return err("MCC-S010", file, "not a valid signed profile: " + s(why));
}
Diagnostic signed_content_not_a_plist(const std::string& file) {
  return err("MCC-S010", file, "not a valid signed profile: the signed content is not a property list");
}
Diagnostic signature_invalid(const std::string& file, std::string_view reason) {
  return err("MCC-S011", file, "the signature does not verify (the profile was changed after signing, or the signature is damaged): " + s(reason));
}
Diagnostic chain_untrusted(const std::string& file, std::string_view subject, std::string_view reason) {
  return err("MCC-S012", file, "the signer " + s(subject) + " is not trusted: " + s(reason));
}
Diagnostic profile_not_signed(const std::string& file, bool required) {
  return make(required ? Severity::error : Severity::warning, "MCC-S013", file, "the profile is not signed");
}
Diagnostic already_signed(const std::string& file) {
  return err("MCC-S014", file, "the profile is already signed; sign the unsigned profile instead (mobileconfigc inspect shows what it contains)");
}

Diagnostic weak_digest(const std::string& file, std::string_view digest, bool refused) {
  if (refused)
    return err("MCC-S016", file,
               "the signature uses the " + s(digest) +
                   " digest, which is not accepted: anyone can make other content with the same digest; "
                   "sign the profile again with SHA-256");
  return make(Severity::warning, "MCC-S016", file,
              "the signature uses the " + s(digest) +
                  " digest, which is weak (collisions can be made); devices still accept it, but sign the profile "
                  "again with SHA-256");
}

Diagnostic issuer_not_in_chain(const std::string& file, std::string_view issuer) {
  return make(Severity::warning, "MCC-S015", file,
              "the signer's issuer " + s(issuer) +
                  " is not in the chain; unless devices trust it as a root, add it with --sign-chain");
}

}  // namespace mcc::msg
