// SPDX-License-Identifier: Apache-2.0
// Secrets (shared secrets, passwords, SCEP challenges, passphrases) never appear in a
// diagnostic, whatever goes wrong around them: broken JSON, wrong types, values Apple
// refuses, unknown properties, clashes, Intune variables, a mistyped command line. Each
// case plants a marker secret and breaks something; every diagnostic line is then searched
// for any part of the marker. `inspect` redacts every secret the library knows of.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "Zx9SECRETqv7";

json with_secret() {
  json j = json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  j["authenticationMethod"] = "sharedSecret";
  j["sharedSecret"] = kSecret;
  j.erase("identityCertificate@odata.bind");
  return j;
}

// Fails when `lines` hold the secret or a 6-character piece of it.
void expect_no_secret_in(const std::string& lines) {
  EXPECT_EQ(lines.find("7741"), std::string::npos) << lines;  // the numeric secret below
  std::string secret = kSecret;
  for (std::size_t i = 0; i + 6 <= secret.size(); ++i)
    EXPECT_EQ(lines.find(secret.substr(i, 6)), std::string::npos) << lines;
}

// Fails when any diagnostic holds the secret or a 6-character piece of it.
void expect_no_secret(const std::string& text, const std::string& label, const CompileOptions& options = {}) {
  SCOPED_TRACE(label);
  Diagnostics d;
  (void)compile_json(text, d, options);
  expect_no_secret_in(all_lines(d));
}

TEST(Secrets, NeverInDiagnosticsOfBrokenJson) {
  std::string good = with_secret().dump();
  auto at = good.find(kSecret);
  ASSERT_NE(at, std::string::npos);
  expect_no_secret(good.substr(0, at + 8), "truncated inside the secret");
  expect_no_secret(good.substr(0, at + std::string(kSecret).size() + 1), "truncated after the secret");
  std::string raw_newline = good;
  raw_newline.insert(at + 6, "\n");
  expect_no_secret(raw_newline, "raw newline inside the secret");
  std::string bad_escape = good;
  bad_escape.insert(at + 6, "\\q");
  expect_no_secret(bad_escape, "bad escape inside the secret");
  std::string bad_utf8 = good;
  bad_utf8.insert(at + 6, "\xC3\x28");
  expect_no_secret(bad_utf8, "invalid utf-8 inside the secret");
  std::string junk_after = good;
  junk_after.insert(at + std::string(kSecret).size() + 1, "x");
  expect_no_secret(junk_after, "junk after the secret");
  std::string dup = "{\"sharedSecret\":\"" + std::string(kSecret) + "\"," + good.substr(1);
  expect_no_secret(dup, "the secret twice");
}

TEST(Secrets, NeverInDiagnosticsOfCheckingAndMapping) {
  std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"secret as a number", [](json& j) { j["sharedSecret"] = 7741; }},
      {"secret with a control character", [](json& j) { j["sharedSecret"] = std::string(kSecret) + "\x01"; }},
      {"secret too long", [](json& j) { j["sharedSecret"] = std::string(kSecret) + std::string(1u << 20, 'a'); }},
      {"secret under an unknown name", [](json& j) { j["sharedSecretX"] = kSecret; }},
      {"certificate method ignores the secret", [](json& j) { j["authenticationMethod"] = "certificate"; }},
      {"username and password ignores the secret", [](json& j) { j["authenticationMethod"] = "usernameAndPassword"; }},
      {"other errors next to the secret", [](json& j) {
         j["mtuSizeInBytes"] = 9000;
         j["tlsMinimumVersion"] = "1.3";
         j["securityAssociationParameters"]["securityEncryptionAlgorithm"] = "aes192";
       }},
      {"wrong connection type", [](json& j) { j["connectionType"] = "ciscoAnyConnect"; }},
      {"not nullable null next to the secret", [](json& j) { j["connectionName"] = nullptr; }},
  };
  for (auto& [label, mutate] : cases) {
    json j = with_secret();
    mutate(j);
    expect_no_secret(j.dump(), label);
    CompileOptions mac;
    mac.platform = Platform::macos;
    expect_no_secret(j.dump(), label + " (macos)", mac);
  }
  // The secret in several objects of one compile, one of which is broken.
  json list = {{"value", json::array({with_secret(), with_secret()})}};
  list["value"][1]["id"] = "33333333-2222-3333-4444-555555555555";
  list["value"][1]["mtuSizeInBytes"] = "Integer";
  expect_no_secret(list.dump(), "two objects");
}

// MCC-R003: nlohmann quotes the text of a number too large for a double.
TEST(Secrets, NeverInTheErrorOfAnOverflowingNumber) {
  json j = with_secret();
  j["sharedSecret"] = "PLACEHOLDER";
  std::string text = j.dump();
  text.replace(text.find("\"PLACEHOLDER\""), 13, "77411e99999");
  Diagnostics d;
  EXPECT_FALSE(compile_json(text, d));
  EXPECT_DIAG(d, "MCC-R003", "");
  expect_no_secret_in(all_lines(d));
}

// Intune does not substitute variables in secrets: a "{{...}}" in one stays verbatim and is
// mentioned by no diagnostic (MCC-M014/M015 would quote the name), with or without --var.
TEST(Secrets, VariablesInASecretAreKeptAndNotMentioned) {
  const std::string with_braces = "Zx9{{SECRETqv7}}x{{UserName}}";
  json j = with_secret();
  j["sharedSecret"] = with_braces;
  for (bool values : {false, true}) {
    SCOPED_TRACE(values ? "with --var" : "without --var");
    CompileOptions o;
    if (values) o.variables = {{"UserName", "jdoe"}, {"SECRETqv7", "given"}};
    Diagnostics d;
    auto p = compile_json(j.dump(), d, o);
    ASSERT_TRUE(p) << all_lines(d);
    expect_no_secret_in(all_lines(d));
    EXPECT_EQ(all_lines(d).find("/sharedSecret"), std::string::npos) << all_lines(d);
    const Value& payload = p->root.find("PayloadContent")->as_array()[0];
    EXPECT_EQ(payload.find("IKEv2")->find("SharedSecret")->as_string(), with_braces);
  }
}

TEST(Secrets, VariablesInAChallengeOrAVendorPasswordAreKept) {
  CompileOptions o;
  o.variables = {{"UserName", "jdoe"}};
  o.scep_challenge = "Q9{{UserName}}w";
  Diagnostics d;
  auto scep = compile_json(R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "c1",
    "subjectNameFormat": "custom", "subjectNameFormatString": "CN={{UserName}}",
    "scepServerUrls": ["https://scep.example/"], "keySize": "size2048", "keyUsage": "digitalSignature"})", d, o);
  ASSERT_TRUE(scep) << all_lines(d);
  const Value& content = *scep->root.find("PayloadContent")->as_array()[0].find("PayloadContent");
  EXPECT_EQ(content.find("Challenge")->as_string(), "Q9{{UserName}}w");
  EXPECT_EQ(content.find("Subject")->as_array()[0].as_array()[0].as_array()[1].as_string(), "jdoe");  // not a secret

  json vpn = json::parse(read_file(source_dir() / "samples" / "ios-perapp-anyconnect.json"));
  vpn["customData"] = json::array({{{"key", "password"}, {"value", "Q9{{UserName}}w"}}, {{"key", "group"}, {"value", "{{UserName}}"}}});
  Diagnostics dv;
  auto p = compile_json(vpn.dump(), dv, o);
  ASSERT_TRUE(p) << all_lines(dv);
  const Value& vendor = *p->root.find("PayloadContent")->as_array()[0].find("VendorConfig");
  EXPECT_EQ(vendor.find("password")->as_string(), "Q9{{UserName}}w");
  EXPECT_EQ(vendor.find("group")->as_string(), "jdoe");
}

// MCC-M006: customData and customKeyValueData give the same VendorConfig key. The clash is
// reported, but a key named like a password is a secret whichever row wrote it.
TEST(Secrets, NeverInAVendorConfigClash) {
  for (const char* key : {"Password", "password", "ClientSecret", "AuthPassword"}) {
    SCOPED_TRACE(key);
    json vpn = json::parse(read_file(source_dir() / "samples" / "ios-perapp-anyconnect.json"));
    vpn["customData"] = json::array({{{"key", key}, {"value", kSecret}}});
    vpn["customKeyValueData"] = json::array({{{"name", key}, {"value", std::string("7741") + kSecret + "b"}}});
    Diagnostics d;
    (void)compile_json(vpn.dump(), d);
    EXPECT_DIAG(d, "MCC-M006", "/customKeyValueData");
    expect_no_secret_in(all_lines(d));
  }
  // A key that is not a secret is still shown, so the clash can be understood.
  json vpn = json::parse(read_file(source_dir() / "samples" / "ios-perapp-anyconnect.json"));
  vpn["customData"] = json::array({{{"key", "group"}, {"value", "first"}}});
  vpn["customKeyValueData"] = json::array({{{"name", "group"}, {"value", "second"}}});
  Diagnostics d;
  (void)compile_json(vpn.dump(), d);
  EXPECT_NE(all_lines(d).find("\"first\""), std::string::npos) << all_lines(d);
}

// The one rule, as the library exposes it.
TEST(Secrets, OneRuleForEverySecretKey) {
  EXPECT_TRUE(is_secret_key("com.apple.vpn.managed", "IKEv2.SharedSecret"));
  EXPECT_TRUE(is_secret_key("com.apple.vpn.managed", "AlwaysOn.TunnelConfigurations[0].SharedSecret"));
  EXPECT_TRUE(is_secret_key("com.apple.vpn.managed", "Proxies.HTTPSProxyPassword"));
  EXPECT_TRUE(is_secret_key("com.apple.vpn.managed", "VendorConfig.password"));  // a free key, named like a password
  EXPECT_FALSE(is_secret_key("com.apple.vpn.managed", "IPSec.XAuthPasswordEncryption"));  // known, and not a secret
  EXPECT_FALSE(is_secret_key("com.apple.vpn.managed", "VendorConfig.group"));
  EXPECT_TRUE(is_secret_key("com.apple.security.scep", "PayloadContent.Challenge"));
  EXPECT_FALSE(is_secret_key("com.apple.security.scep", "PayloadContent"));
  EXPECT_TRUE(is_secret_key("com.apple.security.pkcs12", "PayloadContent"));
  EXPECT_TRUE(is_secret_key("com.apple.security.pkcs12", "Password"));
  EXPECT_TRUE(is_secret_key("com.apple.wifi.managed", "EAPClientConfiguration.UserPassword"));
  EXPECT_TRUE(is_secret_key("com.example.unknown", "Settings.ClientSecret"));
  EXPECT_TRUE(is_secret_key("com.example.unknown", "Challenge"));
  EXPECT_TRUE(is_secret_key("com.example.unknown", "Accounts[2].FooPassword.Value"));  // inside a secret
  EXPECT_FALSE(is_secret_key("com.example.unknown", "ServerName"));
  EXPECT_FALSE(is_secret_key("com.apple.vpn.managed", "IKEv2.RemoteAddress"));
}

// Secrets at every place `inspect` must redact; each value holds "LEAK".
const char* kSecretsProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key><string>com.apple.wifi.managed</string>
      <key>PayloadIdentifier</key><string>w</string>
      <key>SSID_STR</key><string>Contoso</string>
      <key>Password</key><string>LEAK-wifi</string>
      <key>ProxyPassword</key><string>LEAK-proxy</string>
      <key>EAPClientConfiguration</key>
      <dict><key>UserName</key><string>jdoe</string><key>UserPassword</key><string>LEAK-eap</string></dict>
    </dict>
    <dict>
      <key>PayloadType</key><string>com.apple.mail.managed</string>
      <key>PayloadIdentifier</key><string>m</string>
      <key>IncomingPassword</key><string>LEAK-in</string>
      <key>OutgoingPassword</key><string>LEAK-out</string>
    </dict>
    <dict>
      <key>PayloadType</key><string>com.apple.ldap.account</string>
      <key>PayloadIdentifier</key><string>l</string>
      <key>LDAPAccountPassword</key><string>LEAK-ldap</string>
    </dict>
    <dict>
      <key>PayloadType</key><string>com.apple.vpn.managed</string>
      <key>PayloadIdentifier</key><string>v</string>
      <key>IPSec</key><dict><key>XAuthPasswordEncryption</key><string>Prompt</string></dict>
      <key>Proxies</key>
      <dict><key>HTTPSProxyPassword</key><string>LEAK-https</string><key>HTTPProxyPassword</key><string>LEAK-http</string></dict>
      <key>VendorConfig</key><dict><key>password</key><string>LEAK-vendor</string></dict>
    </dict>
    <dict>
      <key>PayloadType</key><string>com.example.unknown</string>
      <key>PayloadIdentifier</key><string>u</string>
      <key>FooPassword</key><string>LEAK-foo</string>
      <key>ClientSecret</key><string>LEAK-client</string>
      <key>Server</key><string>shown.example</string>
    </dict>
    <dict>
      <key>PayloadType</key><string>com.apple.security.pkcs12</string>
      <key>PayloadIdentifier</key><string>p</string>
      <key>Password</key><string>LEAK-p12</string>
      <key>PayloadContent</key><data>TEVBSy1rZXk=</data>
    </dict>
  </array>
  <key>PayloadIdentifier</key><string>com.contoso.secrets</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadUUID</key><string>AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict>
</plist>
)";

class SecretsCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("secrets"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  RunResult run(const std::string& args) { return run_binary(args, dir_); }
  std::filesystem::path dir_;
};

TEST_F(SecretsCli, InspectRedactsEverySecretInTextAndJson) {
  write_file(dir_ / "p.mobileconfig", kSecretsProfile);
  const std::string file = (dir_ / "p.mobileconfig").string();
  const std::vector<std::pair<int, std::string>> redacted = {
      {0, "Password"}, {0, "ProxyPassword"}, {0, "EAPClientConfiguration.UserPassword"},
      {1, "IncomingPassword"}, {1, "OutgoingPassword"}, {2, "LDAPAccountPassword"},
      {3, "Proxies.HTTPSProxyPassword"}, {3, "Proxies.HTTPProxyPassword"}, {3, "VendorConfig.password"},
      {4, "FooPassword"}, {4, "ClientSecret"}, {5, "Password"}, {5, "PayloadContent"}};

  auto text = run("inspect " + file);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_EQ(text.out.find("LEAK"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("TEVBSy"), std::string::npos) << text.out;
  for (const auto& [i, path] : redacted)
    EXPECT_NE(text.out.find("      " + path + ": <redacted>\n"), std::string::npos) << path << "\n" << text.out;
  for (const char* shown : {"EAPClientConfiguration.UserName: jdoe\n", "IPSec.XAuthPasswordEncryption: Prompt\n",
                            "Server: shown.example\n", "SSID_STR: Contoso\n"})
    EXPECT_NE(text.out.find(shown), std::string::npos) << shown << text.out;

  auto js = run("inspect --json " + file);
  ASSERT_EQ(js.code, 0) << js.err;
  EXPECT_EQ(js.out.find("LEAK"), std::string::npos) << js.out;
  EXPECT_EQ(js.out.find("TEVBSy"), std::string::npos) << js.out;
  auto j = json::parse(js.out);
  // The settings keep their nesting: "Proxies.HTTPProxyPassword" is /Proxies/HTTPProxyPassword.
  auto pointer = [](std::string path) {
    std::replace(path.begin(), path.end(), '.', '/');
    return json::json_pointer("/" + path);
  };
  for (const auto& [i, path] : redacted)
    EXPECT_EQ(j["payloads"][i]["settings"].value(pointer(path), json()), "<redacted>") << i << " " << path;

  auto clear = run("inspect --show-secrets " + file);
  for (const char* leak : {"LEAK-wifi", "LEAK-proxy", "LEAK-eap", "LEAK-in", "LEAK-out", "LEAK-ldap", "LEAK-https",
                           "LEAK-http\n", "LEAK-vendor", "LEAK-foo", "LEAK-client", "LEAK-p12"})
    EXPECT_NE(clear.out.find(leak), std::string::npos) << leak;
  auto clear_json = json::parse(run("inspect --json --show-secrets " + file).out);
  EXPECT_EQ(clear_json["payloads"][5]["settings"]["PayloadContent"], "TEVBSy1rZXk=");
  EXPECT_EQ(clear_json["payloads"][0]["settings"]["EAPClientConfiguration"]["UserPassword"], "LEAK-eap");
}

TEST(Secrets, HoldsSecretFindsAnySecretInAProfile) {
  Diagnostics d;
  auto root = parse_plist(kSecretsProfile, "p", d);
  ASSERT_TRUE(root) << all_lines(d);
  EXPECT_TRUE(holds_secret(*root));
  auto& payloads = root->as_dict()[0].value.as_array();
  ASSERT_EQ(root->as_dict()[0].key, "PayloadContent");
  for (std::size_t keep = 0; keep < payloads.size(); ++keep) {
    Value one = *root;
    Array only{payloads[keep]};
    one.set("PayloadContent", Value(std::move(only)));
    EXPECT_TRUE(holds_secret(one)) << keep;
  }
  Diagnostics none;
  auto plain = compile_json(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"), none);
  ASSERT_TRUE(plain) << all_lines(none);
  EXPECT_FALSE(holds_secret(plain->root));
  Diagnostics with;
  auto shared = compile_json(with_secret().dump(), with);
  ASSERT_TRUE(shared) << all_lines(with);
  EXPECT_TRUE(holds_secret(shared->root));
}

// holds_secret walks a profile once alongside the schema; is_secret_key looks one key path
// up from the root. They agree on every profile of the golden set and on each payload of the
// secrets profile alone.
bool any_key_is_secret(std::string_view type, const std::string& path, const Value& v) {
  if (!path.empty() && is_secret_key(type, path)) return true;
  if (v.is(Value::Kind::dict)) {
    for (const auto& m : v.as_dict())
      if (any_key_is_secret(type, path.empty() ? m.key : path + "." + m.key, m.value)) return true;
  } else if (v.is(Value::Kind::array)) {
    for (std::size_t i = 0; i < v.as_array().size(); ++i)
      if (any_key_is_secret(type, path + "[" + std::to_string(i) + "]", v.as_array()[i])) return true;
  }
  return false;
}
bool reference_holds_secret(const Value& profile) {
  for (const auto& m : profile.as_dict()) {
    if (m.key == "PayloadContent" && m.value.is(Value::Kind::array)) {
      for (const auto& p : m.value.as_array()) {
        const Value* t = p.find("PayloadType");
        if (any_key_is_secret(t && t->is(Value::Kind::string) ? t->as_string() : "", "", p)) return true;
      }
    } else if (any_key_is_secret("", m.key, m.value)) {
      return true;
    }
  }
  return false;
}

TEST(Secrets, HoldsSecretAgreesWithEveryKeyPathLookedUp) {
  std::vector<Value> profiles;
  Diagnostics d;
  auto secrets = parse_plist(kSecretsProfile, "p", d);
  ASSERT_TRUE(secrets) << all_lines(d);
  for (const auto& payload : secrets->find("PayloadContent")->as_array()) {
    Value one = *secrets;
    one.set("PayloadContent", Value(Array{payload}));
    profiles.push_back(std::move(one));
  }
  for (const auto& e : std::filesystem::directory_iterator(source_dir() / "tests" / "golden" / "pass")) {
    Diagnostics g;
    if (auto p = parse_plist(read_file(e.path() / "expected.mobileconfig"), "golden", g)) profiles.push_back(std::move(*p));
  }
  std::size_t with = 0;
  for (const auto& p : profiles) {
    EXPECT_EQ(holds_secret(p), reference_holds_secret(p)) << serialize_plist(p, PlistFormat::xml).substr(0, 2000);
    with += reference_holds_secret(p) ? 1 : 0;
  }
  EXPECT_GT(with, 5u);
  EXPECT_LT(with, profiles.size());
}

// The command line never echoes a value given for a variable or a challenge.
TEST_F(SecretsCli, MistypedVarOrChallengeIsNotEchoed) {
  write_file(dir_ / "vpn.json", with_secret().dump());
  const std::string in = (dir_ / "vpn.json").string(), out = (dir_ / "out.mobileconfig").string();
  const std::string secret = kSecret;
  for (const std::string& args : {"--var 'SCEPChallenge:" + secret + "'", "--var '=" + secret + "'", "--var '" + secret + "'",
                                  "--var UserName=x --var 'SCEPChallenge " + secret + "'",
                                  "--scep-challenge " + secret + " --scep-challenge " + secret + "2",
                                  std::string("--scep-challenge Zx9 SECRETqv7"), "--scep-challenge=Zx9 SECRETqv7 " + in}) {
    SCOPED_TRACE(args);
    auto r = run("compile " + in + " -o " + out + " " + args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("--"), std::string::npos) << r.err;  // names the option
    expect_no_secret_in(r.out + r.err);
    EXPECT_EQ(r.err.find("SECRETqv7"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
  // An input file after the challenge is an input, as always.
  auto r = run("compile -o " + out + " --scep-challenge " + secret + " " + in);
  EXPECT_EQ(r.code, 0) << r.err;
  expect_no_secret_in(r.out + r.err);
}

}  // namespace
}  // namespace mcc::test
