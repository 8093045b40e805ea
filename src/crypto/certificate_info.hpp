#pragma once
// What the rest of the library needs to know about one X.509 certificate, read with
// OpenSSL (this directory is its only user). Pure: bytes in, facts or an error out.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcc::crypto {

struct CertificateInfo {
  bool ok = false;
  std::string error;                  // why the bytes are not a certificate (when !ok)
  std::vector<std::uint8_t> der;      // the certificate, DER (PEM input is converted)
  bool is_ca = false;                 // basicConstraints cA=TRUE, or an X.509 v1 self-signed certificate
  bool self_signed = false;
  std::int64_t not_after = 0;         // seconds since 1970-01-01 UTC
  std::int64_t not_before = 0;
  std::string subject;                // RFC 2253 text
  std::array<std::uint8_t, 20> sha1{};
  std::array<std::uint8_t, 32> sha256{};
};

/// Parses one certificate from DER or PEM bytes. Never throws.
CertificateInfo read_certificate(std::string_view bytes);

/// "YYYY-MM-DD" for seconds since the epoch (UTC).
std::string format_date(std::int64_t unix_seconds);

}  // namespace mcc::crypto
