// SPDX-License-Identifier: Apache-2.0
// Signing and verification in the library, checked against OpenSSL's own CMS_verify
// with a PKI made at test time (test_cms_pki.cpp).

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include <atomic>
#include <thread>

#include "base/base64.hpp"
#include "support/test_support.hpp"
#include "test_cms_pki.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

// CRLF, a lone LF, trailing blanks and a NUL: any canonicalisation would change them.
const std::string kProfile =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<plist version=\"1.0\">\n<dict>  \r\n"
    "<key>PayloadType</key><string>Configuration</string>\n</dict>\n</plist>\n   ";
const std::string kBinary = std::string("bplist00\xd1\x01\x02\x00\r\n\x1a", 15);

// The PKI files, written once for the whole test program.
const fs::path& pki_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("mcc-cms-sign-" + std::to_string(::getpid()));
    fs::create_directories(d);
    pki::write_files(d);
    return d;
  }();
  return dir;
}

struct RemovePkiDir : ::testing::Environment {
  void TearDown() override { fs::remove_all(pki_dir()); }
};
const auto* const kRemovePkiDir = ::testing::AddGlobalTestEnvironment(new RemovePkiDir);

NamedBytes file(const std::string& name) { return {name, read_file(pki_dir() / name)}; }
NamedSecret secret(const std::string& name) { return {name, SecretBytes(read_file(pki_dir() / name))}; }

SignerCredentials pem(const std::string& cert, const std::string& key,
                      const std::vector<std::string>& chain = {"intermediate.pem"}) {
  SignerCredentials c;
  c.certificate = file(cert);
  c.private_key = secret(key);
  for (const auto& f : chain) c.chain.push_back(file(f));
  return c;
}

SignerCredentials p12(const std::string& name) {
  SignerCredentials c;
  c.pkcs12 = secret(name);
  return c;
}

class CmsSign : public ::testing::Test {
 protected:

  // Answers with `passphrase` (none when nullopt) and counts the questions.
  PassphraseSource answer(std::optional<std::string> passphrase) {
    return [this, passphrase](const std::string&) -> std::optional<SecretBytes> {
      ++asked_;
      if (!passphrase) return std::nullopt;
      return SecretBytes(*passphrase);
    };
  }

  std::optional<Signer> load(const SignerCredentials& c, std::optional<std::string> passphrase = pki::kPassphrase) {
    return Signer::load(c, answer(std::move(passphrase)), diags_);
  }

  static crypto::CmsPtr parse(const std::string& der) {
    crypto::BioPtr in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())));
    return crypto::CmsPtr(d2i_CMS_bio(in.get(), nullptr));
  }

  static std::vector<std::string> embedded_subjects(const std::string& der) {
    auto info = parse(der);
    std::vector<std::string> out;
    crypto::CertStackPtr certs(CMS_get1_certs(info.get()));
    for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) {
      char buf[256];
      X509_NAME_oneline(X509_get_subject_name(sk_X509_value(certs.get(), i)), buf, sizeof buf);
      out.emplace_back(buf);
    }
    return out;
  }

  void expect_verifies_with_openssl(const std::string& der, const std::string& content) {
    std::string got, error;
    EXPECT_TRUE(pki::openssl_verify(der, pki::pki().root.cert.get(), got, error)) << error;
    EXPECT_EQ(got, content);
  }

  static bool has_code(const Diagnostics& d, std::string_view code, Severity s) {
    for (const auto& x : d.items())
      if (x.code == code && x.severity == s) return true;
    return false;
  }

  Diagnostics diags_;
  int asked_ = 0;
};

TEST_F(CmsSign, RsaPemSignatureVerifiesWithOpenSslAndKeepsTheBytes) {
  auto signer = load(pem("signer.pem", "signer.key"));
  ASSERT_TRUE(signer) << all_lines(diags_);
  EXPECT_TRUE(diags_.empty()) << all_lines(diags_);
  EXPECT_EQ(asked_, 0) << "a plain key needs no passphrase";
  for (const std::string& content : {kProfile, kBinary}) {
    auto der = signer->sign(content, "p.mobileconfig", diags_);
    ASSERT_TRUE(der) << all_lines(diags_);
    EXPECT_TRUE(looks_like_cms(*der));
    expect_verifies_with_openssl(*der, content);
  }
}

TEST_F(CmsSign, AttachedSha256WithSignedAttributesAndNoSmimeCapabilities) {
  auto signer = load(pem("signer.pem", "signer.key"));
  ASSERT_TRUE(signer);
  auto der = signer->sign(kProfile, "p", diags_);
  ASSERT_TRUE(der);
  auto info = parse(*der);
  ASSERT_TRUE(info);
  EXPECT_EQ(OBJ_obj2nid(CMS_get0_type(info.get())), NID_pkcs7_signed);
  EXPECT_EQ(OBJ_obj2nid(CMS_get0_eContentType(info.get())), NID_pkcs7_data);
  ASN1_OCTET_STRING** content = CMS_get0_content(info.get());
  ASSERT_TRUE(content && *content) << "content must be attached";
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(*content)), ASN1_STRING_length(*content)),
            kProfile);
  auto* signers = CMS_get0_SignerInfos(info.get());
  ASSERT_EQ(sk_CMS_SignerInfo_num(signers), 1);
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  X509_ALGOR* digest = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest, nullptr);
  EXPECT_EQ(OBJ_obj2nid(digest->algorithm), NID_sha256);
  EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1), 0);
  EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1), 0);
  EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1), 0);
  EXPECT_LT(CMS_signed_get_attr_by_NID(si, NID_SMIMECapabilities, -1), 0);
  EXPECT_EQ(CMS_signed_get_attr_count(si), 3);
}

TEST_F(CmsSign, IntermediateEmbeddedRootNot) {
  // The full chain file holds signer, intermediate and root: the root is left out.
  auto signer = load(pem("fullchain.pem", "signer.key", {"intermediate.pem", "root.pem"}));
  ASSERT_TRUE(signer) << all_lines(diags_);
  EXPECT_TRUE(has_code(diags_, "MCC-S009", Severity::note)) << all_lines(diags_);
  EXPECT_FALSE(diags_.has_errors());
  auto der = signer->sign(kProfile, "p", diags_);
  ASSERT_TRUE(der);
  auto subjects = embedded_subjects(*der);
  ASSERT_EQ(subjects.size(), 2u);
  std::string all = subjects[0] + "|" + subjects[1];
  EXPECT_NE(all.find("CN=Profile Signer RSA"), std::string::npos) << all;
  EXPECT_NE(all.find("CN=Test Intermediate CA"), std::string::npos) << all;
  EXPECT_EQ(all.find("Root"), std::string::npos) << all;
  ASSERT_EQ(signer->certificates().size(), 2u);
  EXPECT_EQ(signer->certificates()[0].subject, "CN=Profile Signer RSA,O=mobileconfigc tests");
  EXPECT_EQ(signer->certificates()[0].key, "RSA 2048");
}

struct KeySource {
  const char* name;
  SignerCredentials (*make)();
  bool encrypted;
  const char* key;
};

class CmsKeySources : public CmsSign, public ::testing::WithParamInterface<KeySource> {};

TEST_P(CmsKeySources, SignsAndVerifies) {
  auto signer = load(GetParam().make());
  ASSERT_TRUE(signer) << all_lines(diags_);
  EXPECT_FALSE(diags_.has_errors()) << all_lines(diags_);
  EXPECT_EQ(asked_, GetParam().encrypted ? 1 : 0);
  EXPECT_EQ(signer->certificates().front().key, GetParam().key);
  auto der = signer->sign(kProfile, "p", diags_);
  ASSERT_TRUE(der) << all_lines(diags_);
  expect_verifies_with_openssl(*der, kProfile);
  EXPECT_EQ(embedded_subjects(*der).size(), 2u) << "signer and intermediate";
}

INSTANTIATE_TEST_SUITE_P(
    All, CmsKeySources,
    ::testing::Values(
        KeySource{"pem", [] { return pem("signer.pem", "signer.key"); }, false, "RSA 2048"},
        KeySource{"encrypted_pkcs8", [] { return pem("signer.pem", "signer-enc.key"); }, true, "RSA 2048"},
        KeySource{"encrypted_traditional", [] { return pem("signer.pem", "signer-trad.key"); }, true, "RSA 2048"},
        KeySource{"pkcs12", [] { return p12("signer.p12"); }, true, "RSA 2048"},
        KeySource{"pkcs12_no_passphrase", [] { return p12("signer-nopass.p12"); }, false, "RSA 2048"},
        KeySource{"ecdsa_pem", [] { return pem("ec.pem", "ec.key"); }, false, "EC P-256"},
        KeySource{"ecdsa_pkcs12", [] { return p12("ec.p12"); }, true, "EC P-256"},
        KeySource{"der", [] { return pem("signer.der", "signer.key.der"); }, false, "RSA 2048"}),
    [](const auto& info) { return std::string(info.param.name); });


TEST_F(CmsSign, WrongPassphraseIsS003) {
  for (const auto& c : {pem("signer.pem", "signer-enc.key"), pem("signer.pem", "signer-trad.key"), p12("signer.p12")}) {
    Diagnostics d;
    EXPECT_FALSE(Signer::load(c, answer("wrong horse"), d));
    ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
    EXPECT_EQ(d.items()[0].code, "MCC-S003");
    EXPECT_EQ(d.items()[0].message, "wrong passphrase: the file cannot be decrypted with it");
    EXPECT_EQ(d.items()[0].message.find("wrong horse"), std::string::npos);
  }
}

TEST_F(CmsSign, MissingPassphraseIsS004) {
  for (const auto& c : {pem("signer.pem", "signer-enc.key"), p12("ec.p12")}) {
    Diagnostics d;
    EXPECT_FALSE(Signer::load(c, answer(std::nullopt), d));
    ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
    EXPECT_EQ(d.items()[0].code, "MCC-S004");
  }
}

TEST_F(CmsSign, KeyNotMatchingTheCertificateIsS005) {
  EXPECT_FALSE(load(pem("signer.pem", "ec.key")));
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(format_diagnostic(diags_.items()[0]),
            "ec.key: error MCC-S005: the private key does not belong to the signer certificate in signer.pem");
}

TEST_F(CmsSign, MalformedFilesAreS002) {
  auto garbage = [](SignerCredentials c, bool key, std::string bytes) {
    if (c.pkcs12) c.pkcs12->bytes = SecretBytes(bytes);
    else if (key) c.private_key->bytes = SecretBytes(bytes);
    else c.certificate->bytes = bytes;
    return c;
  };
  struct Case {
    SignerCredentials c;
    std::string file, message;
  };
  std::vector<Case> cases;
  cases.push_back({garbage(pem("signer.pem", "signer.key"), false, "not a cert"), "signer.pem",
                   "not a certificate: neither PEM nor a DER certificate"});
  cases.push_back({garbage(pem("signer.pem", "signer.key"), false, ""), "signer.pem", "not a certificate: the file is empty"});
  cases.push_back({garbage(pem("signer.pem", "signer.key"), false, "-----BEGIN NOTHING-----\n"), "signer.pem",
                   "not a certificate: no PEM certificate found"});
  cases.push_back({garbage(pem("signer.pem", "signer.key"), true, ""), "signer.key", "not a private key: the file is empty"});
  cases.push_back({garbage(pem("signer.pem", "signer.key"), true, read_file(pki_dir() / "signer.pem")), "signer.key",
                   "not a private key: no PEM private key found"});
  cases.push_back({garbage(pem("signer.pem", "signer.key"), true, "\x30\x03\x02\x01\x00"), "signer.key",
                   "not a private key: neither PEM nor a DER private key (PKCS#8, PKCS#1 or SEC1)"});
  cases.push_back({garbage(p12("signer.p12"), false, "PK\x03\x04 zip"), "signer.p12", ""});
  for (const auto& c : cases) {
    Diagnostics d;
    EXPECT_FALSE(Signer::load(c.c, answer(std::nullopt), d));
    ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
    EXPECT_EQ(d.items()[0].code, "MCC-S002") << all_lines(d);
    EXPECT_EQ(d.items()[0].file, c.file);
    if (!c.message.empty()) EXPECT_EQ(d.items()[0].message, c.message);
  }
}

TEST_F(CmsSign, ExpiredSignerWarnsS006AndStillSigns) {
  auto signer = load(pem("expired.pem", "expired.key"));
  ASSERT_TRUE(signer) << all_lines(diags_);
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(diags_.items()[0].code, "MCC-S006");
  EXPECT_EQ(diags_.items()[0].severity, Severity::warning);
  EXPECT_NE(diags_.items()[0].message.find("the signer certificate CN=Expired Signer,O=mobileconfigc tests expired on "),
            std::string::npos)
      << diags_.items()[0].message;
  EXPECT_TRUE(signer->sign(kProfile, "p", diags_));
}

TEST_F(CmsSign, SignerWithoutDigitalSignatureWarnsS007) {
  auto signer = load(pem("encipher.pem", "encipher.key"));
  ASSERT_TRUE(signer) << all_lines(diags_);
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(diags_.items()[0].code, "MCC-S007");
  EXPECT_EQ(diags_.items()[0].severity, Severity::warning);
}

TEST_F(CmsSign, MissingIntermediateWarnsS015) {
  auto signer = load(pem("signer.pem", "signer.key", {}));
  ASSERT_TRUE(signer);
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(format_diagnostic(diags_.items()[0]),
            "signer.pem: warning MCC-S015: the signer's issuer CN=Test Intermediate CA,O=mobileconfigc tests is not in "
            "the chain; unless devices trust it as a root, add it to the chain");
  EXPECT_EQ(diags_.items()[0].argument, "sign-chain");
}

TEST_F(CmsSign, LegacyRc2Pkcs12) {
  // Older macOS and Windows exports: RC2-40 certificate encryption, 3DES key, SHA-1 MAC.
  // Loaded here (and unloaded at the end, for LeakSanitizer) so the file can be made.
  std::unique_ptr<OSSL_PROVIDER, decltype(&OSSL_PROVIDER_unload)> legacy(OSSL_PROVIDER_try_load(nullptr, "legacy", 1),
                                                                          &OSSL_PROVIDER_unload);
  if (!legacy) GTEST_SKIP() << "no OpenSSL legacy provider";
  const auto& who = pki::pki().ec_signer;
  crypto::CertStackPtr ca(sk_X509_new_null());
  crypto::Pkcs12Ptr made(PKCS12_create(pki::kPassphrase, "legacy", who.key.get(), who.cert.get(), ca.get(),
                                    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And40BitRC2_CBC, 0, 0, 0));
  ERR_clear_error();
  if (!made) GTEST_SKIP() << "cannot create an RC2 PKCS#12 here";
  unsigned char* der = nullptr;
  const int n = i2d_PKCS12(made.get(), &der);
  SignerCredentials c;
  c.pkcs12 = NamedSecret{"legacy.p12", SecretBytes(std::string(reinterpret_cast<char*>(der), n))};
  OPENSSL_free(der);
  auto signer = load(c);
  ASSERT_TRUE(signer) << all_lines(diags_);
  EXPECT_EQ(signer->certificates().front().key, "EC P-256");
}

SignerCredentials pkcs12_bytes(const std::string& name, const std::string& bytes) {
  SignerCredentials c;
  c.pkcs12 = NamedSecret{name, SecretBytes(bytes)};
  return c;
}

// `openssl pkcs12 -export -nomac`: nothing but a failed decryption says that a passphrase
// is needed; it is asked for, and RC2 (which the file does not use) is never blamed.
TEST_F(CmsSign, Pkcs12WithoutMacLoadsWithItsPassphrase) {
  const std::string bytes = pki::pkcs12_without_mac(pki::pki().rsa_signer, pki::kPassphrase);
  auto signer = load(pkcs12_bytes("nomac.p12", bytes));
  ASSERT_TRUE(signer) << all_lines(diags_);
  EXPECT_EQ(asked_, 1);
  EXPECT_EQ(signer->certificates().front().subject, "CN=Profile Signer RSA,O=mobileconfigc tests");

  for (const auto& [answer_with, code] : {std::pair<std::optional<std::string>, std::string>{std::nullopt, "MCC-S004"},
                                          {std::string("wrong horse"), "MCC-S003"}}) {
    Diagnostics d;
    EXPECT_FALSE(Signer::load(pkcs12_bytes("nomac.p12", bytes), answer(answer_with), d));
    ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
    EXPECT_EQ(d.items()[0].code, code) << all_lines(d);
    EXPECT_EQ(d.items()[0].message.find("RC2"), std::string::npos) << all_lines(d);
  }

  Diagnostics d;
  EXPECT_TRUE(Signer::load(pkcs12_bytes("nomac-empty.p12", pki::pkcs12_without_mac(pki::pki().ec_signer, "")),
                           answer(std::nullopt), d))
      << all_lines(d);
}

TEST_F(CmsSign, Pkcs12WithOnlyACertificateHoldsNoPrivateKey) {
  EXPECT_FALSE(load(pkcs12_bytes("cert-only.p12", pki::pkcs12_certificate_only(pki::pki().rsa_signer, pki::kPassphrase))));
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(format_diagnostic(diags_.items()[0]),
            "cert-only.p12: error MCC-S002: not a usable PKCS#12 file: it holds no private key");
}

// DSA, Ed25519 and Ed448 keys load and match their certificates, but profiles are signed
// with RSA or ECDSA: they are refused when loaded, not at the first signature.
TEST_F(CmsSign, KeysOtherThanRsaAndEcdsaAreRefusedWhenLoaded) {
  struct Case {
    const char* type;
    crypto::PkeyPtr key;
  };
  std::vector<Case> cases;
  cases.push_back({"DSA", pki::dsa_key()});
  cases.push_back({"Ed25519", pki::eddsa_key("ED25519")});
  cases.push_back({"Ed448", pki::eddsa_key("ED448")});
  for (auto& c : cases) {
    const pki::Issued who = pki::self_signed("Odd Signer", std::move(c.key));
    SignerCredentials pem_files;
    pem_files.certificate = NamedBytes{"odd.pem", pki::cert_pem(who.cert.get())};
    pem_files.private_key = NamedSecret{"odd.key", SecretBytes(pki::key_pem(who.key.get()))};
    for (const auto& creds : {std::move(pem_files), pkcs12_bytes("odd.p12", pki::pkcs12(who, {}, ""))}) {
      Diagnostics d;
      EXPECT_FALSE(Signer::load(creds, answer(std::nullopt), d)) << c.type;
      ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
      EXPECT_EQ(d.items()[0].code, "MCC-S002");
      EXPECT_EQ(d.items()[0].file, creds.pkcs12 ? "odd.p12" : "odd.key");
      EXPECT_EQ(d.items()[0].message, std::string("not a usable signing key: ") + c.type +
                                          " keys cannot sign profiles; use an RSA or ECDSA key (what Apple's tools "
                                          "sign with and devices verify)");
    }
  }
}

TEST_F(CmsSign, IncompleteCredentialsAreRejected) {
  SignerCredentials c;
  c.certificate = file("signer.pem");
  EXPECT_FALSE(load(c));
  ASSERT_EQ(diags_.items().size(), 1u);
  EXPECT_EQ(diags_.items()[0].code, "MCC-S002");
}

TEST_F(CmsSign, ConcurrentSigningFromOneSigner) {
  auto signer = load(pem("ec.pem", "ec.key"));
  ASSERT_TRUE(signer);
  std::vector<std::string> outputs(32);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < 32; i += 8) {
        Diagnostics d;
        auto der = signer->sign(kProfile + std::to_string(i), "p", d);
        if (der) outputs[i] = *der;
        else ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  for (int i = 0; i < 32; ++i) expect_verifies_with_openssl(outputs[i], kProfile + std::to_string(i));
}

// ---- verify_profile ----

class CmsVerify : public CmsSign {
 protected:
  std::string signed_profile(const SignerCredentials& c) {
    Diagnostics d;
    auto signer = Signer::load(c, answer(pki::kPassphrase), d);
    EXPECT_TRUE(signer) << all_lines(d);
    return *signer->sign(kProfile, "p", d);
  }
  VerifyOptions anchors(const std::string& name) { return VerifyOptions{{file(name)}}; }
};

TEST_F(CmsVerify, GoodSignatureAndChain) {
  const std::string der = signed_profile(pem("signer.pem", "signer.key"));
  auto r = verify_profile(der, "p", anchors("root.pem"), diags_);
  EXPECT_TRUE(diags_.empty()) << all_lines(diags_);
  EXPECT_TRUE(r.is_signed);
  EXPECT_TRUE(r.signature_valid);
  EXPECT_TRUE(r.chain_checked);
  EXPECT_TRUE(r.chain_valid);
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.content, kProfile);
  EXPECT_EQ(r.digest_algorithm, "SHA-256");
  EXPECT_EQ(r.signature_algorithm, "rsaEncryption");
  ASSERT_TRUE(r.signing_time);
  EXPECT_LT(std::abs(*r.signing_time - static_cast<std::int64_t>(std::time(nullptr))), 300);
  ASSERT_EQ(r.chain.size(), 3u);
  EXPECT_EQ(r.chain[0].subject, "CN=Profile Signer RSA,O=mobileconfigc tests");
  EXPECT_EQ(r.chain[1].subject, "CN=Test Intermediate CA,O=mobileconfigc tests");
  EXPECT_EQ(r.chain[2].subject, "CN=Test Root CA,O=mobileconfigc tests");
  EXPECT_EQ(r.embedded.size(), 2u);
}

// One certificate reader: the root a trusted-root profile carries and the root a verified
// chain ends at are read by the same code, so they agree on the bytes, the fingerprint, the
// subject and the validity.
TEST_F(CmsVerify, ProfilesAndSignaturesReadACertificateAlike) {
  const std::string der = signed_profile(pem("signer.pem", "signer.key"));
  auto r = verify_profile(der, "p", anchors("root.pem"), diags_);
  ASSERT_EQ(r.chain.size(), 3u) << all_lines(diags_);
  const CertificateSummary& root = r.chain.back();
  EXPECT_TRUE(root.self_signed);
  EXPECT_EQ(root.key, "RSA 2048");

  const std::string root_der = pki::cert_der(pki::pki().root.cert.get());
  CompileOptions options;
  options.now = root.not_after + 1;  // judged just after it expires
  Diagnostics d;
  auto p = compile_json(R"({"@odata.type": "#microsoft.graph.iosTrustedRootCertificate", "id": "r1",
    "displayName": "Root", "certFileName": "root.cer", "trustedRootCertificate": ")" +
                            encode_base64(std::vector<std::uint8_t>(root_der.begin(), root_der.end())) + "\"}",
                        d, options);
  ASSERT_TRUE(p) << all_lines(d);
  const Value* data = p->root.find("PayloadContent")->as_array()[0].find("PayloadContent");
  ASSERT_TRUE(data && data->is(Value::Kind::data));
  const auto& bytes = data->as_data().bytes;
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), root_der);

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  ASSERT_EQ(EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr), 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string sha256;
  for (unsigned int i = 0; i < n; ++i) {
    sha256 += kHex[md[i] >> 4];
    sha256 += kHex[md[i] & 15];
  }
  EXPECT_EQ(sha256, root.sha256);

  // The expiry warning names the subject and the date verify reports; the root is a CA, so
  // requireCa says nothing.
  ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
  EXPECT_EQ(d.items()[0].code, "MCC-M017");
  EXPECT_EQ(d.items()[0].message, "trustedRootCertificate: the certificate " + root.subject + " expired on " +
                                      format_utc(root.not_after).substr(0, 10) + "; devices will not trust it");
}

TEST_F(CmsVerify, WithoutAnchorsOnlyIntegrity) {
  const std::string der = signed_profile(pem("ec.pem", "ec.key"));
  auto r = verify_profile(der, "p", {}, diags_);
  EXPECT_TRUE(diags_.empty()) << all_lines(diags_);
  EXPECT_TRUE(r.valid());
  EXPECT_FALSE(r.chain_checked);
  EXPECT_EQ(r.signature_algorithm, "ecdsa-with-SHA256");
  ASSERT_EQ(r.chain.size(), 2u) << "signer and the embedded intermediate";
  EXPECT_EQ(r.chain[0].key, "EC P-256");
}

TEST_F(CmsVerify, WrongAnchorIsS012) {
  const std::string der = signed_profile(pem("signer.pem", "signer.key"));
  auto r = verify_profile(der, "p.mobileconfig", anchors("other-root.pem"), diags_);
  EXPECT_TRUE(r.signature_valid);
  EXPECT_FALSE(r.chain_valid);
  EXPECT_FALSE(r.valid());
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(diags_.items()[0].code, "MCC-S012");
  EXPECT_NE(diags_.items()[0].message.find("unable to get local issuer certificate"), std::string::npos)
      << diags_.items()[0].message;
}

TEST_F(CmsVerify, IntermediateAsAnchorIsTrusted) {
  const std::string der = signed_profile(pem("signer.pem", "signer.key"));
  auto r = verify_profile(der, "p", anchors("intermediate.pem"), diags_);
  EXPECT_TRUE(r.valid()) << all_lines(diags_);
}

TEST_F(CmsVerify, TamperingIsDetected) {
  const std::string der = signed_profile(pem("signer.pem", "signer.key"));
  const auto at = der.find("Configuration");
  ASSERT_NE(at, std::string::npos);
  std::string tampered = der;
  tampered[at] = 'c';
  auto r = verify_profile(tampered, "p.mobileconfig", anchors("root.pem"), diags_);
  EXPECT_FALSE(r.signature_valid);
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(has_code(diags_, "MCC-S011", Severity::error)) << all_lines(diags_);
  std::string content, error;
  EXPECT_FALSE(pki::openssl_verify(tampered, pki::pki().root.cert.get(), content, error));
}

// Anyone can make a second content with the MD5 digest of the first: an MD5 signature
// proves nothing and is refused. SHA-1 is weak but still what older tools signed with.
TEST_F(CmsVerify, Md5DigestIsRefusedSha1Warns) {
  const auto& who = pki::pki().rsa_signer;
  auto md5 = verify_profile(pki::cms_sign(kProfile, who, EVP_md5()), "md5.mobileconfig", {}, diags_);
  EXPECT_TRUE(md5.signature_valid) << "the bytes do match; the digest is what is refused";
  EXPECT_FALSE(md5.digest_accepted);
  EXPECT_FALSE(md5.valid());
  EXPECT_EQ(md5.digest_algorithm, "MD5");
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(format_diagnostic(diags_.items()[0]),
            "md5.mobileconfig: error MCC-S016: the signature uses the MD5 digest, which is not accepted: anyone can "
            "make other content with the same digest; sign the profile again with SHA-256");

  Diagnostics d;
  auto sha1 = verify_profile(pki::cms_sign(kProfile, who, EVP_sha1()), "sha1.mobileconfig", {}, d);
  EXPECT_TRUE(sha1.valid()) << all_lines(d);
  ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
  EXPECT_EQ(d.items()[0].code, "MCC-S016");
  EXPECT_EQ(d.items()[0].severity, Severity::warning);
}

// A signature over bytes that are not a property list is not a signed profile, however
// well the signature itself checks out.
TEST_F(CmsVerify, SignedContentThatIsNotAPlistIsNotValid) {
  Diagnostics d;
  auto signer = Signer::load(pem("signer.pem", "signer.key"), answer(std::nullopt), d);
  ASSERT_TRUE(signer) << all_lines(d);
  auto der = signer->sign("just some text\n", "p", d);
  ASSERT_TRUE(der) << all_lines(d);
  auto r = verify_profile(*der, "text.p7", anchors("root.pem"), diags_);
  EXPECT_TRUE(r.signature_valid);
  EXPECT_TRUE(r.chain_valid);
  EXPECT_FALSE(r.content_is_plist);
  EXPECT_FALSE(r.valid());
  // Why it is not a plist, then what that means for the signed profile.
  ASSERT_EQ(diags_.items().size(), 2u) << all_lines(diags_);
  EXPECT_EQ(format_diagnostic(diags_.items()[0]), "text.p7: error MCC-P001: not a property list: neither xml nor a binary plist");
  EXPECT_EQ(format_diagnostic(diags_.items()[1]),
            "text.p7: error MCC-S010: not a valid signed profile: the signed content is not a property list");
}

TEST_F(CmsVerify, UnsignedIsNotAnError) {
  auto r = verify_profile(kProfile, "p", {}, diags_);
  EXPECT_FALSE(r.is_signed);
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(diags_.empty());
}

TEST_F(CmsVerify, TruncatedSignatureIsS010) {
  const std::string der = signed_profile(pem("signer.pem", "signer.key"));
  auto r = verify_profile(der.substr(0, der.size() / 2), "p", {}, diags_);
  EXPECT_TRUE(r.is_signed);
  EXPECT_FALSE(r.valid());
  ASSERT_EQ(diags_.items().size(), 1u) << all_lines(diags_);
  EXPECT_EQ(diags_.items()[0].code, "MCC-S010");
}

TEST(SecretBytes, MoveLeavesNothingBehindAndCleanseEmpties) {
  SecretBytes a(std::string("short secret"));
  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(b.view(), "short secret");
  std::string s = "a passphrase long enough to live on the heap";
  cleanse(s);
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace mcc::test
