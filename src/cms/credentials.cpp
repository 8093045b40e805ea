#include "cms/credentials.hpp"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "cms/certificate_summary.hpp"
#include "cms/openssl_errors.hpp"
#include "cms/sign_messages.hpp"

namespace mcc::cms {
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

std::optional<PkeyPtr> load_key(const NamedSecret& file, const PassphraseSource& source, Diagnostics& diags) {
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
    diags.add(msg::passphrase_missing(file.name));
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

bool pkcs12_mac_accepts_empty(PKCS12* p12) {
  // Empty passwords come in two encodings (absent and an empty BMPString); accept both.
  const bool ok = PKCS12_mac_present(p12) == 0 || PKCS12_verify_mac(p12, "", 0) == 1 ||
                  PKCS12_verify_mac(p12, nullptr, 0) == 1;
  ERR_clear_error();
  return ok;
}

// PKCS#12 files from older keychains encrypt certificates with RC2, which OpenSSL 3
// keeps in its "legacy" provider; load it once, only when a file needs it.
void load_legacy_provider() {
  static std::once_flag once;
  std::call_once(once, [] {
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

std::optional<Identity> load_pkcs12(const NamedSecret& file, const PassphraseSource& source, Diagnostics& diags) {
  ERR_clear_error();
  BioPtr bio = memory_bio(file.bytes.view());
  Pkcs12Ptr p12(file.bytes.empty() ? nullptr : d2i_PKCS12_bio(bio.get(), nullptr));
  if (!p12) {
    const std::string why = file.bytes.empty() ? "the file is empty" : drain_errors("it cannot be decoded");
    diags.add(msg::malformed_signing_file(file.name, "a PKCS#12 file", why));
    return std::nullopt;
  }
  PassphraseRequest request(source, file.name);
  const char* pass = "";
  if (!pkcs12_mac_accepts_empty(p12.get())) {
    const SecretBytes* given = request.get();
    if (given == nullptr) {
      diags.add(msg::passphrase_missing(file.name));
      return std::nullopt;
    }
    // SecretBytes holds a std::string, so its data is NUL-terminated.
    pass = given->view().data();
    if (PKCS12_verify_mac(p12.get(), pass, -1) != 1) {
      ERR_clear_error();
      diags.add(msg::wrong_passphrase(file.name));
      return std::nullopt;
    }
  }
  Pkcs12Contents contents;
  if (!parse_pkcs12(p12.get(), pass, contents)) {
    ERR_clear_error();
    load_legacy_provider();
    if (!parse_pkcs12(p12.get(), pass, contents)) {
      diags.add(msg::malformed_signing_file(
          file.name, "a readable PKCS#12 file",
          drain_errors("its contents cannot be decrypted") +
              " (files encrypted with RC2, as older macOS and Windows exports are, need OpenSSL's legacy provider; re-export with AES)"));
      return std::nullopt;
    }
  }
  ERR_clear_error();
  if (!contents.cert || !contents.key) {
    diags.add(msg::malformed_signing_file(file.name, "a usable PKCS#12 file",
                                          contents.cert ? "it holds no private key" : "it holds no certificate for its key"));
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
  auto key = load_key(*c.private_key, source, diags);
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

void warn_about_signer(const Identity& id, Diagnostics& diags) {
  X509* cert = id.certificate.get();
  const std::string subject = name_text(X509_get_subject_name(cert));
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0)
    diags.add(msg::signer_not_valid_now(id.certificate_name, subject,
                                        "expired on " + format_utc(unix_time(X509_get0_notAfter(cert)).value_or(0))));
  else if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
    diags.add(msg::signer_not_valid_now(
        id.certificate_name, subject,
        "is not valid until " + format_utc(unix_time(X509_get0_notBefore(cert)).value_or(0))));
  const bool has_key_usage = (X509_get_extension_flags(cert) & EXFLAG_KUSAGE) != 0;
  if (has_key_usage && (X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE) == 0)
    diags.add(msg::signer_lacks_digital_signature(id.certificate_name, subject));
}

}  // namespace

std::optional<Identity> load_identity(const SignerCredentials& c, const PassphraseSource& source, Diagnostics& diags) {
  std::optional<Identity> id;
  if (c.pkcs12) {
    id = load_pkcs12(*c.pkcs12, source, diags);
  } else if (c.certificate && c.private_key) {
    id = load_pem_identity(c, source, diags);
  } else {
    diags.add(msg::malformed_signing_file(c.certificate ? c.certificate->name : "", "a complete signing identity",
                                          "give a certificate and its private key, or a PKCS#12 file"));
    return std::nullopt;
  }
  if (!id) return std::nullopt;
  if (X509_check_private_key(id->certificate.get(), id->key.get()) != 1) {
    ERR_clear_error();
    const std::string key_name = c.pkcs12 ? c.pkcs12->name : c.private_key->name;
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

}  // namespace mcc::cms
