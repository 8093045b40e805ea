// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Identities a profile carries (com.apple.security.pkcs12 payloads of PKCS certificate
/// profiles), lab issuance of such identities, and encrypted profiles
/// (EncryptedPayloadContent: CMS EnvelopedData of the payload array).
///
/// Nothing here prints, reads files or prompts: callers pass bytes and passphrase sources.
/// Diagnostics never carry a key, a passphrase or a password.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/sign.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc {

/// A PKCS#12 identity to embed in a profile: the file's bytes, unchanged, and the password
/// that opens it (a secret: it becomes the payload's password and is never printed).
struct PayloadIdentity {
  std::string pkcs12;
  std::string password;
  std::string file_name;  // the certificate file name the payload names
  std::string subject;    // RFC 2253 subject of its certificate, for messages
};

/// Opens `pkcs12` with a passphrase from `passphrase` (asked only when the file is encrypted)
/// and checks that it holds one private key and the certificate that belongs to it. The
/// bytes are embedded unchanged. `passphrase_options` names where a passphrase can come
/// from, for the message when none was given. Nothing on error (reported in `diags`).
std::optional<PayloadIdentity> load_payload_identity(const NamedSecret& pkcs12, const PassphraseSource& passphrase,
                                                     std::string_view passphrase_options, Diagnostics& diags);

/// What a lab identity's certificate holds: the certificate profile's own settings, after
/// Intune variables were substituted.
struct IdentityRequest {
  std::string name;  // the profile it is for (diagnostics, PKCS#12 friendly name)
  std::vector<std::vector<std::pair<std::string, std::string>>> subject;  // RDNs in written (RFC 4514) order
  /// Subject alternative names: (rfc822Name | dNSName | uniformResourceIdentifier | ntPrincipalName, value).
  std::vector<std::pair<std::string, std::string>> alt_names;
  int key_bits = 2048;       // RSA modulus size
  int key_usage = 5;         // 1 digitalSignature, 4 keyEncipherment (Apple's SCEP bit values)
  std::vector<std::string> extended_key_usages;  // dotted OIDs
  std::int64_t validity_value = 1;
  std::string validity_unit = "years";  // days, months or years
  std::string seed_info;     // what identifies this identity (Graph id, ...), for reproducible keys
};

/// A lab certificate authority: its certificate and private key. Issues identities whose
/// certificates it signs; the private keys are made here and leave only inside the
/// password-protected PKCS#12 (3DES, SHA-1 MAC, 2048 iterations: what Apple devices import).
class LabCa {
 public:
  /// Loads and checks the CA (a CA certificate, the key that belongs to it). Nothing on error.
  static std::optional<LabCa> load(const NamedBytes& certificate, const NamedSecret& key,
                                   const PassphraseSource& passphrase, std::string_view passphrase_options,
                                   Diagnostics& diags);
  LabCa(LabCa&&) noexcept;
  LabCa& operator=(LabCa&&) noexcept;
  ~LabCa();

  /// Issues a key and certificate for `request`. With `source_date_epoch` the certificate is
  /// valid from that time and the key, serial, password and PKCS#12 bytes are derived from a
  /// seed only the CA key's holder can compute (the same inputs give the same bytes on the
  /// same OpenSSL build); without it they are random and the certificate is valid from `now`.
  [[nodiscard]] std::optional<PayloadIdentity> issue(const IdentityRequest& request,
                                                     std::optional<std::int64_t> source_date_epoch, std::int64_t now,
                                                     const std::string& where, Diagnostics& diags) const;

  struct Impl;

 private:
  explicit LabCa(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// How the content key of an encrypted profile reaches an RSA recipient.
enum class KeyTransport {
  /// RSAES-PKCS1-v1_5 (rsaEncryption): the only key transport Apple's CMS decoder takes. The default.
  pkcs1,
  /// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (rsaesOaep): OpenSSL and other CMS readers
  /// decrypt it; Apple devices may not (a warning, MCC-S023).
  oaep,
};

/// The devices profiles are encrypted for: their certificates, read and checked once (as a
/// Signer is loaded once for a batch), then used for any number of profiles.
class Encryptor {
 public:
  /// Reads and checks every certificate in `recipients`. An RSA certificate gets key transport
  /// `transport`; an EC certificate gets ECDH key agreement (as OpenSSL writes it: ephemeral-static
  /// ECDH, X9.63 KDF with SHA-1, AES-256 key wrap), which Apple's decoder may not unwrap (a
  /// warning, MCC-S023). Refused (MCC-S020): not a certificate; a key that can do neither
  /// (Ed25519, X25519, DSA, RSA-PSS); an RSA key usage without keyEncipherment; an EC key usage
  /// without keyAgreement. `now` judges validity (an expired certificate is a warning, MCC-S019).
  static std::optional<Encryptor> load(const std::vector<NamedBytes>& recipients, KeyTransport transport, std::int64_t now,
                                       Diagnostics& diags);
  Encryptor(Encryptor&&) noexcept;
  Encryptor& operator=(Encryptor&&) noexcept;
  ~Encryptor();

  /// DER CMS EnvelopedData of `content` (binary, no MIME canonicalisation) for every
  /// recipient, content encrypted with AES-256-CBC. The content key, the IV and the key
  /// transport's padding (or ECDH's ephemeral key) are fresh random values on every call, so
  /// the bytes differ each time. `name` names the output in diagnostics. Thread-safe.
  [[nodiscard]] std::optional<std::string> envelope(std::string_view content, const std::string& name, Diagnostics& diags) const;

  struct Impl;

 private:
  explicit Encryptor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Encrypts a profile for devices (Apple's EncryptedPayloadContent): the PayloadContent array,
/// serialized alone as an XML plist, becomes DER CMS EnvelopedData (AES-256-CBC) for every
/// recipient of `encryptor`; PayloadContent is removed and IsEncrypted set. Everything else at
/// the top level stays in clear. Refuses a profile already encrypted or without a payload array.
std::optional<Value> encrypt_profile(const Value& profile, const Encryptor& encryptor, const std::string& name, Diagnostics& diags);

/// The same for certificates read once for this profile (Encryptor::load, then encrypt_profile).
std::optional<Value> encrypt_profile(const Value& profile, const std::vector<NamedBytes>& recipients, const std::string& name,
                                     std::int64_t now, Diagnostics& diags, KeyTransport transport = KeyTransport::pkcs1);

/// Reverses encrypt_profile with the private key of one recipient (PEM or DER, maybe encrypted):
/// PayloadContent is restored from the decrypted array, EncryptedPayloadContent and IsEncrypted
/// removed. A damaged envelope, a wrong key, and content that is not an array of dictionaries
/// are MCC-S021.
std::optional<Value> decrypt_profile(const Value& profile, const NamedSecret& key, const PassphraseSource& passphrase,
                                     std::string_view passphrase_options, const std::string& name, Diagnostics& diags);

/// The payload array's bytes as a device decrypts them (the plaintext of the envelope).
std::optional<std::string> decrypt_payload_bytes(const Value& profile, const NamedSecret& key, const PassphraseSource& passphrase,
                                                 std::string_view passphrase_options, const std::string& name, Diagnostics& diags);

/// What an encrypted profile's envelope says without a key; nothing when the profile is not encrypted.
struct EncryptionSummary {
  std::size_t size = 0;                 // bytes of EncryptedPayloadContent
  bool readable = false;                // it is DER CMS (Auth)EnvelopedData
  std::string problem;                  // why not (when !readable)
  std::string content_type;             // "envelopedData"
  std::vector<std::string> recipients;  // one line each
  /// Why Apple devices may not decrypt it: one line per recipient whose key transport Apple's
  /// CMS decoder does not take (RSA-OAEP, ECDH key agreement); empty when every one is PKCS#1 v1.5.
  std::vector<std::string> not_for_apple;
};
std::optional<EncryptionSummary> encryption_of(const Value& profile);

}  // namespace mcc
