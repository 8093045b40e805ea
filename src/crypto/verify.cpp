// SPDX-License-Identifier: Apache-2.0
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdlib>

#include "crypto/certificate.hpp"
#include "crypto/openssl_errors.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc {
namespace {

std::string digest_name(const X509_ALGOR* alg) {
  if (alg == nullptr) return "";
  const int nid = OBJ_obj2nid(alg->algorithm);
  switch (nid) {
    case NID_md5: return "MD5";
    case NID_sha1: return "SHA-1";
    case NID_sha224: return "SHA-224";
    case NID_sha256: return "SHA-256";
    case NID_sha384: return "SHA-384";
    case NID_sha512: return "SHA-512";
    default: return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid);
  }
}

// SHA-2 is what Apple's tools sign with today; SHA-1 is what they (and MDM servers) used
// to, and devices still install those profiles; MD5 and the rest no one should trust.
enum class DigestStrength { strong, weak, refused };

DigestStrength digest_strength(const X509_ALGOR* alg) {
  switch (alg == nullptr ? NID_undef : OBJ_obj2nid(alg->algorithm)) {
    case NID_sha224:
    case NID_sha256:
    case NID_sha384:
    case NID_sha512: return DigestStrength::strong;
    case NID_sha1: return DigestStrength::weak;
    default: return DigestStrength::refused;
  }
}

std::string signature_name(const X509_ALGOR* alg) {
  if (alg == nullptr) return "";
  const int nid = OBJ_obj2nid(alg->algorithm);
  return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid);
}

std::optional<std::int64_t> signing_time(CMS_SignerInfo* si) {
  const int index = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (index < 0) return std::nullopt;
  const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, index), 0);
  if (value == nullptr || (value->type != V_ASN1_UTCTIME && value->type != V_ASN1_GENERALIZEDTIME)) return std::nullopt;
  return crypto::unix_time(value->value.asn1_string);
}

// Signer first, then whichever embedded certificate issued the previous one.
std::vector<CertificateSummary> embedded_chain(X509* signer, STACK_OF(X509) * certs) {
  std::vector<CertificateSummary> chain{crypto::describe(signer).summary};
  std::vector<X509*> used{signer};
  X509* current = signer;
  while (!crypto::is_self_signed(current)) {
    X509* issuer = nullptr;
    for (int i = 0; certs && i < sk_X509_num(certs) && issuer == nullptr; ++i) {
      X509* candidate = sk_X509_value(certs, i);
      if (std::find(used.begin(), used.end(), candidate) == used.end() &&
          X509_check_issued(candidate, current) == X509_V_OK)
        issuer = candidate;
    }
    if (issuer == nullptr) break;
    chain.push_back(crypto::describe(issuer).summary);
    used.push_back(issuer);
    current = issuer;
  }
  return chain;
}

crypto::StorePtr anchor_store(const VerifyOptions& options, Diagnostics& diags) {
  crypto::StorePtr store(X509_STORE_new());
  bool ok = store != nullptr;
  if (ok && options.trust_anchors.empty()) {
    // The system store: roots only, so no partial chains. A missing file or directory
    // leaves the store empty, and the chain then does not verify (MCC-S012).
    const TrustStoreLocation at = system_trust_store();
    if (X509_LOOKUP* file = X509_STORE_add_lookup(store.get(), X509_LOOKUP_file()))
      X509_LOOKUP_load_file(file, at.file.c_str(), X509_FILETYPE_PEM);
    if (X509_LOOKUP* dir = X509_STORE_add_lookup(store.get(), X509_LOOKUP_hash_dir()))
      X509_LOOKUP_add_dir(dir, at.directory.c_str(), X509_FILETYPE_PEM);
    ERR_clear_error();
    X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
    return store;
  }
  for (const auto& file : options.trust_anchors) {
    std::string why;
    auto certs = crypto::read_certificates(file.bytes, why);
    if (certs.empty()) {
      diags.add(msg::malformed_signing_file(file.name, "a certificate", why));
      ok = false;
    }
    for (const auto& cert : certs) X509_STORE_add_cert(store.get(), cert.get());  // takes its own reference
  }
  ERR_clear_error();
  if (!ok) return nullptr;
  // Profiles are signed with all kinds of certificates (S/MIME, code signing, TLS):
  // devices check the chain, not the purpose. An anchor the user names is trusted
  // even when it is an intermediate.
  X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  return store;
}

void check_chain(X509* signer, STACK_OF(X509) * certs, const std::string& name, const VerifyOptions& options,
                 VerifyResult& r, Diagnostics& diags) {
  r.chain_checked = true;
  crypto::StorePtr store = anchor_store(options, diags);
  if (!store) return;
  crypto::StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), signer, certs) != 1) {
    diags.add(msg::chain_untrusted(name, r.chain.front().subject, crypto::drain_errors("cannot set up verification")));
    return;
  }
  if (X509_verify_cert(ctx.get()) == 1) {
    r.chain_valid = true;
    r.chain.clear();
    STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(ctx.get());
    for (int i = 0; i < sk_X509_num(verified); ++i)
      r.chain.push_back(crypto::describe(sk_X509_value(verified, i)).summary);
  } else {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    X509* at = X509_STORE_CTX_get_current_cert(ctx.get());
    std::string reason = X509_verify_cert_error_string(error);
    if (at != nullptr && at != signer) reason += " (at " + crypto::name_text(X509_get_subject_name(at)) + ")";
    diags.add(msg::chain_untrusted(name, r.chain.front().subject, reason));
  }
  ERR_clear_error();
}

}  // namespace

VerifyResult verify_profile(std::string_view bytes, const std::string& name, const VerifyOptions& options,
                            Diagnostics& diags) {
  VerifyResult r;
  if (!looks_like_cms(bytes)) return r;
  r.is_signed = true;
  ERR_clear_error();
  crypto::BioPtr in = crypto::memory_bio(bytes);
  crypto::CmsPtr info(d2i_CMS_bio(in.get(), nullptr));
  if (!info) {
    diags.add(msg::malformed_signature(name, crypto::drain_errors("the CMS structure cannot be decoded")));
    return r;
  }
  if (OBJ_obj2nid(CMS_get0_type(info.get())) != NID_pkcs7_signed) {
    diags.add(msg::malformed_signature(name, "the CMS structure is not signed data"));
    return r;
  }
  ASN1_OCTET_STRING** content = CMS_get0_content(info.get());
  if (content == nullptr || *content == nullptr) {
    diags.add(msg::malformed_signature(name, "the signature is detached: the profile is not inside it"));
    return r;
  }
  r.content.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*content)),
                   static_cast<std::size_t>(ASN1_STRING_length(*content)));
  Diagnostics plist_diags;  // why it is not a plist (MCC-P001), reported with MCC-S010 below
  r.content_is_plist = parse_plist(r.content, name, plist_diags).has_value();

  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(info.get());
  r.signer_count = signers ? static_cast<std::size_t>(sk_CMS_SignerInfo_num(signers)) : 0;
  if (r.signer_count == 0) {
    diags.add(msg::malformed_signature(name, "it has no signer"));
    return r;
  }
  crypto::CertStackPtr certs(CMS_get1_certs(info.get()));
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i)
    r.embedded.push_back(crypto::describe(sk_X509_value(certs.get(), i)).summary);
  CMS_set1_signers_certs(info.get(), nullptr, 0);
  ERR_clear_error();

  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  X509* signer = nullptr;
  X509_ALGOR* digest = nullptr;
  X509_ALGOR* signature = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &signer, &digest, &signature);
  r.digest_algorithm = digest_name(digest);
  r.signature_algorithm = signature_name(signature);
  r.signing_time = signing_time(si);
  if (signer == nullptr) {
    diags.add(msg::malformed_signature(name, "the signer certificate is not embedded"));
    return r;
  }
  r.chain = embedded_chain(signer, certs.get());

  // Integrity first: digest and signature, whoever the signer is.
  crypto::BioPtr sink(BIO_new(BIO_s_null()));
  if (CMS_verify(info.get(), nullptr, nullptr, nullptr, sink.get(), CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1) {
    r.signature_valid = true;
  } else {
    diags.add(msg::signature_invalid(name, crypto::drain_errors("verification failure")));
  }
  ERR_clear_error();
  const DigestStrength strength = digest_strength(digest);
  r.digest_accepted = strength != DigestStrength::refused;
  if (strength != DigestStrength::strong) diags.add(msg::weak_digest(name, r.digest_algorithm, !r.digest_accepted));
  if (!r.content_is_plist) {
    diags.append(plist_diags);
    diags.add(msg::signed_content_not_a_plist(name));
  }
  if (!options.trust_anchors.empty() || options.system_trust) check_chain(signer, certs.get(), name, options, r, diags);
  return r;
}

TrustStoreLocation system_trust_store() {
  auto from = [](const char* variable, const char* fallback) {
    const char* value = std::getenv(variable);
    return std::string(value != nullptr && *value != '\0' ? value : fallback);
  };
  return {from(X509_get_default_cert_file_env(), X509_get_default_cert_file()),
          from(X509_get_default_cert_dir_env(), X509_get_default_cert_dir())};
}

}  // namespace mcc
