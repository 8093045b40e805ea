// SPDX-License-Identifier: Apache-2.0
#include "test_cms_pki.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <stdexcept>

namespace mcc::test::pki {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test pki: ") + what);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

enum class Role { ca, signer, encipher_only };

Issued issue(const char* cn, crypto::PkeyPtr key, const Issued* issuer, Role role, long from_days, long to_days) {
  static long serial = 1000;
  crypto::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("mobileconfigc tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer->cert.get()) : name);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), static_cast<int>(from_days), 0, nullptr);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(to_days), 0, nullptr);
  X509_set_pubkey(cert.get(), key.get());
  X509* issuer_cert = issuer ? issuer->cert.get() : cert.get();
  add_ext(cert.get(), issuer_cert, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(cert.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
  switch (role) {
    case Role::ca:
      add_ext(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
      add_ext(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Role::signer:
      add_ext(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
      add_ext(cert.get(), issuer_cert, NID_key_usage, "critical,digitalSignature");
      add_ext(cert.get(), issuer_cert, NID_ext_key_usage, "emailProtection,codeSigning");
      break;
    case Role::encipher_only:
      add_ext(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
      add_ext(cert.get(), issuer_cert, NID_key_usage, "critical,keyEncipherment");
      break;
  }
  EVP_PKEY* signing_key = issuer ? issuer->key.get() : key.get();
  const int type = EVP_PKEY_get_base_id(signing_key);
  const EVP_MD* md = type == EVP_PKEY_ED25519 || type == EVP_PKEY_ED448 ? nullptr : EVP_sha256();  // EdDSA hashes itself
  check(X509_sign(cert.get(), signing_key, md) > 0, "x509_sign");
  return Issued{std::move(cert), std::move(key)};
}

crypto::PkeyPtr rsa() { return crypto::PkeyPtr(EVP_RSA_gen(2048)); }
crypto::PkeyPtr ec() { return crypto::PkeyPtr(EVP_EC_gen("P-256")); }

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

void write(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

}  // namespace

const Pki& pki() {
  static const Pki made = [] {
    Pki p;
    p.root = issue("Test Root CA", rsa(), nullptr, Role::ca, -30, 3650);
    p.intermediate = issue("Test Intermediate CA", rsa(), &p.root, Role::ca, -30, 1825);
    p.rsa_signer = issue("Profile Signer RSA", rsa(), &p.intermediate, Role::signer, -1, 365);
    p.ec_signer = issue("Profile Signer EC", ec(), &p.intermediate, Role::signer, -1, 365);
    p.expired_signer = issue("Expired Signer", ec(), &p.intermediate, Role::signer, -60, -1);
    p.encipher_only_signer = issue("Encipher Only", ec(), &p.intermediate, Role::encipher_only, -1, 365);
    p.other_root = issue("Unrelated Root CA", ec(), nullptr, Role::ca, -30, 3650);
    return p;
  }();
  return made;
}

std::string cert_pem(X509* cert) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return bio_text(bio.get());
}

std::string cert_der(X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string key_pem(EVP_PKEY* key) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

std::string key_der(EVP_PKEY* key) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  check(i2d_PKCS8PrivateKey_bio(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "pkcs8 der");
  return bio_text(bio.get());
}

std::string encrypted_key_pem(EVP_PKEY* key, const std::string& passphrase) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  check(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), passphrase.data(),
                                      static_cast<int>(passphrase.size()), nullptr, nullptr) == 1,
        "pkcs8");
  return bio_text(bio.get());
}

std::string traditional_encrypted_key_pem(EVP_PKEY* key, const std::string& passphrase) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  std::string pass = passphrase;
  check(PEM_write_bio_PrivateKey_traditional(bio.get(), key, EVP_aes_128_cbc(),
                                             reinterpret_cast<unsigned char*>(pass.data()),
                                             static_cast<int>(pass.size()), nullptr, nullptr) == 1,
        "traditional");
  return bio_text(bio.get());
}

std::string pkcs12(const Issued& who, const std::vector<X509*>& chain, const std::string& passphrase) {
  crypto::CertStackPtr ca(sk_X509_new_null());
  for (X509* c : chain) {
    X509_up_ref(c);
    sk_X509_push(ca.get(), c);
  }
  crypto::Pkcs12Ptr p12(PKCS12_create(passphrase.c_str(), "profile signer", who.key.get(), who.cert.get(), ca.get(), 0, 0, 0, 0, 0));
  check(p12 != nullptr, "pkcs12_create");
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  i2d_PKCS12_bio(bio.get(), p12.get());
  return bio_text(bio.get());
}

Issued self_signed(const char* cn, crypto::PkeyPtr key) { return issue(cn, std::move(key), nullptr, Role::signer, 0, 30); }

crypto::PkeyPtr dsa_key() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr),
                                                                   &EVP_PKEY_CTX_free);
  EVP_PKEY* params = nullptr;
  check(pctx && EVP_PKEY_paramgen_init(pctx.get()) == 1 && EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx.get(), 1024) == 1 &&
            EVP_PKEY_paramgen(pctx.get(), &params) == 1,
        "dsa parameters");
  crypto::PkeyPtr owned_params(params);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> kctx(EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr),
                                                                   &EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  check(kctx && EVP_PKEY_keygen_init(kctx.get()) == 1 && EVP_PKEY_keygen(kctx.get(), &key) == 1, "dsa key");
  return crypto::PkeyPtr(key);
}

crypto::PkeyPtr eddsa_key(const char* type) {
  crypto::PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, type));
  check(key != nullptr, type);
  return key;
}

namespace {
std::string pkcs12_der(PKCS12* p12) {
  check(p12 != nullptr, "pkcs12_create");
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  i2d_PKCS12_bio(bio.get(), p12);
  return bio_text(bio.get());
}
}  // namespace

std::string pkcs12_without_mac(const Issued& who, const std::string& passphrase) {
  // mac_iter -1: no MAC at all.
  crypto::Pkcs12Ptr p12(PKCS12_create(passphrase.c_str(), "profile signer", who.key.get(), who.cert.get(), nullptr, 0, 0, 0, -1, 0));
  return pkcs12_der(p12.get());
}

std::string pkcs12_certificate_only(const Issued& who, const std::string& passphrase) {
  crypto::Pkcs12Ptr p12(PKCS12_create(passphrase.c_str(), "profile signer", nullptr, who.cert.get(), nullptr, 0, 0, 0, 0, 0));
  return pkcs12_der(p12.get());
}

std::string cms_sign(const std::string& content, const Issued& who, const EVP_MD* md) {
  constexpr unsigned flags = CMS_BINARY | CMS_PARTIAL;
  crypto::CmsPtr info(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  check(info && CMS_add1_signer(info.get(), who.cert.get(), who.key.get(), md, flags) != nullptr, "cms_add1_signer");
  crypto::BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  check(CMS_final(info.get(), in.get(), nullptr, flags) == 1, "cms_final");
  crypto::BioPtr out(BIO_new(BIO_s_mem()));
  check(i2d_CMS_bio(out.get(), info.get()) == 1, "i2d_cms_bio");
  return bio_text(out.get());
}

void write_files(const std::filesystem::path& dir) {
  const Pki& p = pki();
  const std::string pass = kPassphrase;
  write(dir / "root.pem", cert_pem(p.root.cert.get()));
  write(dir / "other-root.pem", cert_pem(p.other_root.cert.get()));
  write(dir / "intermediate.pem", cert_pem(p.intermediate.cert.get()));
  write(dir / "signer.pem", cert_pem(p.rsa_signer.cert.get()));
  write(dir / "signer.key", key_pem(p.rsa_signer.key.get()));
  write(dir / "signer-enc.key", encrypted_key_pem(p.rsa_signer.key.get(), pass));
  write(dir / "signer-trad.key", traditional_encrypted_key_pem(p.rsa_signer.key.get(), pass));
  write(dir / "signer.p12", pkcs12(p.rsa_signer, {p.intermediate.cert.get(), p.root.cert.get()}, pass));
  write(dir / "signer-nopass.p12", pkcs12(p.rsa_signer, {p.intermediate.cert.get()}, ""));
  write(dir / "ec.pem", cert_pem(p.ec_signer.cert.get()));
  write(dir / "ec.key", key_pem(p.ec_signer.key.get()));
  write(dir / "ec.p12", pkcs12(p.ec_signer, {p.intermediate.cert.get()}, pass));
  write(dir / "expired.pem", cert_pem(p.expired_signer.cert.get()));
  write(dir / "expired.key", key_pem(p.expired_signer.key.get()));
  write(dir / "encipher.pem", cert_pem(p.encipher_only_signer.cert.get()));
  write(dir / "encipher.key", key_pem(p.encipher_only_signer.key.get()));
  write(dir / "signer.der", cert_der(p.rsa_signer.cert.get()));
  write(dir / "signer.key.der", key_der(p.rsa_signer.key.get()));
  write(dir / "fullchain.pem", cert_pem(p.rsa_signer.cert.get()) + cert_pem(p.intermediate.cert.get()) +
                                   cert_pem(p.root.cert.get()));
}

bool openssl_verify(const std::string& der, X509* anchor, std::string& content, std::string& error) {
  crypto::BioPtr in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())));
  crypto::CmsPtr info(d2i_CMS_bio(in.get(), nullptr));
  if (!info) {
    error = "d2i_CMS_bio failed";
    return false;
  }
  crypto::StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), anchor);
  crypto::BioPtr out(BIO_new(BIO_s_mem()));
  const bool ok = CMS_verify(info.get(), nullptr, store.get(), nullptr, out.get(), CMS_BINARY) == 1;
  if (!ok) {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    error = buf;
    ERR_clear_error();
    return false;
  }
  content = bio_text(out.get());
  return true;
}

}  // namespace mcc::test::pki
