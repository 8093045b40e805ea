// SPDX-License-Identifier: Apache-2.0
#include "crypto/envelope.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "base/messages.hpp"
#include "crypto/certificate.hpp"
#include "crypto/credentials.hpp"
#include "crypto/openssl_errors.hpp"
#include "mobileconfigc/identity.hpp"

namespace mcc::crypto {
namespace {

// Parses DER CMS and checks it is (Auth)EnvelopedData; `why` says what it is not.
CmsPtr read_envelope(std::string_view der, std::string& why) {
  ERR_clear_error();
  if (der.empty()) {
    why = "it is empty";
    return nullptr;
  }
  BioPtr bio = memory_bio(der);
  CmsPtr cms(d2i_CMS_bio(bio.get(), nullptr));
  if (!cms) {
    why = "it is not DER CMS (" + drain_errors("cannot be decoded") + "); was it cut short?";
    return nullptr;
  }
  const int type = OBJ_obj2nid(CMS_get0_type(cms.get()));
  if (type != NID_pkcs7_enveloped && type != NID_id_smime_ct_authEnvelopedData) {
    why = std::string("it is CMS ") + OBJ_nid2ln(type) + ", not EnvelopedData";
    return nullptr;
  }
  return cms;
}

std::string serial_text(const ASN1_INTEGER* serial) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  char* hex = bn ? BN_bn2hex(bn) : nullptr;
  std::string out = hex ? hex : "?";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

// "rsaesOaep", "dhSinglePass-stdDH-sha1kdf-scheme": OpenSSL's long name, else the dotted OID.
std::string algorithm_name(const ASN1_OBJECT* oid) {
  const int nid = OBJ_obj2nid(oid);
  if (nid != NID_undef) return OBJ_nid2ln(nid);
  char buffer[128];
  OBJ_obj2txt(buffer, sizeof buffer, oid, 1);
  return buffer;
}

// " (sha256, MGF1 sha256)": the digests of RSAES-OAEP parameters (RFC 8017 A.2.1; absent: SHA-1).
std::string oaep_hashes(const X509_ALGOR* alg) {
  const bool given = alg->parameter != nullptr && ASN1_TYPE_get(alg->parameter) != V_ASN1_NULL;
  auto* params =
      given ? static_cast<RSA_OAEP_PARAMS*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_OAEP_PARAMS), alg->parameter)) : nullptr;
  if (given && !params) return " (unreadable parameters)";
  std::string hash = "sha1", mgf1 = "sha1";
  if (params && params->hashFunc) hash = algorithm_name(params->hashFunc->algorithm);
  if (params && params->maskGenFunc) {
    auto* mask = static_cast<X509_ALGOR*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), params->maskGenFunc->parameter));
    mgf1 = mask ? algorithm_name(mask->algorithm) : "?";
    X509_ALGOR_free(mask);
  }
  RSA_OAEP_PARAMS_free(params);
  return " (" + hash + ", MGF1 " + mgf1 + ")";
}

}  // namespace

}  // namespace mcc::crypto

namespace mcc {

struct Encryptor::Impl {
  struct Recipient {
    crypto::X509Ptr certificate;
    std::string file;
    bool rsa = false;  // else EC (key agreement)
  };
  std::vector<Recipient> recipients;
  KeyTransport transport = KeyTransport::pkcs1;
};

Encryptor::Encryptor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Encryptor::Encryptor(Encryptor&&) noexcept = default;
Encryptor& Encryptor::operator=(Encryptor&&) noexcept = default;
Encryptor::~Encryptor() = default;

std::optional<Encryptor> Encryptor::load(const std::vector<NamedBytes>& recipients, KeyTransport transport, std::int64_t now,
                                         Diagnostics& diags) {
  using namespace crypto;
  auto impl = std::make_unique<Impl>();
  impl->transport = transport;
  bool refused = recipients.empty();
  if (refused) diags.add(msg::encryption_certificate_unusable("", "no certificate was given to encrypt for"));
  for (const auto& file : recipients) {
    std::string why;
    auto read = read_certificates(file.bytes, why);
    if (read.empty()) {
      diags.add(msg::encryption_certificate_unusable(file.name, "not a certificate: " + why));
      refused = true;
      continue;
    }
    X509* cert = read.front().get();
    const std::string subject = name_text(X509_get_subject_name(cert));
    EVP_PKEY* key = X509_get0_pubkey(cert);
    const int type = key ? EVP_PKEY_get_base_id(key) : NID_undef;
    // Read once here, so that threads encrypting later only read the cached extensions.
    const bool has_usage = (X509_get_extension_flags(cert) & EXFLAG_KUSAGE) != 0;
    const std::uint32_t usage = X509_get_key_usage(cert);
    if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
      const char* key_name = key ? EVP_PKEY_get0_type_name(key) : nullptr;
      diags.add(msg::encryption_certificate_unusable(
          file.name, "the certificate " + subject + " has " +
                         (type == EVP_PKEY_RSA_PSS ? std::string("an RSA-PSS key, which only signs")
                                                   : std::string("a key of type ") + (key_name ? key_name : "unknown") +
                                                         ", which can do neither key transport nor key agreement") +
                         "; encrypt for the device's RSA identity"));
      refused = true;
      continue;
    }
    if (type == EVP_PKEY_RSA && has_usage && (usage & KU_KEY_ENCIPHERMENT) == 0) {
      diags.add(msg::encryption_certificate_unusable(file.name, "the certificate " + subject +
                                                                    " cannot do key transport: its key usage lacks keyEncipherment"));
      refused = true;
      continue;
    }
    if (type == EVP_PKEY_EC && has_usage && (usage & KU_KEY_AGREEMENT) == 0) {
      diags.add(msg::encryption_certificate_unusable(file.name, "the certificate " + subject +
                                                                    " cannot do key agreement: its key usage lacks keyAgreement"));
      refused = true;
      continue;
    }
    if (type == EVP_PKEY_EC)
      diags.add(msg::encryption_not_for_apple(
          file.name, "the certificate " + subject +
                         " has an EC key, so the content key is sent by ECDH key agreement with AES key wrap, as OpenSSL "
                         "writes it, which Apple's CMS decoder does not unwrap; encrypt for the device's RSA identity"));
    else if (transport == KeyTransport::oaep)
      diags.add(msg::encryption_not_for_apple(file.name, "the content key is sent to " + subject +
                                                             " by RSA-OAEP (SHA-256), which Apple's CMS decoder does not "
                                                             "take; PKCS#1 v1.5 key transport (the default) is what it takes"));
    if (auto end = unix_time(X509_get0_notAfter(cert)); end && *end < now)
      diags.add(msg::identity_questionable(file.name, "the encryption certificate " + subject + " expired on " + format_utc(*end) +
                                                          "; the device may no longer hold its key"));
    impl->recipients.push_back({std::move(read.front()), file.name, type == EVP_PKEY_RSA});
  }
  if (refused) return std::nullopt;
  return Encryptor(std::move(impl));
}

std::optional<std::string> Encryptor::envelope(std::string_view content, const std::string& name, Diagnostics& diags) const {
  using namespace crypto;
  ERR_clear_error();  // per thread
  const unsigned flags = CMS_BINARY | CMS_PARTIAL;
  CmsPtr cms(CMS_encrypt_ex(nullptr, nullptr, EVP_aes_256_cbc(), flags, nullptr, nullptr));
  bool ok = cms != nullptr;
  for (const auto& r : impl_->recipients) {
    if (!ok) break;
    const bool oaep = r.rsa && impl_->transport == KeyTransport::oaep;
    // CMS_KEY_PARAM: the recipient's key context is set up now and left open for the padding.
    CMS_RecipientInfo* ri = CMS_add1_recipient_cert(cms.get(), r.certificate.get(), flags | (oaep ? CMS_KEY_PARAM : 0));
    ok = ri != nullptr;
    if (ok && oaep) {
      EVP_PKEY_CTX* ctx = CMS_RecipientInfo_get0_pkey_ctx(ri);
      ok = ctx != nullptr && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0;
    }
  }
  BioPtr in = memory_bio(content);
  ok = ok && CMS_final(cms.get(), in.get(), nullptr, flags) == 1;
  BioPtr out(BIO_new(BIO_s_mem()));
  ok = ok && i2d_CMS_bio(out.get(), cms.get()) == 1;
  if (!ok) {
    diags.add(msg::encryption_certificate_unusable(impl_->recipients.empty() ? name : impl_->recipients.front().file,
                                                   "cannot encrypt " + name + ": " + drain_errors("unknown")));
    return std::nullopt;
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace mcc

namespace mcc::crypto {

std::optional<std::string> open_envelope(std::string_view der, const NamedSecret& key_file, const PassphraseSource& passphrase,
                                         std::string_view passphrase_options, const std::string& name, Diagnostics& diags) {
  std::string why;
  CmsPtr cms = read_envelope(der, why);
  if (!cms) {
    diags.add(msg::encrypted_payloads_invalid(name, why));
    return std::nullopt;
  }
  auto key = load_private_key(key_file, passphrase, passphrase_options, diags);
  if (!key) return std::nullopt;
  ERR_clear_error();
  BioPtr out(BIO_new(BIO_s_mem()));
  // An offline tool has no padding oracle to protect: the debug flag makes a wrong key say
  // so instead of decrypting with a random key.
  if (CMS_decrypt(cms.get(), key->get(), nullptr, nullptr, out.get(), CMS_BINARY | CMS_DEBUG_DECRYPT) != 1) {
    std::string reason = drain_errors("cannot decrypt");
    if (reason.find("no matching recipient") != std::string::npos || reason.find("padding") != std::string::npos ||
        reason.find("decrypt error") != std::string::npos)
      reason = "the key " + key_file.name + " is not one of its recipients' (" + reason + ")";
    diags.add(msg::encrypted_payloads_invalid(name, "cannot decrypt: " + reason));
    return std::nullopt;
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

EnvelopeInfo describe_envelope(std::string_view der) {
  EnvelopeInfo info;
  CmsPtr cms = read_envelope(der, info.error);
  if (!cms) return info;
  info.ok = true;
  info.content_type = OBJ_obj2nid(CMS_get0_type(cms.get())) == NID_pkcs7_enveloped ? "envelopedData" : "authEnvelopedData";
  auto whom = [](const X509_NAME* issuer, const ASN1_INTEGER* serial) {
    return issuer ? ", issuer " + name_text(issuer) + ", serial " + serial_text(serial) : std::string(", by subject key identifier");
  };
  auto recipient = [](const X509_NAME* issuer, const ASN1_INTEGER* serial) {
    return issuer ? "the recipient issued by " + name_text(issuer) + ", serial " + serial_text(serial)
                  : std::string("a recipient named by its subject key identifier");
  };
  STACK_OF(CMS_RecipientInfo)* ris = CMS_get0_RecipientInfos(cms.get());
  for (int i = 0; ris && i < sk_CMS_RecipientInfo_num(ris); ++i) {
    CMS_RecipientInfo* ri = sk_CMS_RecipientInfo_value(ris, i);
    const int type = CMS_RecipientInfo_type(ri);
    if (type == CMS_RECIPINFO_AGREE) {  // ECDH: one line per recipient key of the agreement
      X509_ALGOR* alg = nullptr;
      ASN1_OCTET_STRING* ukm = nullptr;
      CMS_RecipientInfo_kari_get0_alg(ri, &alg, &ukm);
      const std::string scheme = std::string("key agreement ") + (alg ? algorithm_name(alg->algorithm) : "?");
      STACK_OF(CMS_RecipientEncryptedKey)* reks = CMS_RecipientInfo_kari_get0_reks(ri);
      for (int k = 0; reks && k < sk_CMS_RecipientEncryptedKey_num(reks); ++k) {
        ASN1_OCTET_STRING* keyid = nullptr;
        ASN1_GENERALIZEDTIME* date = nullptr;
        CMS_OtherKeyAttribute* other = nullptr;
        X509_NAME* issuer = nullptr;
        ASN1_INTEGER* serial = nullptr;
        CMS_RecipientEncryptedKey_get0_id(sk_CMS_RecipientEncryptedKey_value(reks, k), &keyid, &date, &other, &issuer, &serial);
        info.recipients.push_back(scheme + whom(issuer, serial));
        info.not_for_apple.push_back("the content key is sent to " + recipient(issuer, serial) +
                                     " by ECDH key agreement with AES key wrap, which Apple's CMS decoder does not unwrap");
      }
      continue;
    }
    if (type != CMS_RECIPINFO_TRANS) {
      info.recipients.push_back("other (recipient info type " + std::to_string(type) + ")");
      continue;
    }
    ASN1_OCTET_STRING* keyid = nullptr;
    X509_NAME* issuer = nullptr;
    ASN1_INTEGER* serial = nullptr;
    X509_ALGOR* alg = nullptr;
    CMS_RecipientInfo_ktri_get0_signer_id(ri, &keyid, &issuer, &serial);
    CMS_RecipientInfo_ktri_get0_algs(ri, nullptr, nullptr, &alg);
    const int nid = alg ? OBJ_obj2nid(alg->algorithm) : NID_undef;
    std::string scheme = alg ? algorithm_name(alg->algorithm) : "?";
    if (nid == NID_rsaesOaep) scheme += oaep_hashes(alg);
    info.recipients.push_back("key transport " + scheme + whom(issuer, serial));
    if (nid != NID_rsaEncryption)
      info.not_for_apple.push_back("the content key is sent to " + recipient(issuer, serial) + " by " + scheme +
                                   ", which Apple's CMS decoder does not take; PKCS#1 v1.5 key transport is what it takes");
  }
  ERR_clear_error();
  return info;
}

}  // namespace mcc::crypto
