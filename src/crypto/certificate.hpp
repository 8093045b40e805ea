// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one certificate reader: X.509 certificates from PEM or DER bytes, and what the library
// needs to know about one (the map stage's trusted roots, signing, verify, inspect), each
// certificate parsed once. OpenSSL is used here and nowhere above src/crypto.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openssl_handles.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::crypto {

/// Everything the library reads from one certificate.
struct Certificate {
  /// Subject, issuer, serial, validity, key type and size, self-signed, SHA-256 fingerprint:
  /// what verify, sign and inspect show.
  CertificateSummary summary;
  std::vector<std::uint8_t> der;  // the certificate, DER (PEM input is converted)
  bool is_ca = false;             // basicConstraints cA=TRUE, or an X.509 v1 self-signed certificate
  std::string sha1;               // fingerprint, lowercase hex
};

/// Every certificate in `bytes`: each PEM certificate in file order (other PEM blocks, such
/// as a key in the same file, are skipped), or the one DER certificate. Empty when there is
/// none; `why` then says what was wrong.
std::vector<X509Ptr> read_certificates(std::string_view bytes, std::string& why);

/// Exactly one certificate, DER or PEM (the first PEM certificate), with its facts. Nothing
/// when the bytes are not one certificate (a DER certificate followed by more bytes is not, nor
/// is one whose validity dates cannot be read); `why` then says why. Never throws.
std::optional<Certificate> read_certificate(std::string_view bytes, std::string& why);

/// The facts of a certificate OpenSSL already holds (a signer's, a chain's, one embedded in a
/// signature). Validity dates that cannot be read are 0.
Certificate describe(X509* cert);

/// RFC 2253 text of a name ("CN=Signer,O=Contoso").
std::string name_text(const X509_NAME* name);

/// Seconds since 1970-01-01 UTC; nullopt when the time cannot be read.
std::optional<std::int64_t> unix_time(const ASN1_TIME* t);

/// True when the certificate is self-signed (a root).
bool is_self_signed(X509* cert);

/// "YYYY-MM-DD" for seconds since the epoch (UTC); format_utc gives the time too.
std::string format_date(std::int64_t unix_seconds);

}  // namespace mcc::crypto
