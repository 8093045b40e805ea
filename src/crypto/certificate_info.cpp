#include "crypto/certificate_info.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

namespace mcc::crypto {
namespace {

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

bool to_unix(const ASN1_TIME* t, std::int64_t& out) {
  if (t == nullptr) return false;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return false;
  out = static_cast<std::int64_t>(timegm(&tm));
  return true;
}

bool looks_like_pem(std::string_view bytes) { return bytes.find("-----BEGIN") != std::string_view::npos; }

}  // namespace

CertificateInfo read_certificate(std::string_view bytes) {
  CertificateInfo info;
  ERR_clear_error();
  X509Ptr cert;
  if (looks_like_pem(bytes)) {
    BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (bio) cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  } else {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
    cert.reset(d2i_X509(nullptr, &p, static_cast<long>(bytes.size())));
    // Trailing bytes after the certificate mean it is not one DER certificate.
    if (cert && p != reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size()) {
      ERR_clear_error();
      info.error = "the certificate is followed by " +
                   std::to_string(reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size() - p) +
                   " extra bytes";
      return info;
    }
  }
  ERR_clear_error();
  if (!cert) {
    info.error = "not an X.509 certificate (DER or PEM)";
    return info;
  }

  unsigned char* der = nullptr;
  int len = i2d_X509(cert.get(), &der);
  if (len <= 0) {
    info.error = "the certificate cannot be re-encoded as DER";
    return info;
  }
  info.der.assign(der, der + len);
  OPENSSL_free(der);

  unsigned int n = 0;
  X509_digest(cert.get(), EVP_sha1(), info.sha1.data(), &n);
  X509_digest(cert.get(), EVP_sha256(), info.sha256.data(), &n);

  if (!to_unix(X509_get0_notAfter(cert.get()), info.not_after) ||
      !to_unix(X509_get0_notBefore(cert.get()), info.not_before)) {
    info.error = "the certificate's validity dates cannot be read";
    return info;
  }
  // X509_check_ca: 1 = CA by basicConstraints, 3/4/5 = v1 self-signed or keyUsage/Netscape CA hints.
  info.is_ca = X509_check_ca(cert.get()) != 0;
  info.self_signed = (X509_get_extension_flags(cert.get()) & EXFLAG_SS) != 0;

  BioPtr out(BIO_new(BIO_s_mem()));
  if (out && X509_NAME_print_ex(out.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253) >= 0) {
    char* data = nullptr;
    long size = BIO_get_mem_data(out.get(), &data);
    if (data && size > 0) info.subject.assign(data, static_cast<std::size_t>(size));
  }
  ERR_clear_error();
  info.ok = true;
  return info;
}

std::string format_date(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace mcc::crypto
