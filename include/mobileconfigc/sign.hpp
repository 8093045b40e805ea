// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Signing profiles (CMS SignedData, DER) and verifying signed ones.
///
/// A signed profile is what Apple's tools produce: CMS SignedData with the profile
/// bytes attached (not detached), SHA-256, signed attributes (content type, message
/// digest, signing time), the signer certificate and its intermediates (never the
/// root) embedded, and no S/MIME text canonicalisation — the embedded bytes are
/// exactly the unsigned profile's bytes.
///
/// Diagnostics use the MCC-S codes (see src/base/messages.hpp and the README).
/// Nothing here prints, reads files or prompts: callers pass bytes and a passphrase
/// source.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc {

/// Bytes that must not outlive their use: private keys, PKCS#12 files, passphrases.
/// Move-only; the buffer is overwritten (OPENSSL_cleanse) before it is released.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  [[nodiscard]] std::string_view view() const { return bytes_; }
  [[nodiscard]] bool empty() const { return bytes_.empty(); }
  /// Overwrites and empties the buffer now.
  void clear();

 private:
  std::string bytes_;
};

/// Overwrites a string's buffer (including unused capacity) and empties it.
void cleanse(std::string& s);

/// One named input: `name` is what diagnostics call it (usually the path).
struct NamedBytes {
  std::string name;
  std::string bytes;
};

/// Same, for key material: the bytes are cleansed when this is destroyed.
struct NamedSecret {
  std::string name;
  SecretBytes bytes;
};

/// Where the signing identity comes from: either `certificate` + `private_key`
/// (+ `chain`), or `pkcs12` alone.
struct SignerCredentials {
  /// Signer certificate, PEM or DER. A PEM file holding several certificates (a
  /// "fullchain.pem") supplies the signer first and then chain certificates.
  std::optional<NamedBytes> certificate;
  /// Private key, PEM (plain, PKCS#8, encrypted PKCS#8 or traditional encrypted) or DER.
  std::optional<NamedSecret> private_key;
  /// Intermediate certificates, PEM (several per file allowed) or DER. Self-signed
  /// (root) certificates are left out of the signature with a note.
  std::vector<NamedBytes> chain;
  /// PKCS#12 (.p12 / .pfx): certificate, key and chain in one file.
  std::optional<NamedSecret> pkcs12;
};

/// Asked at most once, and only when a key or PKCS#12 file is encrypted; returns
/// nothing when no passphrase is available (then loading fails with MCC-S004).
/// The `what` argument names the file ("key.pem"), for a prompt.
using PassphraseSource = std::function<std::optional<SecretBytes>(const std::string& what)>;

/// What a verifier or a reader wants to know about one certificate.
struct CertificateSummary {
  std::string subject;         // RFC 2253 ("CN=Profile Signer,O=Contoso")
  std::string issuer;          // RFC 2253
  std::string serial;          // hexadecimal
  std::int64_t not_before = 0;  // seconds since 1970-01-01 UTC
  std::int64_t not_after = 0;
  std::string key;             // "RSA 2048", "EC P-256"
  bool self_signed = false;
  std::string sha256;          // fingerprint, lowercase hex
};

/// A loaded signing identity. Load once, sign many times: sign() is const and
/// may be called from several threads at once.
class Signer {
 public:
  /// Loads and checks the credentials. Errors (unreadable or malformed file, wrong or
  /// missing passphrase, a key that is not RSA or ECDSA, key not matching the
  /// certificate) return nothing; warnings (expired or not yet valid signer, no
  /// digitalSignature key usage) still load.
  static std::optional<Signer> load(const SignerCredentials& credentials, const PassphraseSource& passphrase,
                                    Diagnostics& diags);
  Signer(Signer&&) noexcept;
  Signer& operator=(Signer&&) noexcept;
  ~Signer();

  /// Signs `profile` (the unsigned profile bytes) and returns the DER CMS SignedData.
  /// `name` is the profile's name for diagnostics. Thread-safe.
  [[nodiscard]] std::optional<std::string> sign(std::string_view profile, const std::string& name,
                                                Diagnostics& diags) const;

  /// The signing time every later sign() writes (seconds since 1970-01-01 UTC), instead of
  /// the current time; nothing: the current time. Set it before signing from several
  /// threads. With a fixed time an RSA signature (PKCS#1 v1.5) is byte-identical across
  /// runs; see deterministic().
  void set_signing_time(std::optional<std::int64_t> unix_seconds);
  /// True when the same profile and signing time give the same bytes: an RSA key. ECDSA
  /// signatures are randomised (OpenSSL 3.0 has no RFC 6979 deterministic ECDSA).
  [[nodiscard]] bool deterministic() const;

  /// The signer certificate, then the chain certificates that are embedded.
  [[nodiscard]] const std::vector<CertificateSummary>& certificates() const;

  struct Impl;

 private:
  explicit Signer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Trust anchors (PEM, several per file allowed, or DER) for verify_profile.
struct VerifyOptions {
  std::vector<NamedBytes> trust_anchors;
  /// Without trust_anchors: check the chain against OpenSSL's default trust store, as
  /// `openssl verify` does (the certificate file and directory system_trust_store() names;
  /// $SSL_CERT_FILE and $SSL_CERT_DIR move them). The only files this header's functions
  /// read themselves. Ignored when trust_anchors are given: they replace the store.
  bool system_trust = false;
};

/// The system trust store system_trust reads: OpenSSL's default certificate file and
/// directory, or $SSL_CERT_FILE and $SSL_CERT_DIR when set.
struct TrustStoreLocation {
  std::string file;
  std::string directory;
};
TrustStoreLocation system_trust_store();

struct VerifyResult {
  bool is_signed = false;        // the bytes are CMS SignedData
  bool signature_valid = false;  // content digest and signature check out
  /// The digest algorithm is one devices should trust: SHA-2, or SHA-1 (with a warning,
  /// MCC-S016: older Apple and MDM tools signed with it and devices still install such
  /// profiles). MD5 and anything else are refused (MCC-S016 error): MD5 collisions are
  /// cheap, so an MD5 signature does not bind the signer to this content.
  bool digest_accepted = false;
  bool content_is_plist = false;  // the signed content is a property list (a profile is nothing else)
  bool chain_checked = false;     // trust anchors were given, or the system trust store was used
  bool chain_valid = false;      // the signer chains to one of them (current time)
  /// The content that was signed: the unsigned profile, byte for byte (empty when unsigned).
  std::string content;
  std::string digest_algorithm;     // "SHA-256"
  std::string signature_algorithm;  // "RSA" / "ECDSA"
  std::optional<std::int64_t> signing_time;  // seconds since 1970-01-01 UTC
  std::size_t signer_count = 0;
  /// Signer first, then the certificates it chains to: the verified chain (ending at the
  /// anchor) when anchors were given and it verified, else as far as the embedded
  /// certificates reach.
  std::vector<CertificateSummary> chain;
  /// Every certificate embedded in the signature, in stored order.
  std::vector<CertificateSummary> embedded;

  /// Valid as far as it was checked: signature, digest, content, and the chain when anchors were given.
  [[nodiscard]] bool valid() const {
    return is_signed && signature_valid && digest_accepted && content_is_plist && (!chain_checked || chain_valid);
  }
};

/// Checks a signed profile. Unsigned bytes give is_signed == false and no diagnostic
/// (the caller decides whether that is an error); malformed CMS or signed content that
/// is not a property list (MCC-S010), a bad signature (tampering, MCC-S011), an untrusted
/// chain (MCC-S012) and a refused digest (MCC-S016) are reported as errors.
VerifyResult verify_profile(std::string_view bytes, const std::string& name, const VerifyOptions& options,
                            Diagnostics& diags);

/// "YYYY-MM-DDTHH:MM:SSZ" for seconds since the epoch (UTC).
std::string format_utc(std::int64_t unix_seconds);

}  // namespace mcc
