// SPDX-License-Identifier: Apache-2.0
#pragma once
// A throwaway PKI made at test time with OpenSSL (no private key is committed):
// root → intermediate → signers (RSA-2048 and ECDSA P-256, plus an expired one and
// one without digitalSignature key usage), and an unrelated root.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/openssl_handles.hpp"

namespace mcc::test::pki {

struct Issued {
  crypto::X509Ptr cert;
  crypto::PkeyPtr key;
};

struct Pki {
  Issued root, intermediate, rsa_signer, ec_signer, expired_signer, encipher_only_signer, other_root;
};

/// Made once per test run (RSA key generation is the slow part).
const Pki& pki();

std::string cert_pem(X509* cert);
std::string cert_der(X509* cert);
std::string key_pem(EVP_PKEY* key);
/// Unencrypted PKCS#8, DER.
std::string key_der(EVP_PKEY* key);
/// PKCS#8 encrypted with AES-256-CBC ("-----BEGIN ENCRYPTED PRIVATE KEY-----").
std::string encrypted_key_pem(EVP_PKEY* key, const std::string& passphrase);
/// The traditional OpenSSL format ("Proc-Type: 4,ENCRYPTED").
std::string traditional_encrypted_key_pem(EVP_PKEY* key, const std::string& passphrase);
/// A PKCS#12 file (AES-256, SHA-256 MAC) holding the key, the certificate and `chain`.
std::string pkcs12(const Issued& who, const std::vector<X509*>& chain, const std::string& passphrase);

/// A self-signed signer certificate for `key`, whatever its type (DSA, Ed25519, ...).
Issued self_signed(const char* cn, crypto::PkeyPtr key);
/// A DSA key (1024-bit parameters: generating them is the slow part).
crypto::PkeyPtr dsa_key();
/// "ED25519" or "ED448".
crypto::PkeyPtr eddsa_key(const char* type);
/// A PKCS#12 file without a MAC, as `openssl pkcs12 -export -nomac` writes it.
std::string pkcs12_without_mac(const Issued& who, const std::string& passphrase);
/// A PKCS#12 file with the certificate and no key, as `openssl pkcs12 -export -nokeys`.
std::string pkcs12_certificate_only(const Issued& who, const std::string& passphrase);
/// `content` signed (attached, binary) with the digest `md`, as `openssl cms -sign -md` does.
std::string cms_sign(const std::string& content, const Issued& who, const EVP_MD* md);

/// Writes the PKI as files into `dir`: root.pem, other-root.pem, intermediate.pem,
/// signer.pem/signer.key, signer-enc.key, signer-trad.key, signer.p12, signer-nopass.p12,
/// ec.pem/ec.key/ec.p12, expired.pem/expired.key, encipher.pem/encipher.key,
/// fullchain.pem (signer + intermediate + root), signer.der/signer.key.der. Passphrase: "correct horse".
void write_files(const std::filesystem::path& dir);
inline const char* kPassphrase = "correct horse";

/// Verifies DER CMS with OpenSSL's own CMS_verify against `anchor`; returns the content
/// or sets `error`.
bool openssl_verify(const std::string& der, X509* anchor, std::string& content, std::string& error);

}  // namespace mcc::test::pki
