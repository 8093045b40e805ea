// SPDX-License-Identifier: Apache-2.0
#pragma once
// CMS EnvelopedData (DER) for encrypted profiles: what Apple's EncryptedPayloadContent holds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::crypto {

/// DER EnvelopedData of `content` (binary, no MIME canonicalisation) for every recipient
/// certificate: AES-256-CBC content encryption, RSA PKCS#1 v1.5 key transport (the only key
/// transport Apple's CMS decoder takes). Certificates that cannot do it are refused (MCC-S020):
/// not RSA, or a key usage without keyEncipherment. `now` judges validity (a warning).
std::optional<std::string> envelope(std::string_view content, const std::vector<NamedBytes>& recipients, std::int64_t now,
                                    Diagnostics& diags);

/// The content of DER EnvelopedData (or AuthEnvelopedData) `der`, decrypted with the key in
/// `key` (PEM or DER, maybe encrypted). `name` names the profile in diagnostics (MCC-S021).
std::optional<std::string> open_envelope(std::string_view der, const NamedSecret& key, const PassphraseSource& passphrase,
                                         std::string_view passphrase_options, const std::string& name, Diagnostics& diags);

/// What an EnvelopedData says about itself without a key.
struct EnvelopeInfo {
  bool ok = false;
  std::string error;                    // why `der` is not EnvelopedData (when !ok)
  std::string content_type;             // "envelopedData" or "authEnvelopedData"
  std::vector<std::string> recipients;  // "key transport rsaEncryption, issuer CN=…, serial 1A2B"
};
EnvelopeInfo describe_envelope(std::string_view der);

}  // namespace mcc::crypto
