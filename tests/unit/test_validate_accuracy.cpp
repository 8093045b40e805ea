// SPDX-License-Identifier: Apache-2.0
// `validate` on real profiles (issue 16 item 11): what devices accept is a warning of its own
// code, an unknown payload type a note, a key at the wrong level a warning naming where Apple
// has it, the platform comes from the profile when --platform is absent, every finding is one
// documented line on stderr, and the payload types certificate and Wi-Fi profiles carry
// beside a VPN are checked. The shared corpus (when present) shows no false errors.

#include <openssl/evp.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/test_support.hpp"
#include "test_cms_pki.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

// A payload dictionary: the common keys, then `body`.
std::string payload(const std::string& type, int n, const std::string& body) {
  return "<dict><key>PayloadIdentifier</key><string>com.example.test." + std::to_string(n) +
         "</string><key>PayloadType</key><string>" + type +
         "</string><key>PayloadUUID</key><string>9A3E4F2C-1B7D-4C8E-A5F6-0D2B3C4E5F6" + std::to_string(n) +
         "</string><key>PayloadVersion</key><integer>1</integer>" + body + "</dict>";
}

// A profile holding `payloads`; `top` is added to its top level, `name` is its display name.
std::string profile(const std::string& payloads, const std::string& top = "", const std::string& name = "Test profile") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\"><dict><key>PayloadContent</key><array>" +
         payloads + "</array><key>PayloadDisplayName</key><string>" + name +
         "</string><key>PayloadIdentifier</key><string>com.example.test</string>"
         "<key>PayloadType</key><string>Configuration</string>"
         "<key>PayloadUUID</key><string>9A3E4F2C-1B7D-4C8E-A5F6-0D2B3C4E5F60</string>"
         "<key>PayloadVersion</key><integer>1</integer>" +
         top + "</dict></plist>\n";
}

// An IKEv2 VPN payload Apple's schema is satisfied with; `ikev2` goes into its IKEv2 dictionary.
std::string vpn(const std::string& ikev2 = "", const std::string& identifiers =
                                                    "<key>RemoteIdentifier</key><string>vpn.example.com</string>"
                                                    "<key>LocalIdentifier</key><string>client.example.com</string>") {
  return payload("com.apple.vpn.managed", 1,
                 "<key>UserDefinedName</key><string>VPN</string><key>VPNType</key><string>IKEv2</string>"
                 "<key>IKEv2</key><dict><key>RemoteAddress</key><string>vpn.example.com</string>" +
                     identifiers +
                     "<key>AuthenticationMethod</key><string>SharedSecret</string>"
                     "<key>SharedSecret</key><string>not-a-real-secret</string>" +
                     ikev2 + "</dict>");
}

class ValidateAccuracy : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("validate-accuracy"); }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult validate(const std::string& text, const std::string& options = "") {
    write_file(dir_ / "p.mobileconfig", text);
    return run_binary("validate " + (dir_ / "p.mobileconfig").string() + options, dir_);
  }
  std::string line(const std::string& rest) const { return (dir_ / "p.mobileconfig").string() + ": " + rest + "\n"; }

  fs::path dir_;
};

TEST_F(ValidateAccuracy, TheBaselineProfilesAreClean) {
  auto r = validate(profile(vpn()));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, line("satisfies apple's schema for ios (nothing in the profile names a platform)"));
}

// Bullet 1: a boolean where Apple says integer, an integral real where it says integer, and
// 0 or 1 where it says boolean are what devices read as Apple's type: a warning, MCC-V009.
TEST_F(ValidateAccuracy, WhatDevicesAcceptIsAWarningOfItsOwnCode) {
  auto r = validate(profile(vpn("<key>EnablePFS</key><true/>")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/EnablePFS: warning MCC-V009: IKEv2.EnablePFS is a boolean where "
                        "Apple's schema says an integer; devices accept it"));
  EXPECT_EQ(r.out, line("satisfies apple's schema for ios (nothing in the profile names a platform): 0 errors, 1 warning, 0 notes"));

  std::string real_version = profile(vpn());
  real_version.replace(real_version.find("<integer>1</integer>"), 20, "<real>1</real>");
  r = validate(real_version);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/0/PayloadVersion: warning MCC-V009: PayloadVersion is a real where Apple's "
                        "schema says an integer; devices accept it"));

  r = validate(profile(payload("com.apple.wifi.managed", 1, "<key>SSID_STR</key><string>Office</string><key>AutoJoin</key><integer>1</integer>")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/0/AutoJoin: warning MCC-V009: AutoJoin is an integer where Apple's schema says a "
                        "boolean; devices accept it"));
}

// What devices would not read as Apple's type, or read as a value Apple does not allow, stays an error.
TEST_F(ValidateAccuracy, WhatDevicesDoNotAcceptStaysAnError) {
  auto r = validate(profile(vpn("<key>EnablePFS</key><string>1</string>")));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/EnablePFS: error MCC-V002: IKEv2.EnablePFS must be an integer, not a string"));

  r = validate(profile(vpn("<key>MTU</key><true/>")));  // read as 1: below Apple's range
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/PayloadContent/0/IKEv2/MTU: error MCC-V003: IKEv2.MTU has a value that is not allowed"), std::string::npos) << r.err;

  std::string fraction = profile(vpn());
  fraction.replace(fraction.find("<integer>1</integer>"), 20, "<real>1.5</real>");
  r = validate(fraction);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/PayloadVersion: error MCC-V002: PayloadVersion must be an integer, not a real"));

  r = validate(profile(payload("com.apple.wifi.managed", 1, "<key>SSID_STR</key><string>Office</string><key>AutoJoin</key><integer>2</integer>")));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/AutoJoin: error MCC-V002: AutoJoin must be a boolean, not an integer"));
}

// A required key devices do without (the schema overlay says why) is a V009 warning; one
// they need stays MCC-V001.
TEST_F(ValidateAccuracy, ARequiredKeyDevicesDoWithoutIsAWarning) {
  auto r = validate(profile(vpn("", "<key>RemoteIdentifier</key><string>vpn.example.com</string>")));
  EXPECT_EQ(r.code, 0) << r.err;
  const std::string warning = line("/PayloadContent/0/IKEv2/LocalIdentifier: warning MCC-V009: IKEv2.LocalIdentifier is "
                                   "missing; Apple's schema requires it, but devices accept the profile without it: ");
  EXPECT_EQ(r.err.rfind(warning.substr(0, warning.size() - 1), 0), 0u) << r.err;  // the reason follows
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  // A DNS dictionary of match domains only: the servers are the ones the VPN assigns.
  std::string with_dns = vpn();
  with_dns.insert(with_dns.size() - std::string("</dict>").size(),
                  "<key>DNS</key><dict><key>SupplementalMatchDomainsNoSearch</key><integer>0</integer></dict>");
  r = validate(profile(with_dns));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(": /PayloadContent/0/DNS/DNSProtocol: warning MCC-V009: DNS.DNSProtocol is missing;"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": /PayloadContent/0/DNS/ServerAddresses: warning MCC-V009: DNS.ServerAddresses is missing;"), std::string::npos) << r.err;

  r = validate(profile(vpn("", "<key>LocalIdentifier</key><string>client.example.com</string>")));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/RemoteIdentifier: error MCC-V001: IKEv2.RemoteIdentifier is required"));
}

// Bullet 2: a payload type the schema does not carry is a note naming it, and the profile passes.
TEST_F(ValidateAccuracy, AnUnknownPayloadTypeIsANoteThatNamesIt) {
  auto r = validate(profile(vpn() + payload("com.apple.mdm", 2, "<key>Topic</key><string>com.apple.mgmt.x</string>")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/1/PayloadType: note MCC-V005: payload type 'com.apple.mdm' is not in Apple's schema "
                        "as mobileconfigc carries it; its keys were not checked"));
  EXPECT_EQ(r.out, line("satisfies apple's schema for ios (nothing in the profile names a platform): 0 errors, 0 warnings, 1 note"));
}

// Bullet 3: a key Apple has elsewhere in the payload is a warning that says where.
TEST_F(ValidateAccuracy, AKeyAtTheWrongLevelSaysWhereAppleExpectsIt) {
  auto r = validate(profile(vpn("<key>ChildSecurityAssociationParameters</key><dict><key>EnableFallback</key><integer>1</integer>"
                                "<key>DiffieHellmanGroup</key><integer>14</integer></dict>")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/ChildSecurityAssociationParameters/EnableFallback: warning MCC-V010: "
                        "IKEv2.ChildSecurityAssociationParameters.EnableFallback is not a key at this level; Apple's schema "
                        "has it at IKEv2.EnableFallback"));

  // Of several places, the one nearest to where the key was found.
  r = validate(profile(vpn("<key>IKESecurityAssociationParameters</key><dict><key>RemoteAddress</key><string>x</string></dict>")));
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/IKESecurityAssociationParameters/RemoteAddress: warning MCC-V010: "
                        "IKEv2.IKESecurityAssociationParameters.RemoteAddress is not a key at this level; Apple's schema "
                        "has it at IKEv2.RemoteAddress"));

  // A key the payload has nowhere stays MCC-V004.
  r = validate(profile(vpn("<key>NoSuchKeyAnywhere</key><integer>1</integer>")));
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/NoSuchKeyAnywhere: error MCC-V004: IKEv2.NoSuchKeyAnywhere is not a key of "
                        "this payload in Apple's schema"));
}

// Bullet 4: without --platform the profile says which: its name, else its keys and payload
// types, else iOS; --platform still decides when given. A key of the other platform warns.
TEST_F(ValidateAccuracy, ThePlatformIsDetectedFromTheProfile) {
  auto r = validate(profile(vpn("<key>EnableFallback</key><integer>0</integer>"), "", "Contoso macOS VPN"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, line("satisfies apple's schema for macos (detected from its name): 0 errors, 1 warning, 0 notes"));
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/EnableFallback: warning MCC-V006: IKEv2.EnableFallback is not available on "
                        "macos; devices there ignore it"));

  r = validate(profile(vpn(), "", "Contoso VPN for iPhone and iPad"));
  EXPECT_EQ(r.out, line("satisfies apple's schema for ios (detected from its name)"));

  // App-to-per-app-VPN mappings exist on macOS only.
  const std::string mapping = payload("com.apple.vpn.managed.appmapping", 2,
                                      "<key>AppLayerVPNMapping</key><array><dict><key>Identifier</key><string>com.example.app</string>"
                                      "<key>SigningIdentifier</key><string>com.example.app</string>"
                                      "<key>DesignatedRequirement</key><string>identifier \"com.example.app\"</string>"
                                      "<key>VPNUUID</key><string>0D2B3C4E-5F60-4A3E-8F2C-1B7D4C8EA5F6</string></dict></array>");
  r = validate(profile(mapping));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, line("satisfies apple's schema for macos (detected from its keys and payload types)"));

  r = validate(profile(mapping), " --platform ios");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/PayloadType: error MCC-V007: payload type com.apple.vpn.managed.appmapping is not "
                        "available on ios"));
  EXPECT_EQ(r.out, line("does not satisfy apple's schema for ios: 1 error, 0 warnings, 0 notes"));
}

// Bullet 5: every finding is one line, `file: /pointer: severity CODE: message` (no pointer
// for the whole file), on stderr; stdout has the one summary line.
TEST_F(ValidateAccuracy, EveryFindingFollowsTheDocumentedLineFormat) {
  std::string text = profile(vpn("<key>EnablePFS</key><true/><key>IKESecurityAssociationParameters</key><dict>"
                                 "<key>EnableFallback</key><integer>0</integer></dict><key>Unheard</key><string>x</string>",
                                 "<key>RemoteIdentifier</key><string>vpn.example.com</string>") +
                             payload("com.example.other", 2, ""));
  text.replace(text.find("<integer>1</integer>"), 20, "<real>1</real>");
  auto r = validate(text);
  EXPECT_EQ(r.code, 1);
  const std::regex format(R"(^[^:]+: (/[^ ]* )?(error|warning|note) MCC-[A-Z][0-9]{3}: [^\n]+$)");
  std::istringstream lines(r.err);
  std::set<std::string> codes;
  for (std::string l; std::getline(lines, l);) {
    EXPECT_TRUE(std::regex_match(l, format)) << l;
    EXPECT_EQ(l.rfind((dir_ / "p.mobileconfig").string() + ": ", 0), 0u) << l;
    codes.insert(l.substr(l.find("MCC-"), 8));
  }
  EXPECT_EQ(codes, (std::set<std::string>{"MCC-V004", "MCC-V005", "MCC-V009", "MCC-V010"})) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

// Bullet 6: the payload types a VPN or certificate profile carries beside ours are in the
// schema: a valid one passes, a wrong value is found (not waved through as unknown).
TEST_F(ValidateAccuracy, CertificateAndWifiPayloadTypesAreChecked) {
  const std::string der = "<data>MIIBAA==</data>";
  const std::string acme = payload("com.apple.security.acme", 4,
                                   "<key>DirectoryURL</key><string>https://acme.example.com/directory</string>"
                                   "<key>ClientIdentifier</key><string>abc</string><key>KeySize</key><integer>384</integer>"
                                   "<key>KeyType</key><string>ECSECPrimeRandom</string><key>HardwareBound</key><true/>"
                                   "<key>Subject</key><array><array><array><string>CN</string><string>device</string></array></array></array>");
  auto r = validate(profile(payload("com.apple.wifi.managed", 1, "<key>SSID_STR</key><string>Office</string><key>AutoJoin</key><true/>"
                                                               "<key>EncryptionType</key><string>WPA2</string>") +
                            payload("com.apple.security.pkcs12", 2, "<key>PayloadContent</key>" + der) +
                            payload("com.apple.security.pkcs1", 3, "<key>PayloadContent</key>" + der) + acme));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");

  r = validate(profile(payload("com.apple.wifi.managed", 1, "<key>SSID_STR</key><integer>7</integer>")));
  EXPECT_EQ(r.err, line("/PayloadContent/0/SSID_STR: error MCC-V002: SSID_STR must be a string, not an integer"));
  r = validate(profile(payload("com.apple.security.acme", 1, "<key>DirectoryURL</key><string>https://a.example</string>")));
  EXPECT_NE(r.err.find(line("/PayloadContent/0/KeyType: error MCC-V001: KeyType is required")), std::string::npos) << r.err;
  r = validate(profile(payload("com.apple.security.pkcs1", 1, "<key>PayloadContent</key><string>MIIBAA==</string>")));
  EXPECT_EQ(r.err, line("/PayloadContent/0/PayloadContent: error MCC-V002: PayloadContent must be a data, not a string"));
  r = validate(profile(payload("com.apple.security.pkcs12", 1, "")));
  EXPECT_EQ(r.err, line("/PayloadContent/0/PayloadContent: error MCC-V001: PayloadContent is required"));
  r = validate(profile(payload("com.apple.vpn.managed.appmapping", 1, "<key>AppLayerVPNMapping</key><array><dict>"
                                                                      "<key>Identifier</key><string>a</string></dict></array>")),
               " --platform macos");
  EXPECT_NE(r.err.find(line("/PayloadContent/0/AppLayerVPNMapping/0/VPNUUID: error MCC-V001: AppLayerVPNMapping[0].VPNUUID is required")),
            std::string::npos)
      << r.err;
}

// A signed profile: its content is validated, with a note that the signature was not verified.
TEST_F(ValidateAccuracy, ASignedProfileHasItsContentValidated) {
  write_file(dir_ / "s.mobileconfig", pki::cms_sign(profile(vpn("<key>EnablePFS</key><true/>")), pki::pki().rsa_signer, EVP_sha256()));
  auto r = run_binary("validate " + (dir_ / "s.mobileconfig").string(), dir_);
  const std::string file = (dir_ / "s.mobileconfig").string();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, file + ": note MCC-P004: the profile is signed; its content is validated, its signature was not verified (use verify)\n" +
                       file + ": /PayloadContent/0/IKEv2/EnablePFS: warning MCC-V009: IKEv2.EnablePFS is a boolean where Apple's schema "
                              "says an integer; devices accept it\n");

  write_file(dir_ / "t.mobileconfig", pki::cms_sign(profile(vpn("<key>MTU</key><string>big</string>")), pki::pki().rsa_signer, EVP_sha256()));
  r = run_binary("validate " + (dir_ / "t.mobileconfig").string(), dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error MCC-V002: IKEv2.MTU must be an integer, not a string"), std::string::npos) << r.err;
}

// The real-world profiles of ../shared/corpus (when present): no errors but the true ones the
// README's validate section lists, and each of those still found.
TEST(ValidateCorpus, NoFalseErrors) {
  const fs::path corpus = source_dir().parent_path() / "shared" / "corpus" / "mobileconfig";
  if (!fs::exists(corpus)) GTEST_SKIP() << "no ../shared/corpus";
  const std::map<std::string, std::set<std::string>> true_errors = {
      // Deliberately incomplete (SOURCES.md): no server address, no remote identifier.
      {"ncsc-macos-ikev2-cert-ecdsa-no-remoteaddress.mobileconfig",
       {"/PayloadContent/0/IKEv2/RemoteAddress: error MCC-V001", "/PayloadContent/0/IKEv2/RemoteIdentifier: error MCC-V001"}},
      // The string "True" where Apple's schema says boolean.
      {"ws1-ios14-perapp-applayer-vpn-subtype-associated-domains-wrapped.mobileconfig",
       {"/PayloadContent/0/VPN/OnDemandMatchAppEnabled: error MCC-V002"}},
  };
  const fs::path dir = make_scratch_dir("validate-corpus");
  std::size_t profiles = 0;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() != ".mobileconfig") continue;
    ++profiles;
    const std::string name = e.path().filename().string();
    auto r = run_binary("validate " + e.path().string(), dir);
    std::set<std::string> errors;
    std::istringstream lines(r.err);
    for (std::string l; std::getline(lines, l);) {
      ASSERT_EQ(l.rfind(e.path().string() + ": ", 0), 0u) << l;
      l.erase(0, e.path().string().size() + 2);
      if (auto at = l.find("error MCC-"); at != std::string::npos) errors.insert(l.substr(0, at + 14));
    }
    auto listed = true_errors.find(name);
    EXPECT_EQ(errors, listed == true_errors.end() ? std::set<std::string>{} : listed->second) << name << "\n" << r.err;
    EXPECT_EQ(r.code, errors.empty() ? 0 : 1) << name;
  }
  fs::remove_all(dir);
  EXPECT_EQ(profiles, 17u);
}

}  // namespace
}  // namespace mcc::test
