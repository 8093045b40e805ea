// SPDX-License-Identifier: Apache-2.0
#pragma once
// Loading a signing identity (certificate, private key, chain) from PEM/DER files or
// one PKCS#12 file, with the diagnostics a user needs to fix a wrong input.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openssl_handles.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::crypto {

struct ChainCertificate {
  X509Ptr certificate;
  std::string source;  // the file it came from
};

struct Identity {
  X509Ptr certificate;
  PkeyPtr key;
  std::vector<ChainCertificate> chain;  // intermediates only: no roots, no duplicates, not the signer
  std::string certificate_name;          // the file the signer certificate came from
};

/// One private key (PEM or DER, maybe encrypted); nothing on error (reported). `passphrase_options`
/// says where a passphrase can come from when none was given (MCC-S004); empty: the signing key's
/// (the message then names the `passphrase` argument, and the command line says where).
std::optional<PkeyPtr> load_private_key(const NamedSecret& file, const PassphraseSource& source,
                                        std::string_view passphrase_options, Diagnostics& diags);

/// A PKCS#12 file's key, certificate and other certificates; wrong passphrase, no key, no
/// certificate for the key are reported. The key is not yet checked against the certificate.
std::optional<Identity> load_pkcs12(const NamedSecret& file, const PassphraseSource& source,
                                    std::string_view passphrase_options, Diagnostics& diags);

/// Loads and cross-checks the credentials; nothing on any error (already reported).
std::optional<Identity> load_identity(const SignerCredentials& credentials, const PassphraseSource& passphrase,
                                      Diagnostics& diags);

}  // namespace mcc::crypto
