// SPDX-License-Identifier: Apache-2.0
// Lab identities for SCEP certificate profiles (issue 17, item 2): with --issue-identity a SCEP
// profile becomes the PKCS#12 identity the lab CA issues, shaped by the profile's own settings,
// and a VPN that references the SCEP profile links to it. Driven through the binary, with a CA
// made by the openssl command at test time and the results checked by the openssl command too.

#include <sys/stat.h>

#include <cstdlib>
#include <regex>
#include <set>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

// The SCEP profile the golden VPN references (its id), with settings that differ from the
// lab defaults everywhere: 1024-bit key, signing only, its own EKUs, 90 days. No challenge.
const std::string kScep = R"json({
  "@odata.type": "#microsoft.graph.iosScepCertificateProfile",
  "id": "8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58",
  "displayName": "Lab VPN identity (SCEP)",
  "renewalThresholdPercentage": 20,
  "subjectNameFormat": "custom",
  "subjectNameFormatString": "CN={{UserPrincipalName}},OU=VPN,O=Contoso Lab",
  "subjectAlternativeNameType": "emailAddress",
  "certificateValidityPeriodValue": 90,
  "certificateValidityPeriodScale": "days",
  "scepServerUrls": ["https://ndes.contoso.example/certsrv/mscep/mscep.dll"],
  "keyUsage": "digitalSignature",
  "keySize": "size1024",
  "extendedKeyUsages": [
    { "name": "Client Authentication", "objectIdentifier": "1.3.6.1.5.5.7.3.2" },
    { "name": "IP security IKE intermediate", "objectIdentifier": "1.3.6.1.5.5.7.3.17" }
  ],
  "subjectAlternativeNameFormatString": null,
  "certificateStore": "user",
  "customSubjectAlternativeNames": [
    { "sanType": "userPrincipalName", "name": "{{UserPrincipalName}}" },
    { "sanType": "domainNameService", "name": "device7.contoso.example" },
    { "sanType": "universalResourceIdentifier", "name": "{{OnPremisesSecurityIdentifier}}" }
  ],
  "rootCertificate@odata.bind": "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('5b1f9c02-7e3a-4d88-b6a1-0c2e9f4d7a13')"
})json";

const char* kVars = " --var UserPrincipalName=alice@contoso.example --var EmailAddress=alice@mail.contoso.example"
                    " --var OnPremisesSecurityIdentifier=S-1-5-21-1-2-3-1104";

class ScepLabCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
    dir_ = make_scratch_dir("scep-lab");
    const std::string d = dir_.string();
    ASSERT_TRUE(sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + d + "/ca.key -out " + d +
                   "/ca.pem -days 3650 -subj '/CN=Lab CA/O=Contoso Lab' -addext basicConstraints=critical,CA:TRUE "
                   "-addext keyUsage=critical,keyCertSign,cRLSign -set_serial 1"));
    fs::create_directories(dir_ / "in");
    write_file(dir_ / "in" / "scep.json", kScep);
    const fs::path golden = source_dir() / "tests/golden/pass/ios-vpn-scep-root-one-profile";
    fs::copy_file(golden / "input1-vpn.json", dir_ / "in" / "vpn.json");
    fs::copy_file(golden / "input3-root.json", dir_ / "in" / "root.json");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  bool sh(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>>" + (dir_ / "openssl.err").string()).c_str()) == 0; }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string inputs() const { return path("in/vpn.json") + " " + path("in/scep.json") + " " + path("in/root.json"); }
  std::string lab() const { return " --issue-identity --lab-ca " + path("ca.pem") + " --lab-ca-key " + path("ca.key"); }

  // Runs the binary with SOURCE_DATE_EPOCH set (run_binary cannot set the tool's environment);
  // its standard error goes to `err`.
  int run_at(std::int64_t epoch, const std::string& args, const std::string& err) {
    const std::string cmd = "SOURCE_DATE_EPOCH=" + std::to_string(epoch) + " " + MCC_BINARY + " " + args + " </dev/null >" +
                            path(err + ".out") + " 2>" + path(err);
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  static Value profile_of(const std::string& bytes) {
    Diagnostics d;
    auto v = parse_plist(bytes, "out", d);
    EXPECT_TRUE(v.has_value()) << all_lines(d);
    return v ? *v : Value();
  }
  static std::vector<const Value*> payloads(const Value& profile, std::string_view type) {
    std::vector<const Value*> out;
    const Value* content = profile.find("PayloadContent");
    if (content == nullptr || !content->is(Value::Kind::array)) return out;
    for (const auto& p : content->as_array())
      if (const Value* t = p.find("PayloadType"); t && t->as_string() == type) out.push_back(&p);
    return out;
  }
  static const Value* payload(const Value& profile, std::string_view type) {
    auto all = payloads(profile, type);
    return all.size() == 1 ? all.front() : nullptr;
  }
  // The pkcs12 payload's identity as a PEM certificate file, and its `openssl x509` text.
  std::string certificate_text(const Value& pkcs12, const std::string& name) {
    const auto& bytes = pkcs12.find("PayloadContent")->as_data().bytes;
    write_file(dir_ / (name + ".p12"), std::string(bytes.begin(), bytes.end()));
    const std::string password = pkcs12.find("Password")->as_string();
    EXPECT_TRUE(sh("openssl pkcs12 -in " + path(name + ".p12") + " -passin 'pass:" + password + "' -nokeys -clcerts -out " +
                   path(name + ".pem")))
        << read_file(dir_ / "openssl.err");
    EXPECT_TRUE(sh("openssl verify -no_check_time -CAfile " + path("ca.pem") + " " + path(name + ".pem")))
        << read_file(dir_ / "openssl.err");
    EXPECT_EQ(std::system(("openssl x509 -in " + path(name + ".pem") +
                           " -noout -text -subject -nameopt RFC2253 -startdate -enddate > " + path(name + ".txt") + " 2>&1").c_str()),
              0);
    return read_file(dir_ / (name + ".txt"));
  }

  fs::path dir_;
};

TEST_F(ScepLabCli, ScepProfileBecomesALabIdentityThatFollowsItsSettingsAndTheVpnLinksToIt) {
  const std::string args = "compile " + inputs() + kVars + lab() + " -o ";
  ASSERT_EQ(run_at(1700000000, args + path("a.mobileconfig"), "a.err"), 0) << read_file(dir_ / "a.err");
  ASSERT_EQ(run_at(1700000000, args + path("b.mobileconfig"), "b.err"), 0) << read_file(dir_ / "b.err");
  // Reproducible under SOURCE_DATE_EPOCH: the same key, certificate, password and profile.
  EXPECT_EQ(read_file(dir_ / "a.mobileconfig"), read_file(dir_ / "b.mobileconfig"));
  struct stat st {};
  ASSERT_EQ(::stat(path("a.mobileconfig").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "a profile with an identity is readable by others";

  // No challenge was asked for, nothing about SCEP enrolment; what the lab cannot honour is
  // reported: the trusted root the SCEP profile names, the key size below 2048 bits.
  const std::string err = read_file(dir_ / "a.err");
  EXPECT_EQ(err.find("MCC-M013"), std::string::npos) << err;
  EXPECT_EQ(err.find("scep-challenge"), std::string::npos) << err;
  EXPECT_EQ(err.find("MCC-M012"), std::string::npos) << err;
  EXPECT_NE(err.find("scep.json: /rootCertificate@odata.bind: warning MCC-M008: the lab identity is issued by the --lab-ca CA"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("MCC-S019"), std::string::npos) << err;

  // One profile: the VPN, the lab identity in place of the SCEP payload, the root.
  const Value profile = profile_of(read_file(dir_ / "a.mobileconfig"));
  EXPECT_TRUE(payloads(profile, "com.apple.security.scep").empty());
  const Value* p12 = payload(profile, "com.apple.security.pkcs12");
  const Value* vpn = payload(profile, "com.apple.vpn.managed");
  ASSERT_TRUE(p12 && vpn);
  EXPECT_NE(payload(profile, "com.apple.security.root"), nullptr);
  EXPECT_EQ(vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string(), p12->find("PayloadUUID")->as_string());
  EXPECT_EQ(p12->find("PayloadCertificateFileName")->as_string(), "lab-identity.p12");
  EXPECT_EQ(p12->find("PayloadDisplayName")->as_string(), "Lab VPN identity (SCEP)");
  const std::string password = p12->find("Password")->as_string();
  EXPECT_EQ(password.size(), 24u);
  EXPECT_EQ(err.find(password), std::string::npos) << "the password is printed";
  EXPECT_EQ(err.find("PRIVATE KEY"), std::string::npos);

  // openssl opens it with the payload's password; it verifies against the lab CA and carries
  // the SCEP profile's subject, SANs, key size, key usage, EKUs and validity.
  const std::string x509 = certificate_text(*p12, "leaf");
  EXPECT_NE(x509.find("subject=CN=alice@contoso.example,OU=VPN,O=Contoso Lab"), std::string::npos) << x509;
  EXPECT_NE(x509.find("othername: UPN::alice@contoso.example"), std::string::npos) << x509;
  EXPECT_NE(x509.find("DNS:device7.contoso.example"), std::string::npos) << x509;
  EXPECT_NE(x509.find("URI:tag:microsoft.com,2022-09-14:sid:S-1-5-21-1-2-3-1104"), std::string::npos) << x509;
  EXPECT_NE(x509.find("email:alice@mail.contoso.example"), std::string::npos) << x509;  // the legacy flag
  EXPECT_NE(x509.find("Public-Key: (1024 bit)"), std::string::npos) << x509;
  EXPECT_NE(x509.find("X509v3 Key Usage: critical\n                Digital Signature\n"), std::string::npos) << x509;
  EXPECT_NE(x509.find("TLS Web Client Authentication, ipsec Internet Key Exchange"), std::string::npos) << x509;
  EXPECT_NE(x509.find("notBefore=Nov 14 22:13:20 2023 GMT"), std::string::npos) << x509;
  EXPECT_NE(x509.find("notAfter=Feb 12 22:13:20 2024 GMT"), std::string::npos) << x509;  // 90 days

  // Without --issue-identity nothing changes: the SCEP payload, and the challenge it lacks.
  auto r = run_binary("compile " + inputs() + kVars + " -o " + path("scep.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("MCC-M013"), std::string::npos) << r.err;
  const Value scep_profile = profile_of(read_file(dir_ / "scep.mobileconfig"));
  EXPECT_TRUE(payloads(scep_profile, "com.apple.security.pkcs12").empty());
  const Value* scep = payload(scep_profile, "com.apple.security.scep");
  ASSERT_NE(scep, nullptr);
  EXPECT_EQ(payload(scep_profile, "com.apple.vpn.managed")->find("IKEv2")->find("PayloadCertificateUUID")->as_string(),
            scep->find("PayloadUUID")->as_string());
}

TEST_F(ScepLabCli, InABatchEveryProfileThatNeedsTheIdentityCarriesTheSameOne) {
  fs::create_directories(dir_ / "out");
  ASSERT_EQ(run_at(1700000000, "compile " + path("in") + " --out-dir " + path("out") + kVars + lab(), "batch.err"), 0)
      << read_file(dir_ / "batch.err");
  std::set<std::vector<std::uint8_t>> identities;
  int vpn_profiles = 0, identity_profiles = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    const Value profile = profile_of(read_file(e.path()));
    EXPECT_TRUE(payloads(profile, "com.apple.security.scep").empty()) << e.path();
    const Value* p12 = payload(profile, "com.apple.security.pkcs12");
    if (p12 == nullptr) continue;
    ++identity_profiles;
    identities.insert(p12->find("PayloadContent")->as_data().bytes);
    struct stat st {};
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
    if (const Value* vpn = payload(profile, "com.apple.vpn.managed")) {
      ++vpn_profiles;
      EXPECT_EQ(vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string(), p12->find("PayloadUUID")->as_string());
      const std::string x509 = certificate_text(*p12, "batch");
      EXPECT_NE(x509.find("subject=CN=alice@contoso.example,OU=VPN,O=Contoso Lab"), std::string::npos) << x509;
      EXPECT_NE(x509.find("TLS Web Client Authentication, ipsec Internet Key Exchange"), std::string::npos) << x509;
    }
  }
  EXPECT_EQ(vpn_profiles, 1);
  EXPECT_EQ(identity_profiles, 2);  // the VPN's profile and the SCEP profile's own
  EXPECT_EQ(identities.size(), 1u);
}

TEST_F(ScepLabCli, AListResponseAndAnExplicitLinkLinkTheVpnToTheLabIdentity) {
  // One list response holding the VPN, the SCEP profile and the root.
  const std::string list = "{\"value\": [" + read_file(dir_ / "in/vpn.json") + "," + kScep + "," + read_file(dir_ / "in/root.json") + "]}";
  write_file(dir_ / "list.json", list);
  auto r = run_binary("compile " + path("list.json") + kVars + lab() + " -o " + path("list.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  Value profile = profile_of(read_file(dir_ / "list.mobileconfig"));
  const Value* p12 = payload(profile, "com.apple.security.pkcs12");
  const Value* vpn = payload(profile, "com.apple.vpn.managed");
  ASSERT_TRUE(p12 && vpn);
  EXPECT_TRUE(payloads(profile, "com.apple.security.scep").empty());
  EXPECT_EQ(vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string(), p12->find("PayloadUUID")->as_string());

  // Two SCEP profiles and a VPN without a reference: --link picks the second one's identity.
  std::string second = std::regex_replace(kScep, std::regex("8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58"), "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d");
  second = std::regex_replace(second, std::regex("Lab VPN identity \\(SCEP\\)"), "Second identity");
  write_file(dir_ / "scep2.json", second);
  write_file(dir_ / "vpn-noref.json",
             std::regex_replace(read_file(dir_ / "in/vpn.json"), std::regex(R"(,\s*"identityCertificate@odata.bind": "[^"]*")"), ""));
  r = run_binary("compile " + path("vpn-noref.json") + " " + path("in/scep.json") + " " + path("scep2.json") + kVars + lab() +
                     " --link 'Contoso IKEv2 VPN (iOS)=Second identity' -o " + path("link.mobileconfig"),
                 dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  profile = profile_of(read_file(dir_ / "link.mobileconfig"));
  vpn = payload(profile, "com.apple.vpn.managed");
  ASSERT_NE(vpn, nullptr);
  const auto identities = payloads(profile, "com.apple.security.pkcs12");
  ASSERT_EQ(identities.size(), 2u);
  const Value* linked = nullptr;
  for (const Value* p : identities)
    if (p->find("PayloadUUID")->as_string() == vpn->find("IKEv2")->find("PayloadCertificateUUID")->as_string()) linked = p;
  ASSERT_NE(linked, nullptr) << "the VPN links to no identity";
  EXPECT_EQ(linked->find("PayloadDisplayName")->as_string(), "Second identity");
}

TEST_F(ScepLabCli, MacosScepProfileKeepsItsKeychainAccessAndAnEkuWithoutOidIsAnError) {
  std::string mac = std::regex_replace(kScep, std::regex("iosScepCertificateProfile"), "macOSScepCertificateProfile");
  mac = std::regex_replace(mac, std::regex(R"("certificateStore": "user",)"),
                           R"("certificateStore": "user", "allowAllAppsAccess": true, "hashAlgorithm": "sha2", "deploymentChannel": "userChannel",)");
  mac = std::regex_replace(mac, std::regex("size1024"), "size2048");
  write_file(dir_ / "mac.json", mac);
  auto r = run_binary("compile " + path("mac.json") + kVars + lab() + " -o " + path("mac.mobileconfig"), dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const Value profile = profile_of(read_file(dir_ / "mac.mobileconfig"));
  const Value* p12 = payload(profile, "com.apple.security.pkcs12");
  ASSERT_NE(p12, nullptr);
  ASSERT_NE(p12->find("AllowAllAppsAccess"), nullptr);
  EXPECT_TRUE(p12->find("AllowAllAppsAccess")->as_bool());
  EXPECT_NE(certificate_text(*p12, "mac").find("Public-Key: (2048 bit)"), std::string::npos);

  // An extended key usage the certificate cannot carry is an error naming the entry, not left out.
  write_file(dir_ / "bad.json", std::regex_replace(kScep, std::regex(R"("objectIdentifier": "1.3.6.1.5.5.7.3.17")"),
                                                   R"("objectIdentifier": "")"));
  r = run_binary("compile " + path("bad.json") + kVars + lab() + " -o " + path("bad.mobileconfig"), dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("bad.json: /extendedKeyUsages/1: error MCC-M030: entry needs a non-empty string 'objectIdentifier'"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "bad.mobileconfig"));
}

TEST_F(ScepLabCli, ExplainShowsTheLabVariantAndTheLoaderChecksIt) {
  auto r = run_binary("explain iosScepCertificateProfile", dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("iosScepCertificateProfile → com.apple.security.scep (ios)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("iosScepCertificateProfile under lab issuance → com.apple.security.pkcs12 (ios)"), std::string::npos)
      << r.out;
  for (const char* line : {"/keySize → (lab issuance) keySize", "/extendedKeyUsages → (lab issuance) extendedKeyUsages",
                           "/scepServerUrls: no profile key", "(always) → Password"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;

  // A --mappings table whose labVariant names no table is refused when the tables load.
  fs::create_directories(dir_ / "tables");
  for (const auto& e : fs::directory_iterator(source_dir() / "mappings")) fs::copy_file(e.path(), dir_ / "tables" / e.path().filename());
  const fs::path ios = dir_ / "tables" / "iosScepCertificateProfile.json";
  write_file(ios, std::regex_replace(read_file(ios), std::regex(R"("labVariant": "iosScepLabIdentity")"), R"("labVariant": "noSuchTable")"));
  r = run_binary("compile --mappings " + path("tables") + " " + path("in/scep.json") + kVars + lab() + " -o " + path("t.mobileconfig"), dir_);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("/labVariant: error MCC-T001"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("noSuchTable"), std::string::npos) << r.err;
  // ...and one that names another type's table (which would have two graph types to follow).
  write_file(ios, std::regex_replace(read_file(ios), std::regex(R"("labVariant": "noSuchTable")"),
                                     R"("labVariant": "iosPkcsCertificateProfile")"));
  r = run_binary("compile --mappings " + path("tables") + " " + path("in/scep.json") + kVars + lab() + " -o " + path("t.mobileconfig"), dir_);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("/labVariant: error MCC-T001: invalid mapping table: the lab variant 'iosPkcsCertificateProfile' must not have a graphType"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "t.mobileconfig"));
}

TEST_F(ScepLabCli, AChallengeWithLabIssuanceIsAUsageErrorThatShowsNoSecret) {
  // A lab identity replaces every SCEP payload, so a challenge would be dropped: refused instead.
  write_file(dir_ / "challenge.txt", "s3cret-challenge-file\n");
  for (const std::string& option : {std::string(" --scep-challenge s3cret-challenge-arg"),
                                    " --scep-challenge-file " + path("challenge.txt")}) {
    auto r = run_binary("compile " + inputs() + kVars + lab() + option + " -o " + path("both.mobileconfig"), dir_);
    EXPECT_EQ(r.code, 2) << option << "\n" << r.err;
    EXPECT_NE(r.err.find("excludes --issue-identity"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("s3cret"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "both.mobileconfig"));
  }
}

}  // namespace
}  // namespace mcc::test
