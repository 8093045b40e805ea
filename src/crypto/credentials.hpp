#pragma once
// Loading a signing identity (certificate, private key, chain) from PEM/DER files or
// one PKCS#12 file, with the diagnostics a user needs to fix a wrong input.

#include <optional>
#include <string>
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

/// Loads and cross-checks the credentials; nothing on any error (already reported).
std::optional<Identity> load_identity(const SignerCredentials& credentials, const PassphraseSource& passphrase,
                                      Diagnostics& diags);

}  // namespace mcc::crypto
