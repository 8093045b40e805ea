// Secrets (shared secrets, passwords, SCEP challenges, passphrases) never appear in a
// diagnostic, whatever goes wrong around them: broken JSON, wrong types, values Apple
// refuses, unknown properties, clashes. Each case plants a marker secret and breaks
// something; every diagnostic line is then searched for any part of the marker.

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

// Fails when any diagnostic holds the secret or a 6-character piece of it.
void expect_no_secret(const std::string& text, const std::string& label, const CompileOptions& options = {}) {
  SCOPED_TRACE(label);
  Diagnostics d;
  (void)compile_json(text, d, options);
  std::string lines = all_lines(d);
  EXPECT_EQ(lines.find("7741"), std::string::npos) << lines;  // the numeric secret below
  std::string secret = kSecret;
  for (std::size_t i = 0; i + 6 <= secret.size(); ++i)
    EXPECT_EQ(lines.find(secret.substr(i, 6)), std::string::npos) << lines;
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
    mac.platform = TargetPlatform::macos;
    expect_no_secret(j.dump(), label + " (macos)", mac);
  }
  // The secret in several objects of one compile, one of which is broken.
  json list = {{"value", json::array({with_secret(), with_secret()})}};
  list["value"][1]["id"] = "33333333-2222-3333-4444-555555555555";
  list["value"][1]["mtuSizeInBytes"] = "Integer";
  expect_no_secret(list.dump(), "two objects");
}

}  // namespace
}  // namespace mcc::test
