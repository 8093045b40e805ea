// SPDX-License-Identifier: Apache-2.0
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/certificate.hpp"
#include "crypto/credentials.hpp"
#include "crypto/openssl_errors.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc {

struct Signer::Impl {
  crypto::Identity identity;
  std::vector<CertificateSummary> summaries;
  std::optional<std::int64_t> signing_time;
};

Signer::Signer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;
Signer::~Signer() = default;

std::optional<Signer> Signer::load(const SignerCredentials& credentials, const PassphraseSource& passphrase,
                                   Diagnostics& diags) {
  auto identity = crypto::load_identity(credentials, passphrase, diags);
  if (!identity) return std::nullopt;
  auto impl = std::make_unique<Impl>();
  impl->summaries.push_back(crypto::describe(identity->certificate.get()).summary);
  for (const auto& entry : identity->chain)
    impl->summaries.push_back(crypto::describe(entry.certificate.get()).summary);
  impl->identity = std::move(*identity);
  return Signer(std::move(impl));
}

const std::vector<CertificateSummary>& Signer::certificates() const { return impl_->summaries; }

void Signer::set_signing_time(std::optional<std::int64_t> unix_seconds) { impl_->signing_time = unix_seconds; }

bool Signer::deterministic() const { return EVP_PKEY_get_base_id(impl_->identity.key.get()) == EVP_PKEY_RSA; }

std::optional<std::string> Signer::sign(std::string_view profile, const std::string& name, Diagnostics& diags) const {
  // The error queue is per thread, so concurrent signers do not see each other's errors.
  ERR_clear_error();
  auto fail = [&](const char* what) {
    diags.add(msg::signing_failed(name, crypto::drain_errors(what)));
    return std::nullopt;
  };
  // Binary: no S/MIME canonicalisation, the signed bytes are the profile's bytes.
  // No S/MIME capabilities: the signed attributes are content type, digest, signing time.
  constexpr unsigned flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  const crypto::Identity& id = impl_->identity;
  crypto::CmsPtr info(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (!info) return fail("cannot create the signed data");
  CMS_SignerInfo* si = CMS_add1_signer(info.get(), id.certificate.get(), id.key.get(), EVP_sha256(), flags);
  if (si == nullptr) return fail("cannot add the signer");
  if (impl_->signing_time) {
    // CMS_final adds the current time only when no signing time is there yet. ASN1_TIME_set
    // picks UTCTime up to 2049 and GeneralizedTime after, as RFC 5652 section 11.3 asks.
    crypto::Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(*impl_->signing_time)));
    if (!when ||
        CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, ASN1_STRING_type(when.get()), when.get(), -1) != 1)
      return fail("cannot set the signing time");
  }
  for (const auto& entry : id.chain)
    if (CMS_add1_cert(info.get(), entry.certificate.get()) != 1) return fail("cannot add a chain certificate");
  crypto::BioPtr content = crypto::memory_bio(profile);
  if (!content || CMS_final(info.get(), content.get(), nullptr, flags) != 1) return fail("cannot compute the signature");
  crypto::BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || i2d_CMS_bio(out.get(), info.get()) != 1) return fail("cannot encode the signed data");
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  if (data == nullptr || size <= 0) return fail("the signed data is empty");
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace mcc
