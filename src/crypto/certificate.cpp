// SPDX-License-Identifier: Apache-2.0
#include "crypto/certificate.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <ctime>

namespace mcc::crypto {
namespace {

bool looks_like_pem(std::string_view bytes) { return bytes.find("-----BEGIN") != std::string_view::npos; }

// The one place certificates are parsed from bytes. PEM: every certificate block, or only the
// first with `first_only`. DER: the one certificate, and in `trailing` the bytes after it.
std::vector<X509Ptr> parse(std::string_view bytes, bool first_only, std::size_t& trailing) {
  std::vector<X509Ptr> out;
  trailing = 0;
  if (looks_like_pem(bytes)) {
    BioPtr bio = memory_bio(bytes);
    // PEM_read_bio_X509 skips blocks of other kinds (a key in the same file).
    while (bio && !(first_only && !out.empty())) {
      X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
      if (cert == nullptr) break;
      out.emplace_back(cert);
    }
  } else {
    const auto* begin = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned char* p = begin;
    if (X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(bytes.size()))); cert) {
      trailing = bytes.size() - static_cast<std::size_t>(p - begin);
      out.push_back(std::move(cert));
    }
  }
  ERR_clear_error();  // a PEM loop always ends with "no start line"
  return out;
}

std::string key_description(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return "unknown";
  const int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return "RSA " + std::to_string(bits);
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1) {
        const int nid = OBJ_txt2nid(group);
        const char* nist = nid != NID_undef ? EC_curve_nid2nist(nid) : nullptr;
        return std::string("EC ") + (nist ? nist : group);
      }
      return "EC " + std::to_string(bits);
    }
    case EVP_PKEY_ED25519: return "Ed25519";
    default: return std::string(OBJ_nid2sn(EVP_PKEY_get_base_id(key))) + " " + std::to_string(bits);
  }
}

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

std::string fingerprint(X509* cert, const EVP_MD* digest) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  return X509_digest(cert, digest, md, &n) == 1 ? hex(md, n) : "";
}

std::string serial_text(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (bn == nullptr) return "";
  char* text = BN_bn2hex(bn);
  std::string out = text ? text : "";
  OPENSSL_free(text);
  BN_free(bn);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<X509Ptr> read_certificates(std::string_view bytes, std::string& why) {
  if (bytes.empty()) {
    why = "the file is empty";
    return {};
  }
  std::size_t trailing = 0;
  auto out = parse(bytes, false, trailing);
  if (out.empty()) why = looks_like_pem(bytes) ? "no PEM certificate found" : "neither PEM nor a DER certificate";
  return out;
}

std::optional<Certificate> read_certificate(std::string_view bytes, std::string& why) {
  std::size_t trailing = 0;
  auto certs = parse(bytes, true, trailing);
  if (certs.empty()) {
    why = "not an X.509 certificate (DER or PEM)";
    return std::nullopt;
  }
  // Trailing bytes after the certificate mean it is not one DER certificate.
  if (trailing > 0) {
    why = "the certificate is followed by " + std::to_string(trailing) + " extra bytes";
    return std::nullopt;
  }
  X509* cert = certs.front().get();
  if (!unix_time(X509_get0_notAfter(cert)) || !unix_time(X509_get0_notBefore(cert))) {
    why = "the certificate's validity dates cannot be read";
    return std::nullopt;
  }
  Certificate c = describe(cert);
  if (c.der.empty()) {
    why = "the certificate cannot be re-encoded as DER";
    return std::nullopt;
  }
  return c;
}

Certificate describe(X509* cert) {
  Certificate c;
  CertificateSummary& s = c.summary;
  s.subject = name_text(X509_get_subject_name(cert));
  s.issuer = name_text(X509_get_issuer_name(cert));
  s.serial = serial_text(cert);
  s.not_before = unix_time(X509_get0_notBefore(cert)).value_or(0);
  s.not_after = unix_time(X509_get0_notAfter(cert)).value_or(0);
  s.key = key_description(cert);
  s.self_signed = is_self_signed(cert);
  s.sha256 = fingerprint(cert, EVP_sha256());
  c.sha1 = fingerprint(cert, EVP_sha1());
  // X509_check_ca: 1 = CA by basicConstraints, 3/4/5 = v1 self-signed or keyUsage/Netscape CA hints.
  c.is_ca = X509_check_ca(cert) != 0;
  unsigned char* der = nullptr;
  if (const int len = i2d_X509(cert, &der); len > 0) c.der.assign(der, der + len);
  OPENSSL_free(der);
  ERR_clear_error();
  return c;
}

std::string name_text(const X509_NAME* name) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253) < 0) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return data && size > 0 ? std::string(data, static_cast<std::size_t>(size)) : "";
}

std::optional<std::int64_t> unix_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool is_self_signed(X509* cert) { return (X509_get_extension_flags(cert) & EXFLAG_SS) != 0; }

std::string format_date(std::int64_t unix_seconds) {
  std::string text = format_utc(unix_seconds);
  return text.substr(0, text.find('T'));
}

}  // namespace mcc::crypto

namespace mcc {

std::string format_utc(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace mcc
