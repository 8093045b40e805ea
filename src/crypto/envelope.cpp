// SPDX-License-Identifier: Apache-2.0
#include "crypto/envelope.hpp"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "base/messages.hpp"
#include "crypto/certificate.hpp"
#include "crypto/credentials.hpp"
#include "crypto/openssl_errors.hpp"

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

}  // namespace

std::optional<std::string> envelope(std::string_view content, const std::vector<NamedBytes>& recipients, std::int64_t now,
                                    Diagnostics& diags) {
  std::vector<X509Ptr> certs;
  for (const auto& file : recipients) {
    std::string why;
    auto read = read_certificates(file.bytes, why);
    if (read.empty()) {
      diags.add(msg::encryption_certificate_unusable(file.name, "not a certificate: " + why));
      continue;
    }
    X509* cert = read.front().get();
    const std::string subject = name_text(X509_get_subject_name(cert));
    EVP_PKEY* key = X509_get0_pubkey(cert);
    const int type = key ? EVP_PKEY_get_base_id(key) : NID_undef;
    if (type == EVP_PKEY_EC) {
      diags.add(msg::encryption_certificate_unusable(
          file.name, "the certificate " + subject + " has an EC key; Apple devices decrypt only RSA key transport (as OpenSSL "
                                                     "writes ECDH, their CMS decoder cannot unwrap it): encrypt for the device's RSA identity"));
      continue;
    }
    if (type != EVP_PKEY_RSA) {
      const char* name = key ? EVP_PKEY_get0_type_name(key) : nullptr;
      diags.add(msg::encryption_certificate_unusable(file.name, "the certificate " + subject + " has " +
                                                                    (type == EVP_PKEY_RSA_PSS ? std::string("an RSA-PSS key, which only signs")
                                                                                              : std::string("a ") + (name ? name : "unknown") +
                                                                                                    " key, which cannot do key transport")));
      continue;
    }
    if ((X509_get_extension_flags(cert) & EXFLAG_KUSAGE) != 0 && (X509_get_key_usage(cert) & KU_KEY_ENCIPHERMENT) == 0) {
      diags.add(msg::encryption_certificate_unusable(file.name, "the certificate " + subject +
                                                                    " cannot do key transport: its key usage lacks keyEncipherment"));
      continue;
    }
    if (auto end = unix_time(X509_get0_notAfter(cert)); end && *end < now)
      diags.add(msg::identity_questionable(file.name, "the encryption certificate " + subject + " expired on " + format_utc(*end) +
                                                          "; the device may no longer hold its key"));
    certs.push_back(std::move(read.front()));
  }
  if (certs.size() != recipients.size() || certs.empty()) return std::nullopt;
  ERR_clear_error();
  const unsigned flags = CMS_BINARY | CMS_PARTIAL;
  CmsPtr cms(CMS_encrypt_ex(nullptr, nullptr, EVP_aes_256_cbc(), flags, nullptr, nullptr));
  bool ok = cms != nullptr;
  for (const auto& cert : certs)
    ok = ok && CMS_add1_recipient_cert(cms.get(), cert.get(), flags) != nullptr;
  BioPtr in = memory_bio(content);
  ok = ok && CMS_final(cms.get(), in.get(), nullptr, flags) == 1;
  BioPtr out(BIO_new(BIO_s_mem()));
  ok = ok && i2d_CMS_bio(out.get(), cms.get()) == 1;
  if (!ok) {
    diags.add(msg::encryption_certificate_unusable(recipients.front().name, "cannot encrypt: " + drain_errors("unknown")));
    return std::nullopt;
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

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
  STACK_OF(CMS_RecipientInfo)* ris = CMS_get0_RecipientInfos(cms.get());
  for (int i = 0; ris && i < sk_CMS_RecipientInfo_num(ris); ++i) {
    CMS_RecipientInfo* ri = sk_CMS_RecipientInfo_value(ris, i);
    if (CMS_RecipientInfo_type(ri) != CMS_RECIPINFO_TRANS) {
      info.recipients.push_back("key agreement or other (type " + std::to_string(CMS_RecipientInfo_type(ri)) + ")");
      continue;
    }
    ASN1_OCTET_STRING* keyid = nullptr;
    X509_NAME* issuer = nullptr;
    ASN1_INTEGER* serial = nullptr;
    X509_ALGOR* alg = nullptr;
    CMS_RecipientInfo_ktri_get0_signer_id(ri, &keyid, &issuer, &serial);
    CMS_RecipientInfo_ktri_get0_algs(ri, nullptr, nullptr, &alg);
    std::string text = "key transport ";
    text += alg ? OBJ_nid2sn(OBJ_obj2nid(alg->algorithm)) : "?";
    if (issuer) text += ", issuer " + name_text(issuer) + ", serial " + serial_text(serial);
    else text += ", by subject key identifier";
    info.recipients.push_back(std::move(text));
  }
  ERR_clear_error();
  return info;
}

}  // namespace mcc::crypto
