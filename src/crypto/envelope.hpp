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

// Encrypting is Encryptor (mobileconfigc/identity.hpp), implemented in envelope.cpp.

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
  /// One line per recipient whose content key Apple's CMS decoder would not recover (it
  /// takes key transport by rsaEncryption only): "the content key is sent to … by …".
  std::vector<std::string> not_for_apple;
};
EnvelopeInfo describe_envelope(std::string_view der);

}  // namespace mcc::crypto
