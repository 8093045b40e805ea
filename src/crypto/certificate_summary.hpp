#pragma once
// Reading certificates (PEM or DER, one or many per file) and describing them.

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openssl_handles.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::crypto {

/// Every certificate in PEM bytes (in file order), or the one DER certificate.
/// Empty when there is none; `why` then says what was wrong.
std::vector<X509Ptr> read_certificates(std::string_view bytes, std::string& why);

/// Subject, issuer, serial, validity, key type and fingerprint.
CertificateSummary summarize(X509* cert);

/// RFC 2253 text of a name ("CN=Signer,O=Contoso").
std::string name_text(const X509_NAME* name);

/// Seconds since 1970-01-01 UTC; nullopt when the time cannot be read.
std::optional<std::int64_t> unix_time(const ASN1_TIME* t);

/// True when the certificate is self-signed (a root).
bool is_self_signed(X509* cert);

}  // namespace mcc::crypto
