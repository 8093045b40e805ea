// SPDX-License-Identifier: Apache-2.0
// The check stage, through the public compile(): unknown properties warn; wrong JSON
// types, unknown enum members, forbidden nulls and out-of-range values are errors.

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

// A valid shared-secret IKEv2 object with `extra` members set over it.
std::string ikev2(const std::string& extra) {
  auto base = nlohmann::json::parse(R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","id":"11111111-2222-3333-4444-555555555555",
  "displayName":"t","connectionName":"c","connectionType":"ikEv2","server":{"address":"vpn.example","isDefaultServer":true,"description":null},
  "authenticationMethod":"sharedSecret","sharedSecret":"s3cret-value","remoteIdentifier":"vpn.example","localIdentifier":"empty",
  "enableSplitTunneling":false,"clientAuthenticationType":"deviceAuthentication"})");
  base.update(nlohmann::json::parse("{" + extra + "}"));
  return base.dump();
}

TEST(Check, MinimalObjectCompiles) {
  Diagnostics d;
  auto p = compile_json(ikev2(""), d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_TRUE(d.empty()) << all_lines(d);
}

TEST(Check, UnknownPropertyWarns) {
  Diagnostics d;
  EXPECT_TRUE(compile_json(ikev2(R"("notAGraphProperty":1)"), d)) << all_lines(d);
  EXPECT_DIAG(d, "MCC-C001", "/notAGraphProperty");
  EXPECT_FALSE(d.has_errors());
}

TEST(Check, AnnotationsAreIgnored) {
  Diagnostics d;
  EXPECT_TRUE(compile_json(ikev2(R"J("@odata.context":"x","@microsoft.graph.tips":"y","roleScopeTagIds@odata.type":"#Collection(String)")J"), d));
  EXPECT_TRUE(d.empty()) << all_lines(d);
}

TEST(Check, WrongJsonTypesAreErrors) {
  struct Case {
    const char* extra;
    const char* pointer;
  };
  for (const auto& c : std::vector<Case>{{R"("mtuSizeInBytes":"Integer")", "/mtuSizeInBytes"},
                                         {R"("enablePerfectForwardSecrecy":"Boolean")", "/enablePerfectForwardSecrecy"},
                                         {R"("mtuSizeInBytes":1300.5)", "/mtuSizeInBytes"},
                                         {R"("onDemandRules":{"action":"connect"})", "/onDemandRules"},
                                         {R"("server":"vpn.example")", "/server"},
                                         {R"("safariDomains":[1])", "/safariDomains/0"}}) {
    Diagnostics d;
    EXPECT_FALSE(compile_json(ikev2(c.extra), d)) << c.extra;
    EXPECT_DIAG(d, "MCC-C002", c.pointer);
  }
}

// A flags enum is checked member by member; an empty member is not one.
TEST(Check, FlagsEnumMembersAreCheckedOneByOne) {
  auto scep = [](const std::string& usage) {
    return R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "s1", "subjectNameFormat": "custom", "subjectNameFormatString": "CN=Jane",
      "scepServerUrls": ["https://scep.example/"], "keySize": "size2048", "keyUsage": ")" + usage + "\"}";
  };
  Diagnostics ok;
  EXPECT_TRUE(compile_json(scep("keyEncipherment, digitalSignature"), ok)) << all_lines(ok);
  EXPECT_FALSE(ok.has_errors()) << all_lines(ok);
  for (const char* bad : {"keyEncipherment,,digitalSignature", "keyEncipherment,", "", "keyEncipherment,signing"}) {
    Diagnostics d;
    EXPECT_FALSE(compile_json(scep(bad), d)) << bad;
    EXPECT_DIAG(d, "MCC-C003", "/keyUsage");
  }
}

TEST(Check, UnknownEnumMemberNamesTheAllowedValues) {
  Diagnostics d;
  EXPECT_FALSE(compile_json(ikev2(R"("deadPeerDetectionRate":"sometimes")"), d));
  EXPECT_DIAG(d, "MCC-C003", "/deadPeerDetectionRate");
  EXPECT_NE(all_lines(d).find("medium, none, low, high"), std::string::npos) << all_lines(d);
}

TEST(Check, NullWhereGraphForbidsIt) {
  Diagnostics d;
  EXPECT_FALSE(compile_json(ikev2(R"("connectionName":null)"), d).has_value());
  EXPECT_DIAG(d, "MCC-C004", "/connectionName");
}

TEST(Check, NullMeansNotConfigured) {
  Diagnostics d;
  auto p = compile_json(ikev2(R"("mtuSizeInBytes":null,"proxyServer":null,"onDemandRules":null,"deadPeerDetectionRate":null)"), d);
  ASSERT_TRUE(p) << all_lines(d);
  const Value* ike = p->root.find("PayloadContent")->as_array()[0].find("IKEv2");
  EXPECT_EQ(ike->find("MTU"), nullptr);
  EXPECT_EQ(ike->find("DeadPeerDetectionRate"), nullptr);
}

TEST(Check, RangesFromGraph) {
  Diagnostics d;
  EXPECT_FALSE(compile_json(ikev2(R"("disconnectOnIdleTimerInSeconds":70000)"), d));
  EXPECT_DIAG(d, "MCC-C005", "/disconnectOnIdleTimerInSeconds");
  Diagnostics big;
  EXPECT_FALSE(compile_json(ikev2(R"("mtuSizeInBytes":123456789012345678901234567890)"), big));
  EXPECT_TRUE(big.has_errors());
}

TEST(Check, CollectionMaxima) {
  std::string rules = R"("onDemandRules":[)";
  for (int i = 0; i < 501; ++i) rules += std::string(i ? "," : "") + R"({"action":"connect","domainAction":"connectIfNeeded","interfaceTypeMatch":"notConfigured"})";
  rules += "]";
  Diagnostics d;
  EXPECT_FALSE(compile_json(ikev2(rules), d));
  EXPECT_DIAG(d, "MCC-C006", "/onDemandRules");
}

TEST(Check, ControlCharactersAreRefused) {
  Diagnostics d;
  EXPECT_FALSE(compile_json(ikev2(R"("displayName":"a\u0000b")"), d));
  EXPECT_DIAG(d, "MCC-C009", "/displayName");
}

TEST(Check, NestedTypeMismatch) {
  Diagnostics d;
  EXPECT_FALSE(compile_json(ikev2(R"("proxyServer":{"@odata.type":"#microsoft.graph.vpnServer","address":"p"})"), d));
  EXPECT_DIAG(d, "MCC-C007", "/proxyServer/@odata.type");
}

TEST(Check, SecretsNeverAppearInDiagnostics) {
  Diagnostics d;
  compile_json(ikev2(R"("authenticationMethod":"certificate","unknownThing":true)"), d);
  EXPECT_EQ(all_lines(d).find("s3cret-value"), std::string::npos) << all_lines(d);
}

}  // namespace
}  // namespace mcc::test
