// SPDX-License-Identifier: Apache-2.0
// PKCS certificate profiles and lab identities (issue 17, items 1 and 2), driven through the
// binary, with fixtures made by the openssl command at test time (no key is committed) and
// the results checked by the openssl command too.

#include <sys/stat.h>

#include <cstdlib>
#include <regex>
#include <set>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

const char* kPass = "correct horse 7";

const std::string kPkcs = R"json({
  "@odata.type": "#microsoft.graph.iosPkcsCertificateProfile",
  "id": "5a1c0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
  "displayName": "Lab VPN identity (PKCS)",
  "renewalThresholdPercentage": 20,
  "subjectNameFormat": "custom",
  "subjectNameFormatString": "CN={{UserName}},O=Contoso Lab",
  "subjectAlternativeNameType": null,
  "certificateValidityPeriodValue": 2,
  "certificateValidityPeriodScale": "years",
  "certificationAuthority": "ca.contoso.example",
  "certificationAuthorityName": "Contoso Issuing CA",
  "certificateTemplateName": "VPNUser",
  "subjectAlternativeNameFormatString": null,
  "certificateStore": "user",
  "customSubjectAlternativeNames": [
    { "sanType": "emailAddress", "name": "{{UserName}}@contoso.example" },
    { "sanType": "userPrincipalName", "name": "{{UserName}}@contoso.onmicrosoft.example" },
    { "sanType": "domainNameService", "name": "device7.contoso.example" }
  ]
})json";

class IdentityCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
    dir_ = make_scratch_dir("identity");
    const std::string d = dir_.string();
    // A lab CA, an identity (key + certificate) it issued, as PKCS#12, and one without a key.
    ASSERT_TRUE(sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + d + "/ca.key -out " + d +
                   "/ca.pem -days 3650 -subj '/CN=Lab CA/O=Contoso Lab' -addext basicConstraints=critical,CA:TRUE "
                   "-addext keyUsage=critical,keyCertSign,cRLSign -set_serial 1"));
    ASSERT_TRUE(sh("openssl req -newkey rsa:2048 -nodes -keyout " + d + "/id.key -out " + d + "/id.csr -subj '/CN=alice'"));
    ASSERT_TRUE(sh("openssl x509 -req -in " + d + "/id.csr -CA " + d + "/ca.pem -CAkey " + d + "/ca.key -set_serial 2 -days 30 -out " +
                   d + "/id.pem"));
    ASSERT_TRUE(sh("openssl pkcs12 -export -inkey " + d + "/id.key -in " + d + "/id.pem -passout 'pass:" + kPass + "' -out " + d +
                   "/id.p12"));
    ASSERT_TRUE(sh("openssl pkcs12 -export -nokeys -in " + d + "/id.pem -passout 'pass:" + kPass + "' -out " + d + "/nokey.p12"));
    write_file(dir_ / "pkcs.json", kPkcs);
    std::string vpn = read_file(source_dir() / "tests/golden/pass/ios-vpn-scep-root-one-profile/input1-vpn.json");
    vpn = std::regex_replace(vpn, std::regex("8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58"), "5a1c0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d");
    write_file(dir_ / "vpn.json", vpn);
  }
  void TearDown() override { fs::remove_all(dir_); }

  bool sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>>" + (dir_ / "openssl.err").string()).c_str()) == 0; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static Value profile_of(const std::string& bytes) {
    Diagnostics d;
    auto v = parse_plist(bytes, "out", d);
    EXPECT_TRUE(v.has_value()) << all_lines(d);
    return v ? *v : Value();
  }
  static const Value* payload(const Value& profile, std::string_view type) {
    const Value* content = profile.find("PayloadContent");
    if (content == nullptr || !content->is(Value::Kind::array)) return nullptr;
    for (const auto& p : content->as_array())
      if (const Value* t = p.find("PayloadType"); t && t->as_string() == type) return &p;
    return nullptr;
  }
  // The pkcs12 payload's data written to a file, for openssl.
  std::string write_p12(const Value& pkcs12, const std::string& name) {
    const auto& bytes = pkcs12.find("PayloadContent")->as_data().bytes;
    write_file(dir_ / name, std::string(bytes.begin(), bytes.end()));
    return path(name);
  }

  fs::path dir_;
};

TEST_F(IdentityCli, PkcsProfileEmbedsTheGivenIdentityAndTheVpnLinksToIt) {
  auto r = run_binary("compile " + path("pkcs.json") + " " + path("vpn.json") + " --identity-p12 " + path("id.p12") +
                          " -o " + path("out.mobileconfig"),
                      dir_, "");
  // No terminal, no file, no environment variable: no passphrase, and the message says where one comes from.
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S004"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("MOBILECONFIGC_IDENTITY_PASSPHRASE"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--identity-passphrase-file"), std::string::npos) << r.err;

  write_file(dir_ / "pass.txt", std::string(kPass) + "\n");
  r = run_binary("compile " + path("pkcs.json") + " " + path("vpn.json") + " --identity-p12 " + path("id.p12") +
                     " --identity-passphrase-file " + path("pass.txt") + " -o " + path("out.mobileconfig"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find(kPass), std::string::npos) << "the passphrase is printed: " << r.err;
  struct stat st {};
  ASSERT_EQ(::stat(path("out.mobileconfig").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "a profile with an identity is readable by others";

  const Value profile = profile_of(read_file(dir_ / "out.mobileconfig"));
  const Value* p12 = payload(profile, "com.apple.security.pkcs12");
  const Value* vpn = payload(profile, "com.apple.vpn.managed");
  ASSERT_TRUE(p12 && vpn);
  EXPECT_EQ(p12->find("Password")->as_string(), kPass);
  EXPECT_EQ(p12->find("PayloadCertificateFileName")->as_string(), "id.p12");
  const auto& data = p12->find("PayloadContent")->as_data().bytes;
  EXPECT_EQ(std::string(data.begin(), data.end()), read_file(dir_ / "id.p12"));
  EXPECT_EQ(vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string(), p12->find("PayloadUUID")->as_string());
  // openssl opens the embedded identity with the payload's password.
  EXPECT_TRUE(sh("openssl pkcs12 -in " + write_p12(*p12, "embedded.p12") + " -passin 'pass:" + kPass + "' -noout"))
      << read_file(dir_ / "openssl.err");

  // inspect never shows the password.
  r = run_binary("inspect " + path("out.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find(kPass), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("com.apple.security.pkcs12"), std::string::npos) << r.out;
}

TEST_F(IdentityCli, InABatchTheVpnProfileEmbedsTheIdentityAndLinksToIt) {
  write_file(dir_ / "pass.txt", kPass);
  fs::create_directories(dir_ / "in");
  fs::copy_file(dir_ / "pkcs.json", dir_ / "in" / "pkcs.json");
  fs::copy_file(dir_ / "vpn.json", dir_ / "in" / "vpn.json");
  fs::create_directories(dir_ / "out");
  auto r = run_binary("compile " + path("in") + " --out-dir " + path("out") + " --identity-p12 " + path("id.p12") +
                          " --identity-passphrase-file " + path("pass.txt"),
                      dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find(kPass), std::string::npos) << r.err;
  int vpn_profiles = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    const Value profile = profile_of(read_file(e.path()));
    const Value* p12 = payload(profile, "com.apple.security.pkcs12");
    ASSERT_NE(p12, nullptr) << e.path() << " has no identity";
    EXPECT_EQ(p12->find("Password")->as_string(), kPass);
    struct stat st {};
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
    if (const Value* vpn = payload(profile, "com.apple.vpn.managed")) {
      ++vpn_profiles;
      EXPECT_EQ(vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string(), p12->find("PayloadUUID")->as_string());
    }
  }
  EXPECT_EQ(vpn_profiles, 1);

  // Lab issuance in a batch: the PKCS profile's own profile and the VPN's carry one identity.
  fs::create_directories(dir_ / "lab");
  r = run_binary("compile " + path("in") + " --out-dir " + path("lab") + " --var UserName=alice --issue-identity --lab-ca " +
                     path("ca.pem") + " --lab-ca-key " + path("ca.key"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  std::set<std::vector<std::uint8_t>> identities;
  for (const auto& e : fs::directory_iterator(dir_ / "lab")) {
    const Value profile = profile_of(read_file(e.path()));
    if (const Value* p12 = payload(profile, "com.apple.security.pkcs12")) identities.insert(p12->find("PayloadContent")->as_data().bytes);
  }
  EXPECT_EQ(identities.size(), 1u);
}

TEST_F(IdentityCli, WithoutAnIdentityTheCompileFailsNamingBothOptions) {
  auto r = run_binary("compile " + path("pkcs.json") + " -o " + path("out.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("error MCC-M034"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--identity-p12"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--issue-identity"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));
}

TEST_F(IdentityCli, WrongPassphraseAndAFileWithoutAKeyAreRefusedWithoutShowingTheSecret) {
  write_file(dir_ / "wrong.txt", "not the passphrase 42\n");
  auto r = run_binary("compile " + path("pkcs.json") + " --identity-p12 " + path("id.p12") + " --identity-passphrase-file " +
                          path("wrong.txt") + " -o " + path("out.mobileconfig"),
                      dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S003"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not the passphrase 42"), std::string::npos) << r.err;

  write_file(dir_ / "pass.txt", kPass);
  r = run_binary("compile " + path("pkcs.json") + " --identity-p12 " + path("nokey.p12") + " --identity-passphrase-file " +
                     path("pass.txt") + " -o " + path("out.mobileconfig"),
                 dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("holds no private key"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kPass), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));
}

TEST_F(IdentityCli, IdentityPassphraseNeverComesFromArgv) {
  // There is no option that takes the passphrase itself.
  auto r = run_binary("compile " + path("pkcs.json") + " --identity-p12 " + path("id.p12") + " --identity-passphrase secret -o " +
                          path("out.mobileconfig"),
                      dir_);
  EXPECT_EQ(r.code, 2) << r.err;
}

TEST_F(IdentityCli, LabIdentityFollowsTheProfileAndVerifiesAgainstTheCa) {
  const std::string args = "compile " + path("pkcs.json") + " " + path("vpn.json") + " --var UserName=alice --issue-identity --lab-ca " +
                           path("ca.pem") + " --lab-ca-key " + path("ca.key") + " -o ";
  // Run directly: run_binary cannot set an environment variable for the tool alone.
  const std::string env = "SOURCE_DATE_EPOCH=1700000000 ";
  ASSERT_EQ(std::system((env + MCC_BINARY + " " + args + path("a.mobileconfig") + " 2>" + path("a.err")).c_str()), 0)
      << read_file(dir_ / "a.err");
  ASSERT_EQ(std::system((env + MCC_BINARY + " " + args + path("b.mobileconfig") + " 2>" + path("b.err")).c_str()), 0)
      << read_file(dir_ / "b.err");
  // Reproducible under SOURCE_DATE_EPOCH: the same key, certificate, password and PKCS#12.
  EXPECT_EQ(read_file(dir_ / "a.mobileconfig"), read_file(dir_ / "b.mobileconfig"));
  // ...and never the key or the password in what it prints.
  const Value profile = profile_of(read_file(dir_ / "a.mobileconfig"));
  const Value* p12 = payload(profile, "com.apple.security.pkcs12");
  const Value* vpn = payload(profile, "com.apple.vpn.managed");
  ASSERT_TRUE(p12 && vpn);
  const std::string password = p12->find("Password")->as_string();
  EXPECT_EQ(password.size(), 24u);
  EXPECT_EQ(read_file(dir_ / "a.err").find(password), std::string::npos);
  EXPECT_EQ(read_file(dir_ / "a.err").find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string(), p12->find("PayloadUUID")->as_string());

  // The PKCS#12 opens with the password, in the format Apple devices import.
  const std::string p12_file = write_p12(*p12, "lab.p12");
  ASSERT_TRUE(sh("openssl pkcs12 -in " + p12_file + " -passin 'pass:" + password + "' -nokeys -clcerts -out " + path("leaf.pem")))
      << read_file(dir_ / "openssl.err");
  ASSERT_EQ(std::system(("openssl pkcs12 -in " + p12_file + " -passin 'pass:" + password + "' -info -noout 2>" + path("info.txt")).c_str()), 0);
  const std::string info = read_file(dir_ / "info.txt");
  EXPECT_NE(info.find("MAC: sha1, Iteration 2048"), std::string::npos) << info;
  EXPECT_NE(info.find("pbeWithSHA1And3-KeyTripleDES-CBC"), std::string::npos) << info;

  // It verifies against the lab CA, and carries the profile's subject, SANs, key usage, EKUs and validity.
  EXPECT_TRUE(sh("openssl verify -no_check_time -CAfile " + path("ca.pem") + " " + path("leaf.pem"))) << read_file(dir_ / "openssl.err");
  ASSERT_EQ(std::system(("openssl x509 -in " + path("leaf.pem") +
                         " -noout -subject -nameopt RFC2253 -startdate -enddate -ext subjectAltName,keyUsage,extendedKeyUsage,basicConstraints > " +
                         path("x509.txt") + " 2>&1").c_str()),
            0);
  const std::string x509 = read_file(dir_ / "x509.txt");
  EXPECT_NE(x509.find("subject=CN=alice,O=Contoso Lab"), std::string::npos) << x509;
  EXPECT_NE(x509.find("email:alice@contoso.example"), std::string::npos) << x509;
  EXPECT_NE(x509.find("othername: UPN::alice@contoso.onmicrosoft.example"), std::string::npos) << x509;
  EXPECT_NE(x509.find("DNS:device7.contoso.example"), std::string::npos) << x509;
  EXPECT_NE(x509.find("Digital Signature, Key Encipherment"), std::string::npos) << x509;
  EXPECT_NE(x509.find("TLS Web Client Authentication"), std::string::npos) << x509;
  EXPECT_NE(x509.find("CA:FALSE"), std::string::npos) << x509;
  EXPECT_NE(x509.find("notBefore=Nov 14 22:13:20 2023 GMT"), std::string::npos) << x509;
  EXPECT_NE(x509.find("notAfter=Nov 14 22:13:20 2025 GMT"), std::string::npos) << x509;  // two years

  // Another SOURCE_DATE_EPOCH, another key.
  ASSERT_EQ(std::system(("SOURCE_DATE_EPOCH=1700000001 " + std::string(MCC_BINARY) + " " + args + path("c.mobileconfig") + " 2>" + path("c.err")).c_str()), 0);
  EXPECT_NE(read_file(dir_ / "a.mobileconfig"), read_file(dir_ / "c.mobileconfig"));
}

TEST_F(IdentityCli, LabIssuanceRefusesAnOpenVariableANonCaAndAMismatchedKey) {
  const std::string base = "compile " + path("pkcs.json") + " --issue-identity ";
  auto r = run_binary(base + "--lab-ca " + path("ca.pem") + " --lab-ca-key " + path("ca.key") + " -o " + path("out.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S018"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--var UserName="), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));

  r = run_binary(base + "--var UserName=alice --lab-ca " + path("id.pem") + " --lab-ca-key " + path("id.key") + " -o " +
                     path("out.mobileconfig"),
                 dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S017"), std::string::npos) << r.err;

  r = run_binary(base + "--var UserName=alice --lab-ca " + path("ca.pem") + " --lab-ca-key " + path("id.key") + " -o " +
                     path("out.mobileconfig"),
                 dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-S005"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("PRIVATE KEY"), std::string::npos) << r.err;

  // --issue-identity without its CA is a usage error.
  r = run_binary(base + "-o " + path("out.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 2) << r.err;
}

}  // namespace
}  // namespace mcc::test
