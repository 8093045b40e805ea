// SPDX-License-Identifier: Apache-2.0
// PKCS#12 identities for com.apple.security.pkcs12 payloads: checking a given file, and
// issuing lab identities from a lab CA (key, certificate, PKCS#12 in the format Apple
// devices import). Keys never leave this file except inside the encrypted PKCS#12.

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>

#include "base/messages.hpp"
#include "crypto/certificate.hpp"
#include "crypto/credentials.hpp"
#include "crypto/openssl_errors.hpp"
#include "mobileconfigc/identity.hpp"

namespace mcc {
namespace {

using crypto::BioPtr;
using crypto::Deleter;
using crypto::PkeyPtr;
using crypto::X509Ptr;

using LibCtxPtr = std::unique_ptr<OSSL_LIB_CTX, Deleter<OSSL_LIB_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, Deleter<ASN1_BIT_STRING_free>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, Deleter<EXTENDED_KEY_USAGE_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

constexpr int kPkcs12Iterations = 2048;  // PKCS12_DEFAULT_ITER, what Apple's importers are known to take
constexpr std::size_t kSeedStream = 1 << 20;  // random bytes one deterministic issuance may draw per DRBG

std::string file_name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// SHAKE256(seed ‖ label), `n` bytes.
std::optional<std::string> expand(const std::string& seed, std::string_view label, std::size_t n) {
  MdCtxPtr md(EVP_MD_CTX_new());
  std::string out(n, '\0');
  if (!md || EVP_DigestInit_ex(md.get(), EVP_shake256(), nullptr) != 1 ||
      EVP_DigestUpdate(md.get(), seed.data(), seed.size()) != 1 ||
      EVP_DigestUpdate(md.get(), label.data(), label.size()) != 1 ||
      EVP_DigestFinalXOF(md.get(), reinterpret_cast<unsigned char*>(out.data()), n) != 1)
    return std::nullopt;
  return out;
}

// HKDF-SHA256: the CA's private key is the secret input, so only its holder can recompute a key.
std::optional<std::string> derive_seed(const std::string& ca_key_der, const std::string& info) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return std::nullopt;
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return std::nullopt;
  static const char salt[] = "mobileconfigc lab identity v1";
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(ca_key_der.data()), ca_key_der.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt), sizeof salt - 1),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  std::string out(32, '\0');
  const bool ok = EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), params) == 1;
  EVP_KDF_CTX_free(ctx);
  if (!ok) return std::nullopt;
  return out;
}

// A private library context whose DRBGs return the bytes of SHAKE256(seed): keys, serial,
// password and salts made in it repeat for the same seed. The process's own DRBG is untouched.
LibCtxPtr seeded_context(const std::string& seed) {
  LibCtxPtr lib(OSSL_LIB_CTX_new());
  if (!lib || RAND_set_DRBG_type(lib.get(), "TEST-RAND", nullptr, nullptr, nullptr) != 1) return nullptr;
  auto feed = [&](EVP_RAND_CTX* drbg, std::string_view label) {
    auto stream = expand(seed, label, kSeedStream);
    if (drbg == nullptr || !stream) return false;
    unsigned int strength = 256;
    OSSL_PARAM p[] = {OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY, stream->data(), stream->size()),
                      OSSL_PARAM_construct_uint(OSSL_RAND_PARAM_STRENGTH, &strength), OSSL_PARAM_construct_end()};
    return EVP_RAND_CTX_set_params(drbg, p) == 1;
  };
  if (!feed(RAND_get0_private(lib.get()), "private") || !feed(RAND_get0_public(lib.get()), "public")) return nullptr;
  return lib;
}

std::string key_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int n = i2d_PrivateKey(key, &der);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_clear_free(der, static_cast<std::size_t>(n));
  return out;
}

// notBefore + value days, months or years (calendar months; the 31st becomes the month's last day).
std::int64_t add_period(std::int64_t from, std::int64_t value, const std::string& unit) {
  if (unit == "days") return from + value * 86400;
  std::time_t t = static_cast<std::time_t>(from);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::int64_t months = unit == "years" ? value * 12 : value;
  std::int64_t total = tm.tm_year * 12LL + tm.tm_mon + months;
  tm.tm_year = static_cast<int>(total / 12);
  tm.tm_mon = static_cast<int>(total % 12);
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int year = tm.tm_year + 1900;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = days[tm.tm_mon] + (tm.tm_mon == 1 && leap ? 1 : 0);
  tm.tm_mday = std::min(tm.tm_mday, last);
  return static_cast<std::int64_t>(timegm(&tm));
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != '\0'; });
}

}  // namespace

std::optional<PayloadIdentity> load_payload_identity(const NamedSecret& file, const PassphraseSource& source,
                                                     std::string_view passphrase_options, Diagnostics& diags) {
  // The passphrase is kept: it becomes the payload's Password.
  std::optional<std::string> given;
  PassphraseSource keep = [&](const std::string& what) -> std::optional<SecretBytes> {
    std::optional<SecretBytes> p;
    if (source) p = source(what);
    if (p) given = std::string(p->view());
    return p;
  };
  auto id = crypto::load_pkcs12(file, keep, passphrase_options, diags);
  if (!id) return std::nullopt;
  if (X509_check_private_key(id->certificate.get(), id->key.get()) != 1) {
    ERR_clear_error();
    diags.add(msg::key_does_not_match(file.name, file.name));
    return std::nullopt;
  }
  PayloadIdentity out;
  out.pkcs12 = std::string(file.bytes.view());
  out.password = given.value_or("");
  out.file_name = file_name_of(file.name);
  out.subject = crypto::name_text(X509_get_subject_name(id->certificate.get()));
  if (!is_ascii(out.password))
    diags.add(msg::identity_questionable(file.name, "its passphrase is not ASCII; OpenSSL and Apple's importer encode such "
                                                    "passphrases differently, so devices may not open it"));
  return out;
}

struct LabCa::Impl {
  X509Ptr certificate;
  PkeyPtr key;
  std::string name;     // the certificate file
  std::string key_der;  // the CA key as DER: the secret input of reproducible issuance
  // One identity per request in a run: a batch that embeds a PKCS profile in several
  // profiles (its own, a VPN's) embeds the same identity in each.
  mutable std::mutex mutex;
  mutable std::map<std::string, PayloadIdentity> issued;
  ~Impl() {
    cleanse(key_der);
    for (auto& [info, id] : issued) {
      cleanse(id.password);
      cleanse(id.pkcs12);
    }
  }
};

LabCa::LabCa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LabCa::LabCa(LabCa&&) noexcept = default;
LabCa& LabCa::operator=(LabCa&&) noexcept = default;
LabCa::~LabCa() = default;

std::optional<LabCa> LabCa::load(const NamedBytes& certificate, const NamedSecret& key_file,
                                 const PassphraseSource& passphrase, std::string_view passphrase_options,
                                 Diagnostics& diags) {
  std::string why;
  auto certs = crypto::read_certificates(certificate.bytes, why);
  if (certs.empty()) {
    diags.add(msg::malformed_signing_file(certificate.name, "a certificate", why));
    return std::nullopt;
  }
  auto key = crypto::load_private_key(key_file, passphrase, passphrase_options, diags);
  if (!key) return std::nullopt;
  X509* ca = certs.front().get();
  if (X509_check_private_key(ca, key->get()) != 1) {
    ERR_clear_error();
    diags.add(msg::key_does_not_match(key_file.name, certificate.name));
    return std::nullopt;
  }
  const std::string subject = crypto::name_text(X509_get_subject_name(ca));
  if (X509_check_ca(ca) < 1) {
    diags.add(msg::lab_ca_unusable(certificate.name, "the certificate " + subject + " is not a CA certificate (no basicConstraints cA)"));
    return std::nullopt;
  }
  if ((X509_get_extension_flags(ca) & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(ca) & KU_KEY_CERT_SIGN) == 0) {
    diags.add(msg::lab_ca_unusable(certificate.name, "the certificate " + subject + " has a key usage without keyCertSign"));
    return std::nullopt;
  }
  const int type = EVP_PKEY_get_base_id(key->get());
  if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
    diags.add(msg::lab_ca_unusable(key_file.name, "only RSA and ECDSA CA keys are supported"));
    return std::nullopt;
  }
  ERR_clear_error();
  auto impl = std::make_unique<Impl>();
  impl->certificate = std::move(certs.front());
  impl->key = std::move(*key);
  impl->name = certificate.name;
  impl->key_der = key_der(impl->key.get());
  return LabCa(std::move(impl));
}

std::optional<PayloadIdentity> LabCa::issue(const IdentityRequest& r, std::optional<std::int64_t> source_date_epoch,
                                            std::int64_t now, const std::string& where, Diagnostics& diags) const {
  const msg::Where at{where, ""};
  auto fail = [&](std::string why) {
    ERR_clear_error();
    diags.add(msg::issuance_failed(at, why));
    return std::nullopt;
  };
  if (r.key_bits < 1024 || r.key_bits > 8192) return fail("key size " + std::to_string(r.key_bits) + " is not supported (1024 to 8192 bits)");
  if (r.validity_value <= 0 || r.validity_value > 100 * 366)
    return fail("the validity " + std::to_string(r.validity_value) + " " + r.validity_unit + " is not a usable period");
  if (r.validity_unit != "days" && r.validity_unit != "months" && r.validity_unit != "years")
    return fail("the validity unit " + msg::quote(r.validity_unit) + " is not days, months or years");

  // Everything the certificate depends on, so another request never reuses a key.
  std::string info = std::to_string(source_date_epoch.value_or(0)) + '\n' + r.seed_info + '\n';
  for (const auto& rdn : r.subject)
    for (const auto& [type, value] : rdn) info += type + '=' + value + '\n';
  for (const auto& [type, value] : r.alt_names) info += type + ':' + value + '\n';
  info += std::to_string(r.key_bits) + '/' + std::to_string(r.key_usage) + '/' + std::to_string(r.validity_value) + r.validity_unit;
  for (const auto& eku : r.extended_key_usages) info += '/' + eku;

  std::lock_guard lock(impl_->mutex);  // issuance is rare; one at a time keeps the cache simple
  if (auto it = impl_->issued.find(info); it != impl_->issued.end()) return it->second;
  LibCtxPtr seeded;
  if (source_date_epoch) {
    auto seed = derive_seed(impl_->key_der, info);
    if (seed) seeded = seeded_context(*seed);
    if (seed) cleanse(*seed);
    if (!seeded) return fail("the reproducible random generator cannot be set up in this OpenSSL: " + crypto::drain_errors("unknown"));
  }
  OSSL_LIB_CTX* lib = seeded.get();  // nullptr: OpenSSL's default context, real randomness

  // The CA key in the same context, so an ECDSA signature's nonce comes from it too.
  PkeyPtr ca_key;
  {
    const auto* p = reinterpret_cast<const unsigned char*>(impl_->key_der.data());
    ca_key.reset(d2i_AutoPrivateKey_ex(nullptr, &p, static_cast<long>(impl_->key_der.size()), lib, nullptr));
    if (!ca_key) return fail("the CA key cannot be used: " + crypto::drain_errors("unknown"));
  }

  // The key.
  PkeyPtr key;
  {
    PkeyCtxPtr kctx(EVP_PKEY_CTX_new_from_name(lib, "RSA", nullptr));
    EVP_PKEY* made = nullptr;
    if (!kctx || EVP_PKEY_keygen_init(kctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(kctx.get(), r.key_bits) != 1 || EVP_PKEY_generate(kctx.get(), &made) != 1)
      return fail("the key cannot be generated: " + crypto::drain_errors("unknown"));
    key.reset(made);
  }
  if (r.key_bits < 2048)
    diags.add(msg::identity_questionable(where, "the profile asks for a " + std::to_string(r.key_bits) +
                                                    "-bit RSA key, which is weak; current systems may refuse it"));

  X509Ptr cert(X509_new_ex(lib, nullptr));
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) return fail("out of memory");
  // Serial: 16 random bytes, positive and non-zero (RFC 5280 §4.1.2.2).
  {
    unsigned char bytes[16];
    if (RAND_bytes_ex(lib, bytes, sizeof bytes, 0) != 1) return fail("no random bytes: " + crypto::drain_errors("unknown"));
    bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7F) | 0x01);
    BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
    if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr) return fail("out of memory");
  }
  X509* ca = impl_->certificate.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca));

  // Subject: RDNs added last-written first, so RFC 2253 printing shows them as written.
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (auto rdn = r.subject.rbegin(); rdn != r.subject.rend(); ++rdn) {
    bool first = true;
    for (const auto& [type, value] : *rdn) {
      ASN1_OBJECT* obj = OBJ_txt2obj(type.c_str(), 0);
      if (obj == nullptr) return fail("the subject attribute type " + msg::quote(type) + " is neither a known name nor an OID");
      const int ok = X509_NAME_add_entry_by_OBJ(name, obj, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                                                static_cast<int>(value.size()), -1, first ? 0 : -1);
      ASN1_OBJECT_free(obj);
      if (ok != 1) return fail("the subject attribute " + type + " cannot hold " + msg::quote(value) + ": " + crypto::drain_errors("unknown"));
      first = false;
    }
  }

  // Validity.
  const std::int64_t not_before = source_date_epoch ? *source_date_epoch : now - 300;
  const std::int64_t not_after = add_period(not_before, r.validity_value, r.validity_unit);
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(not_after)) == nullptr)
    return fail("the validity period cannot be written");
  if (auto ca_end = crypto::unix_time(X509_get0_notAfter(ca)); ca_end && *ca_end < not_after)
    diags.add(msg::identity_questionable(where, "the certificate is valid until " + format_utc(not_after) +
                                                    ", after its CA expires (" + format_utc(*ca_end) + ")"));
  if (X509_set_pubkey(cert.get(), key.get()) != 1) return fail("out of memory");

  // Subject alternative names, from values only (never through OpenSSL's config syntax).
  if (!r.alt_names.empty()) {
    GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
    for (const auto& [type, value] : r.alt_names) {
      GENERAL_NAME* g = GENERAL_NAME_new();
      if (g == nullptr) return fail("out of memory");
      if (type == "ntPrincipalName") {
        ASN1_TYPE* v = ASN1_TYPE_new();
        ASN1_UTF8STRING* s = ASN1_UTF8STRING_new();
        ASN1_STRING_set(s, value.data(), static_cast<int>(value.size()));
        ASN1_TYPE_set(v, V_ASN1_UTF8STRING, s);
        GENERAL_NAME_set0_othername(g, OBJ_txt2obj("1.3.6.1.4.1.311.20.2.3", 1), v);
      } else {
        const int kind = type == "rfc822Name" ? GEN_EMAIL : type == "dNSName" ? GEN_DNS
                         : type == "uniformResourceIdentifier" ? GEN_URI : -1;
        if (kind < 0) {
          GENERAL_NAME_free(g);
          return fail("subject alternative names of type " + type + " cannot be issued");
        }
        if (!is_ascii(value)) {
          GENERAL_NAME_free(g);
          return fail("the " + type + " subject alternative name " + msg::quote(value) + " is not ASCII, which X.509 requires for it");
        }
        ASN1_IA5STRING* s = ASN1_IA5STRING_new();
        ASN1_STRING_set(s, value.data(), static_cast<int>(value.size()));
        GENERAL_NAME_set0_value(g, kind, s);
      }
      sk_GENERAL_NAME_push(names.get(), g);
    }
    const int critical = X509_NAME_entry_count(name) == 0 ? 1 : 0;  // RFC 5280 §4.2.1.6
    if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), critical, X509V3_ADD_APPEND) != 1)
      return fail("the subject alternative names cannot be written");
  } else if (X509_NAME_entry_count(name) == 0) {
    return fail("the certificate would have neither a subject nor a subject alternative name");
  }

  // Key usage (critical) and extended key usages.
  if (r.key_usage != 0) {
    BitStringPtr ku(ASN1_BIT_STRING_new());
    if ((r.key_usage & 1) != 0) ASN1_BIT_STRING_set_bit(ku.get(), 0, 1);  // digitalSignature
    if ((r.key_usage & 4) != 0) ASN1_BIT_STRING_set_bit(ku.get(), 2, 1);  // keyEncipherment
    if (X509_add1_ext_i2d(cert.get(), NID_key_usage, ku.get(), 1, X509V3_ADD_APPEND) != 1)
      return fail("the key usage cannot be written");
  }
  if (!r.extended_key_usages.empty()) {
    EkuPtr eku(sk_ASN1_OBJECT_new_null());
    for (const auto& oid : r.extended_key_usages) {
      ASN1_OBJECT* obj = OBJ_txt2obj(oid.c_str(), 1);
      if (obj == nullptr) return fail("the extended key usage " + msg::quote(oid) + " is not a dotted object identifier");
      sk_ASN1_OBJECT_push(eku.get(), obj);
    }
    if (X509_add1_ext_i2d(cert.get(), NID_ext_key_usage, eku.get(), 0, X509V3_ADD_APPEND) != 1)
      return fail("the extended key usages cannot be written");
  }
  // Fixed extensions: only these literal strings go through OpenSSL's configuration syntax.
  {
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, ca, cert.get(), nullptr, nullptr, 0);
    const bool ca_has_ski = X509_get0_subject_key_id(ca) != nullptr;
    const std::pair<int, const char*> fixed[] = {{NID_basic_constraints, "critical,CA:FALSE"},
                                                 {NID_subject_key_identifier, "hash"},
                                                 {NID_authority_key_identifier, ca_has_ski ? "keyid" : "keyid,issuer"}};
    for (const auto& [nid, value] : fixed) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
      if (ext == nullptr || X509_add_ext(cert.get(), ext, -1) != 1) {
        X509_EXTENSION_free(ext);
        return fail("a certificate extension cannot be written: " + crypto::drain_errors("unknown"));
      }
      X509_EXTENSION_free(ext);
    }
  }
  // Signed by the CA with SHA-256.
  {
    MdCtxPtr md(EVP_MD_CTX_new());
    if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", lib, nullptr, ca_key.get(), nullptr) != 1 ||
        X509_sign_ctx(cert.get(), md.get()) <= 0)
      return fail("the CA cannot sign the certificate: " + crypto::drain_errors("unknown"));
  }

  // The password: 24 characters of [A-Za-z0-9] (about 143 bits), ASCII so every importer
  // derives the same key from it.
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  PayloadIdentity out;
  while (out.password.size() < 24) {
    unsigned char b[32];
    if (RAND_priv_bytes_ex(lib, b, sizeof b, 0) != 1) return fail("no random bytes: " + crypto::drain_errors("unknown"));
    for (unsigned char c : b)
      if (c < 248 && out.password.size() < 24) out.password += alphabet[c % 62];
    OPENSSL_cleanse(b, sizeof b);
  }
  // PKCS#12: 3DES bags and a SHA-1 MAC, 2048 iterations (OpenSSL 3's AES/SHA-256 default is
  // what Apple's importers are reported to refuse); the leaf only, as Apple asks.
  crypto::Pkcs12Ptr p12(PKCS12_create_ex(out.password.c_str(), r.name.c_str(), key.get(), cert.get(), nullptr,
                                         NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
                                         kPkcs12Iterations, -1, 0, lib, nullptr));
  unsigned char salt[8];
  if (!p12 || RAND_bytes_ex(lib, salt, sizeof salt, 0) != 1 ||
      PKCS12_set_mac(p12.get(), out.password.c_str(), -1, salt, sizeof salt, kPkcs12Iterations, EVP_sha1()) != 1)
    return fail("the PKCS#12 file cannot be made: " + crypto::drain_errors("unknown"));
  unsigned char* der = nullptr;
  const int n = i2d_PKCS12(p12.get(), &der);
  if (n <= 0) return fail("the PKCS#12 file cannot be encoded");
  out.pkcs12.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_clear_free(der, static_cast<std::size_t>(n));
  out.subject = crypto::name_text(name);
  out.file_name = "lab-identity.p12";
  ERR_clear_error();
  impl_->issued.emplace(info, out);
  return out;
}

}  // namespace mcc
