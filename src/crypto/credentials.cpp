// SPDX-License-Identifier: Apache-2.0
#include "crypto/credentials.hpp"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#define MCC_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MCC_LEAK_CHECKED 1
#endif
#endif
#ifdef MCC_LEAK_CHECKED
#include <sanitizer/lsan_interface.h>
#endif

#include "crypto/certificate.hpp"
#include "crypto/openssl_errors.hpp"
#include "base/messages.hpp"

namespace mcc::crypto {
namespace {

// Asks the caller's source at most once per file, however often OpenSSL calls back.
struct PassphraseRequest {
  PassphraseRequest(const PassphraseSource& s, std::string w) : source(&s), what(std::move(w)) {}
  const PassphraseSource* source;
  std::string what;
  bool asked = false;
  std::optional<SecretBytes> passphrase;

  const SecretBytes* get() {
    if (!asked) {
      asked = true;
      if (*source) passphrase = (*source)(what);
    }
    return passphrase ? &*passphrase : nullptr;
  }
};

int passphrase_callback(char* buf, int size, int /*rwflag*/, void* user) {
  const SecretBytes* pass = static_cast<PassphraseRequest*>(user)->get();
  if (pass == nullptr || size <= 0) return -1;
  const auto n = static_cast<int>(std::min<std::size_t>(pass->view().size(), static_cast<std::size_t>(size)));
  std::memcpy(buf, pass->view().data(), static_cast<std::size_t>(n));
  return n;
}

bool looks_like_pem(std::string_view bytes) { return bytes.find("-----BEGIN") != std::string_view::npos; }

PkeyPtr decode_der_key(std::string_view bytes, PassphraseRequest& request) {
  EVP_PKEY* key = nullptr;
  OSSL_DECODER_CTX* ctx =
      OSSL_DECODER_CTX_new_for_pkey(&key, "DER", nullptr, nullptr, EVP_PKEY_KEYPAIR, nullptr, nullptr);
  if (ctx == nullptr) return nullptr;
  OSSL_DECODER_CTX_set_pem_password_cb(ctx, passphrase_callback, &request);
  BioPtr bio = memory_bio(bytes);
  if (OSSL_DECODER_from_bio(ctx, bio.get()) != 1) key = nullptr;
  OSSL_DECODER_CTX_free(ctx);
  return PkeyPtr(key);
}

}  // namespace

std::optional<PkeyPtr> load_private_key(const NamedSecret& file, const PassphraseSource& source,
                                        std::string_view passphrase_options, Diagnostics& diags) {
  ERR_clear_error();
  PassphraseRequest request(source, file.name);
  PkeyPtr key;
  const std::string_view bytes = file.bytes.view();
  if (looks_like_pem(bytes)) {
    BioPtr bio = memory_bio(bytes);
    key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback, &request));
  } else if (!bytes.empty()) {
    key = decode_der_key(bytes, request);
  }
  if (key) {
    ERR_clear_error();
    return key;
  }
  if (request.asked && !request.passphrase) {
    ERR_clear_error();
    diags.add(passphrase_options.empty() ? msg::passphrase_missing(file.name) : msg::passphrase_missing(file.name, passphrase_options));
  } else if (request.asked) {
    ERR_clear_error();
    diags.add(msg::wrong_passphrase(file.name));
  } else {
    // OpenSSL's own reasons here ("unsupported", "no start line") say little; ours say what to check.
    ERR_clear_error();
    std::string why = "neither PEM nor a DER private key (PKCS#8, PKCS#1 or SEC1)";
    if (bytes.empty()) why = "the file is empty";
    else if (looks_like_pem(bytes) && bytes.find("PRIVATE KEY-----") == std::string_view::npos) why = "no PEM private key found";
    else if (looks_like_pem(bytes)) why = "the PEM private key cannot be decoded";
    diags.add(msg::malformed_signing_file(file.name, "a private key", why));
  }
  return std::nullopt;
}

namespace {

bool pkcs12_mac_accepts_empty(PKCS12* p12) {
  // Empty passwords come in two encodings (absent and an empty BMPString); accept both.
  const bool ok = PKCS12_verify_mac(p12, "", 0) == 1 || PKCS12_verify_mac(p12, nullptr, 0) == 1;
  ERR_clear_error();
  return ok;
}

bool is_rc2(const X509_ALGOR* alg) {
  switch (alg == nullptr ? NID_undef : OBJ_obj2nid(alg->algorithm)) {
    case NID_pbe_WithSHA1And128BitRC2_CBC:
    case NID_pbe_WithSHA1And40BitRC2_CBC:
    case NID_pbeWithMD5AndRC2_CBC:
    case NID_pbeWithSHA1AndRC2_CBC: return true;
    default: return false;
  }
}

// True when the file encrypts its certificates with RC2, which OpenSSL 3 keeps in its legacy
// provider: only then is a failure to decrypt worth blaming on RC2.
bool uses_rc2(PKCS12* p12) {
  STACK_OF(PKCS7)* safes = PKCS12_unpack_authsafes(p12);
  bool found = false;
  for (int i = 0; safes && i < sk_PKCS7_num(safes) && !found; ++i) {
    PKCS7* p7 = sk_PKCS7_value(safes, i);
    if (OBJ_obj2nid(p7->type) == NID_pkcs7_encrypted && p7->d.encrypted && p7->d.encrypted->enc_data)
      found = is_rc2(p7->d.encrypted->enc_data->algorithm);
  }
  sk_PKCS7_pop_free(safes, PKCS7_free);
  ERR_clear_error();
  return found;
}

// PKCS#12 files from older keychains encrypt certificates with RC2, which OpenSSL 3
// keeps in its "legacy" provider; load it once, only when a file needs it.
void load_legacy_provider() {
  static std::once_flag once;
  std::call_once(once, [] {
#ifdef MCC_LEAK_CHECKED
    // OpenSSL 3.0's legacy provider makes a child library context when it starts, and
    // nothing frees it, even OSSL_PROVIDER_unload. What it allocates here is OpenSSL's,
    // loaded once per process: LeakSanitizer leaves it out, without slow full-stack
    // unwinding on every allocation to recognise it.
    __lsan::ScopedDisabler openssl_keeps_it;
#endif
    OSSL_PROVIDER_try_load(nullptr, "legacy", 1);
    ERR_clear_error();
  });
}

struct Pkcs12Contents {
  PkeyPtr key;
  X509Ptr cert;
  CertStackPtr ca;
};

bool parse_pkcs12(PKCS12* p12, const char* pass, Pkcs12Contents& out) {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12, pass, &key, &cert, &ca) != 1) return false;
  out.key.reset(key);
  out.cert.reset(cert);
  out.ca.reset(ca);
  return true;
}

}  // namespace

std::optional<Identity> load_pkcs12(const NamedSecret& file, const PassphraseSource& source,
                                    std::string_view passphrase_options, Diagnostics& diags) {
  ERR_clear_error();
  BioPtr bio = memory_bio(file.bytes.view());
  Pkcs12Ptr p12(file.bytes.empty() ? nullptr : d2i_PKCS12_bio(bio.get(), nullptr));
  if (!p12) {
    const std::string why = file.bytes.empty() ? "the file is empty" : drain_errors("it cannot be decoded");
    diags.add(msg::malformed_signing_file(file.name, "a PKCS#12 file", why));
    return std::nullopt;
  }
  PassphraseRequest request(source, file.name);
  // The passphrase, asked for at most once; nullptr after reporting that there is none.
  auto ask = [&]() -> const char* {
    const SecretBytes* given = request.get();
    if (given == nullptr) diags.add(passphrase_options.empty() ? msg::passphrase_missing(file.name) : msg::passphrase_missing(file.name, passphrase_options));
    // SecretBytes holds a std::string, so its data is NUL-terminated.
    return given ? given->view().data() : nullptr;
  };
  // RC2-encrypted files need the legacy provider: tried again with it before giving up.
  Pkcs12Contents contents;
  auto parse = [&](const char* pass) {
    if (parse_pkcs12(p12.get(), pass, contents)) return true;
    ERR_clear_error();
    load_legacy_provider();
    const bool ok = parse_pkcs12(p12.get(), pass, contents);
    if (!ok) ERR_clear_error();
    return ok;
  };
  const bool has_mac = PKCS12_mac_present(p12.get()) == 1;
  const char* pass = "";
  if (has_mac && !pkcs12_mac_accepts_empty(p12.get())) {
    if ((pass = ask()) == nullptr) return std::nullopt;
    if (PKCS12_verify_mac(p12.get(), pass, -1) != 1) {
      ERR_clear_error();
      diags.add(msg::wrong_passphrase(file.name));
      return std::nullopt;
    }
  }
  bool parsed = parse(pass);
  // RC2 is to blame only when the file uses it and this OpenSSL cannot decrypt it.
  const bool rc2_unavailable = !parsed && uses_rc2(p12.get()) && OSSL_PROVIDER_available(nullptr, "legacy") != 1;
  // Without a MAC (openssl pkcs12 -nomac) nothing says whether the file wants a passphrase
  // but a failed decryption: then one is asked for, and a second failure means it is wrong.
  if (!parsed && !has_mac && !rc2_unavailable) {
    if ((pass = ask()) == nullptr) return std::nullopt;
    // OpenSSL 3.0's PKCS12_parse insists on a MAC when given a passphrase; this in-memory
    // copy gets one made with the passphrase, so that parsing tries it on the contents.
    if (PKCS12_set_mac(p12.get(), pass, -1, nullptr, 0, 1, nullptr) != 1 || !(parsed = parse(pass))) {
      ERR_clear_error();
      diags.add(msg::wrong_passphrase(file.name));
      return std::nullopt;
    }
  }
  if (!parsed) {
    std::string why = "its contents cannot be decrypted";
    if (rc2_unavailable)
      why += ": its certificates are encrypted with RC2, as older macOS and Windows exports are, and OpenSSL's "
             "legacy provider, which decrypts RC2, is not available here; re-export the file with AES";
    diags.add(msg::malformed_signing_file(file.name, "a readable PKCS#12 file", why));
    return std::nullopt;
  }
  ERR_clear_error();
  if (!contents.key || !contents.cert) {
    // PKCS12_parse pairs the certificate with the key by its local key id; a file without a
    // key hands every certificate back as "other certificates", none as the signer's.
    diags.add(msg::malformed_signing_file(file.name, "a usable PKCS#12 file",
                                          !contents.key ? "it holds no private key"
                                                        : "it holds no certificate for its private key"));
    return std::nullopt;
  }
  Identity id;
  id.certificate = std::move(contents.cert);
  id.key = std::move(contents.key);
  id.certificate_name = file.name;
  for (int i = 0; contents.ca && i < sk_X509_num(contents.ca.get()); ++i)
    id.chain.push_back({share(sk_X509_value(contents.ca.get(), i)), file.name});
  return id;
}

namespace {

std::optional<Identity> load_pem_identity(const SignerCredentials& c, const PassphraseSource& source,
                                          Diagnostics& diags) {
  std::string why;
  auto certs = read_certificates(c.certificate->bytes, why);
  if (certs.empty()) {
    diags.add(msg::malformed_signing_file(c.certificate->name, "a certificate", why));
    return std::nullopt;
  }
  Identity id;
  id.certificate_name = c.certificate->name;
  id.certificate = std::move(certs.front());
  for (std::size_t i = 1; i < certs.size(); ++i) id.chain.push_back({std::move(certs[i]), c.certificate->name});
  bool chain_ok = true;
  for (const auto& file : c.chain) {
    auto more = read_certificates(file.bytes, why);
    if (more.empty()) {
      diags.add(msg::malformed_signing_file(file.name, "a certificate", why));
      chain_ok = false;
    }
    for (auto& cert : more) id.chain.push_back({std::move(cert), file.name});
  }
  auto key = load_private_key(*c.private_key, source, std::string_view(), diags);
  if (!key || !chain_ok) return std::nullopt;
  id.key = std::move(*key);
  return id;
}

// Keeps intermediates only, each once, and never the signer itself; warns when the
// signer's issuer is neither kept nor a root the user gave.
void prune_chain(Identity& id, Diagnostics& diags) {
  std::vector<ChainCertificate> kept;
  bool issuer_found = is_self_signed(id.certificate.get());
  for (auto& entry : id.chain) {
    X509* cert = entry.certificate.get();
    if (X509_cmp(cert, id.certificate.get()) == 0) continue;
    if (std::any_of(kept.begin(), kept.end(),
                    [&](const ChainCertificate& k) { return X509_cmp(k.certificate.get(), cert) == 0; }))
      continue;
    if (X509_check_issued(cert, id.certificate.get()) == X509_V_OK) issuer_found = true;
    if (is_self_signed(cert)) {
      diags.add(msg::root_left_out(entry.source, name_text(X509_get_subject_name(cert))));
      continue;
    }
    kept.push_back(std::move(entry));
  }
  id.chain = std::move(kept);
  if (!issuer_found)
    diags.add(msg::issuer_not_in_chain(id.certificate_name, name_text(X509_get_issuer_name(id.certificate.get()))));
}

bool is_signing_key_type(const EVP_PKEY* key) {
  const int id = EVP_PKEY_get_base_id(key);
  return id == EVP_PKEY_RSA || id == EVP_PKEY_EC;
}

std::string key_type_name(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_DSA: return "DSA";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_RSA_PSS: return "RSA-PSS";
    default: {
      const char* name = EVP_PKEY_get0_type_name(key);
      return name ? name : "unknown";
    }
  }
}

void warn_about_signer(const Identity& id, Diagnostics& diags) {
  X509* cert = id.certificate.get();
  const CertificateSummary facts = describe(cert).summary;
  const std::string& subject = facts.subject;
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0)
    diags.add(msg::signer_not_valid_now(id.certificate_name, subject, "expired on " + format_utc(facts.not_after)));
  else if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
    diags.add(
        msg::signer_not_valid_now(id.certificate_name, subject, "is not valid until " + format_utc(facts.not_before)));
  const bool has_key_usage = (X509_get_extension_flags(cert) & EXFLAG_KUSAGE) != 0;
  if (has_key_usage && (X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE) == 0)
    diags.add(msg::signer_lacks_digital_signature(id.certificate_name, subject));
}

}  // namespace

std::optional<Identity> load_identity(const SignerCredentials& c, const PassphraseSource& source, Diagnostics& diags) {
  std::optional<Identity> id;
  if (c.pkcs12) {
    id = load_pkcs12(*c.pkcs12, source, std::string_view(), diags);
  } else if (c.certificate && c.private_key) {
    id = load_pem_identity(c, source, diags);
  } else {
    diags.add(msg::malformed_signing_file(c.certificate ? c.certificate->name : "", "a complete signing identity",
                                          "give a certificate and its private key, or a PKCS#12 file"));
    return std::nullopt;
  }
  if (!id) return std::nullopt;
  const std::string key_name = c.pkcs12 ? c.pkcs12->name : c.private_key->name;
  // Refused before anything else: a DSA or EdDSA key would load, match its certificate and
  // only fail when signing ("invalid digest"), or make signatures devices do not verify.
  if (!is_signing_key_type(id->key.get())) {
    diags.add(msg::unsupported_key_type(key_name, key_type_name(id->key.get())));
    return std::nullopt;
  }
  if (X509_check_private_key(id->certificate.get(), id->key.get()) != 1) {
    ERR_clear_error();
    diags.add(msg::key_does_not_match(key_name, id->certificate_name));
    return std::nullopt;
  }
  prune_chain(*id, diags);
  warn_about_signer(*id, diags);
  // Cache the parsed extensions now, so concurrent signers only ever read them.
  X509_check_purpose(id->certificate.get(), -1, 0);
  for (const auto& entry : id->chain) X509_check_purpose(entry.certificate.get(), -1, 0);
  ERR_clear_error();
  return id;
}

}  // namespace mcc::crypto
