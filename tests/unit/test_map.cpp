// SPDX-License-Identifier: Apache-2.0
// The map stage through compile(): translations, Apple-side constraints, conditions,
// platform filtering and determinism.

#include <nlohmann/json.hpp>

#include "base/key_path.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using nlohmann::json;

json base_object() {
  return json::parse(R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","id":"0b7f3c2e-1d4a-4e5b-9c8d-7a6f5e4d3c2b",
  "displayName":"t","connectionName":"c","connectionType":"ikEv2","server":{"address":"vpn.example","isDefaultServer":true},
  "authenticationMethod":"sharedSecret","sharedSecret":"s3cret-value","remoteIdentifier":"vpn.example","localIdentifier":"empty",
  "enableSplitTunneling":true,"clientAuthenticationType":"deviceAuthentication"})");
}

std::optional<CompiledProfile> compile_with(const json& patch, Diagnostics& d, const CompileOptions& o = {}) {
  json obj = base_object();
  obj.update(patch);
  return compile_json(obj.dump(), d, o);
}

const Value& payload(const CompiledProfile& p) { return p.root.find("PayloadContent")->as_array().at(0); }
const Value* key(const CompiledProfile& p, std::string_view path) { return find_path(payload(p), path); }

json sa(const char* enc, const char* integ, int dh, int life) {
  return {{"securityEncryptionAlgorithm", enc}, {"securityIntegrityAlgorithm", integ},
          {"securityDiffieHellmanGroup", dh}, {"lifetimeInMinutes", life}};
}

TEST(Map, SecurityAssociationParameters) {
  Diagnostics d;
  auto p = compile_with({{"allowDefaultSecurityAssociationParameters", false},
                         {"securityAssociationParameters", sa("aes128Gcm", "sha2_512", 21, 60)}}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(key(*p, "IKEv2.IKESecurityAssociationParameters.EncryptionAlgorithm")->as_string(), "AES-128-GCM");
  EXPECT_EQ(key(*p, "IKEv2.IKESecurityAssociationParameters.IntegrityAlgorithm")->as_string(), "SHA2-512");
  EXPECT_EQ(key(*p, "IKEv2.IKESecurityAssociationParameters.DiffieHellmanGroup")->as_int(), 21);
  EXPECT_EQ(key(*p, "IKEv2.IKESecurityAssociationParameters.LifeTimeInMinutes")->as_int(), 60);
}

TEST(Map, AllowDefaultLeavesParametersOutAndSaysSo) {
  Diagnostics d;
  auto p = compile_with({{"allowDefaultSecurityAssociationParameters", true},
                         {"securityAssociationParameters", sa("aes256", "sha2_256", 14, 1440)}}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(key(*p, "IKEv2.IKESecurityAssociationParameters"), nullptr);
  EXPECT_DIAG(d, "MCC-M004", "/securityAssociationParameters");
}

TEST(Map, GraphValuesWithoutAppleEquivalentAreErrors) {
  Diagnostics aes;
  EXPECT_FALSE(compile_with({{"childSecurityAssociationParameters", sa("aes192", "sha2_256", 14, 60)}}, aes));
  EXPECT_DIAG(aes, "MCC-M001", "/childSecurityAssociationParameters/securityEncryptionAlgorithm");
  Diagnostics md5;
  EXPECT_FALSE(compile_with({{"securityAssociationParameters", sa("aes256", "md5", 14, 60)}}, md5));
  EXPECT_DIAG(md5, "MCC-M001", "/securityAssociationParameters/securityIntegrityAlgorithm");
  Diagnostics azure;
  EXPECT_FALSE(compile_with({{"authenticationMethod", "azureAD"}}, azure));
  EXPECT_DIAG(azure, "MCC-M001", "/authenticationMethod");
  Diagnostics vendor;
  EXPECT_FALSE(compile_with({{"connectionType", "pulseSecure"}}, vendor));
  EXPECT_DIAG(vendor, "MCC-M001", "/connectionType");
}

TEST(Map, AppleRangesAndValueListsAreEnforced) {
  Diagnostics life;
  EXPECT_FALSE(compile_with({{"securityAssociationParameters", sa("aes256", "sha2_256", 14, 5)}}, life));
  EXPECT_DIAG(life, "MCC-M002", "/securityAssociationParameters/lifetimeInMinutes");
  EXPECT_NE(all_lines(life).find("10 to 1440"), std::string::npos) << all_lines(life);
  Diagnostics dh;
  EXPECT_FALSE(compile_with({{"securityAssociationParameters", sa("aes256", "sha2_256", 10, 60)}}, dh));
  EXPECT_DIAG(dh, "MCC-M002", "/securityAssociationParameters/securityDiffieHellmanGroup");
  // The TLS range applies to user authentication with certificates (EAP-TLS, issue 14 item 6).
  Diagnostics tls;
  EXPECT_FALSE(compile_with({{"clientAuthenticationType", "userAuthentication"}, {"authenticationMethod", "certificate"},
                             {"tlsMinimumVersion", "1.3"}}, tls));
  EXPECT_DIAG(tls, "MCC-M002", "/tlsMinimumVersion");
}

TEST(Map, BooleansBecomeIntegers) {
  Diagnostics d;
  auto p = compile_with({{"enablePerfectForwardSecrecy", true}, {"disableRedirect", false}}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_TRUE(key(*p, "IKEv2.EnablePFS")->is(Value::Kind::integer));
  EXPECT_EQ(key(*p, "IKEv2.EnablePFS")->as_int(), 1);
  EXPECT_EQ(key(*p, "IKEv2.DisableRedirect")->as_int(), 0);
  // Issue 14 item 9: Apple's OverridePrimary "only applies to Cisco IPsec and L2TP"; an IKEv2
  // VPN takes its routes from the server, so split tunnelling writes nothing and says so.
  EXPECT_EQ(key(*p, "IPv4.OverridePrimary"), nullptr);
  EXPECT_DIAG(d, "MCC-M007", "/enableSplitTunneling");
}

TEST(Map, UsernameAndPasswordIsEapOnly) {
  Diagnostics d;
  auto p = compile_with({{"authenticationMethod", "usernameAndPassword"}, {"enableEAP", true}}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(key(*p, "IKEv2.AuthenticationMethod")->as_string(), "None");
  EXPECT_EQ(key(*p, "IKEv2.ExtendedAuthEnabled")->as_int(), 1);
  EXPECT_EQ(key(*p, "IKEv2.SharedSecret"), nullptr);
  EXPECT_DIAG(d, "MCC-M004", "/sharedSecret");

  Diagnostics clash;
  ASSERT_TRUE(compile_with({{"authenticationMethod", "usernameAndPassword"}, {"enableEAP", false}}, clash));
  EXPECT_DIAG(clash, "MCC-M006", "/authenticationMethod");
}

TEST(Map, SharedSecretIsCarriedButNeverPrinted) {
  Diagnostics d;
  auto p = compile_with(json::object(), d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(key(*p, "IKEv2.SharedSecret")->as_string(), "s3cret-value");
  EXPECT_EQ(key(*p, "IKEv2.AuthenticationMethod")->as_string(), "SharedSecret");
}

TEST(Map, EvaluateConnectionNeedsDomains) {
  Diagnostics d;
  json rule = {{"action", "evaluateConnection"}, {"domainAction", "connectIfNeeded"}, {"interfaceTypeMatch", "notConfigured"}};
  EXPECT_FALSE(compile_with({{"onDemandRules", json::array({rule})}}, d));
  EXPECT_DIAG(d, "MCC-M003", "/onDemandRules/0/domains");
  EXPECT_NE(all_lines(d).find("IKEv2.OnDemandRules[0].ActionParameters[0].Domains"), std::string::npos) << all_lines(d);
}

TEST(Map, EmptyCollectionsAreNotConfigured) {
  Diagnostics d;
  json rule = {{"action", "connect"}, {"ssids", json::array()}, {"domainAction", "connectIfNeeded"}, {"interfaceTypeMatch", "wiFi"}};
  auto p = compile_with({{"onDemandRules", json::array({rule})}}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(key(*p, "IKEv2.OnDemandRules[0].SSIDMatch"), nullptr) << "an empty SSIDMatch would match no network";
  EXPECT_EQ(key(*p, "IKEv2.OnDemandRules[0].InterfaceTypeMatch")->as_string(), "WiFi");
  EXPECT_EQ(key(*p, "IKEv2.OnDemandEnabled")->as_int(), 1);
}

TEST(Map, ManualProxy) {
  Diagnostics d;
  auto p = compile_with({{"proxyServer", {{"address", "proxy.example"}, {"port", 8080}}}}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(key(*p, "Proxies.HTTPProxy")->as_string(), "proxy.example");
  EXPECT_EQ(key(*p, "Proxies.HTTPSPort")->as_int(), 8080);
  EXPECT_EQ(key(*p, "Proxies.HTTPEnable")->as_int(), 1);
  Diagnostics port_only;
  auto q = compile_with({{"proxyServer", {{"port", 8080}}}}, port_only);
  ASSERT_TRUE(q);
  EXPECT_EQ(key(*q, "Proxies"), nullptr);
  EXPECT_DIAG(port_only, "MCC-M004", "/proxyServer/port");
}

TEST(Map, KeysUnavailableOnThePlatformAreDroppedWithAWarning) {
  Diagnostics d;
  CompileOptions mac;
  mac.platform = Platform::macos;
  auto p = compile_with({{"disableOnDemandUserOverride", true}}, d, mac);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(p->platform, Platform::macos);
  EXPECT_EQ(key(*p, "IKEv2.OnDemandUserOverrideDisabled"), nullptr);
  EXPECT_DIAG(d, "MCC-M005", "/disableOnDemandUserOverride");
}

// Issue 18, second round: a table is compiled into a plan once per place (PayloadType,
// platform, key path prefix) and the plan is kept with the compiler. One compiler that
// compiles the same object for iOS, then macOS, then iOS again gives each time what a
// compiler that never saw the other platform gives, key for key and diagnostic for diagnostic.
TEST(Map, PlansCompiledForOnePlatformAreNotUsedForAnother) {
  json obj = base_object();
  obj.update({{"disableOnDemandUserOverride", true}, {"securityAssociationParameters", sa("aes256", "sha2_256", 14, 60)},
              {"allowDefaultSecurityAssociationParameters", false}});
  auto run = [&](const Compiler& c, Platform platform, std::string& lines) {
    CompileOptions o;
    o.platform = platform;
    Diagnostics d;
    auto p = c.compile({InputFile{"test.json", obj.dump()}}, o, d);
    lines = all_lines(d);
    Diagnostics s;
    return p ? serialize_plist(p->root, PlistFormat::xml, "test.json", s).value_or("") : std::string();
  };
  for (Platform platform : {Platform::ios, Platform::macos, Platform::ios}) {
    Diagnostics made;
    auto fresh = Compiler::create(std::nullopt, made);
    ASSERT_TRUE(fresh) << all_lines(made);
    std::string shared_lines, fresh_lines;
    const std::string shared = run(compiler(), platform, shared_lines);
    EXPECT_FALSE(shared.empty()) << shared_lines;
    EXPECT_EQ(shared, run(*fresh, platform, fresh_lines));
    EXPECT_EQ(shared_lines, fresh_lines);
    // macOS has no OnDemandUserOverrideDisabled: a plan made for iOS would have kept it.
    EXPECT_EQ(shared.find("OnDemandUserOverrideDisabled") != std::string::npos, platform == Platform::ios);
  }
}

TEST(Map, SettingsWithoutAProfileKeyWarnWhenSet) {
  Diagnostics d;
  ASSERT_TRUE(compile_with({{"customData", json::array({{{"key", "k"}, {"value", "v"}}})}, {"realm", "r"}}, d));
  EXPECT_DIAG(d, "MCC-M007", "/customData");
  EXPECT_DIAG(d, "MCC-M007", "/realm");
}

TEST(Identity, DeterministicAndDerivedFromTheGraphId) {
  Diagnostics d;
  auto a = compile_with(json::object(), d);
  auto b = compile_with(json::object(), d);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(serialize_plist(a->root, PlistFormat::xml), serialize_plist(b->root, PlistFormat::xml));
  EXPECT_EQ(serialize_plist(a->root, PlistFormat::binary), serialize_plist(b->root, PlistFormat::binary));
  EXPECT_EQ(a->root.find("PayloadIdentifier")->as_string(),
            "com.mobileconfigc.iosikEv2VpnConfiguration.0b7f3c2e-1d4a-4e5b-9c8d-7a6f5e4d3c2b");
  EXPECT_EQ(payload(*a).find("PayloadIdentifier")->as_string(),
            "com.mobileconfigc.iosikEv2VpnConfiguration.0b7f3c2e-1d4a-4e5b-9c8d-7a6f5e4d3c2b.vpn");

  auto renamed = compile_with({{"displayName", "renamed"}}, d);
  EXPECT_EQ(renamed->root.find("PayloadUUID")->as_string(), a->root.find("PayloadUUID")->as_string())
      << "a changed setting must update the installed profile, not add a second one";
  auto other = compile_with({{"id", "99999999-2222-3333-4444-555555555555"}}, d);
  EXPECT_NE(other->root.find("PayloadUUID")->as_string(), a->root.find("PayloadUUID")->as_string());
}

TEST(Identity, ZeroOrMissingIdsFallBackToTheContent) {
  Diagnostics d;
  auto zero = compile_with({{"id", "00000000-0000-0000-0000-000000000000"}}, d);
  auto zero2 = compile_with({{"id", "00000000-0000-0000-0000-000000000000"}, {"connectionName", "other"}}, d);
  ASSERT_TRUE(zero && zero2) << all_lines(d);
  EXPECT_NE(zero->root.find("PayloadUUID")->as_string(), zero2->root.find("PayloadUUID")->as_string());
  EXPECT_EQ(zero->root.find("PayloadIdentifier")->as_string().find("00000000-0000"), std::string::npos);
}

TEST(Identity, PrefixIsConfigurable) {
  Diagnostics d;
  CompileOptions o;
  o.identifier_prefix = "org.example.lab";
  auto p = compile_with(json::object(), d, o);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->root.find("PayloadIdentifier")->as_string().rfind("org.example.lab.", 0), 0u);
}

TEST(Profile, SatisfiesApplesSchema) {
  Diagnostics d;
  auto p = compile_with(json::object(), d);
  ASSERT_TRUE(p);
  EXPECT_TRUE(compiler().validate(p->root, Platform::ios).empty());
  Value broken = p->root;
  broken.find("PayloadContent")->as_array()[0].find("IKEv2")->set("MTU", Value(9000));
  auto problems = compiler().validate(broken, Platform::ios, "p.mobileconfig");
  ASSERT_EQ(problems.items().size(), 1u) << all_lines(problems);
  EXPECT_EQ(format_diagnostic(problems.items()[0]),
            "p.mobileconfig: /PayloadContent/0/IKEv2/MTU: error MCC-V003: IKEv2.MTU has a value that is not allowed (allowed: "
            "1280 to 1400)");
}

// Apple's "required if" rules (schemas/apple-overlay.json dependencies) hold per payload.
TEST(Profile, ApplesConditionalRequirements) {
  Diagnostics d;
  auto p = compile_with(json::object(), d);
  ASSERT_TRUE(p);
  Value v = p->root;
  Value& ikev2 = *v.find("PayloadContent")->as_array()[0].find("IKEv2");
  ikev2.set("CertificateType", Value("RSA"));
  ikev2.set("ExtendedAuthEnabled", Value(0));
  EXPECT_TRUE(compiler().validate(v, Platform::ios).empty()) << "no EAP: the issuer is optional";
  ikev2.set("ExtendedAuthEnabled", Value(1));
  auto problems = compiler().validate(v, Platform::ios);
  ASSERT_EQ(problems.items().size(), 1u) << all_lines(problems);
  EXPECT_EQ(problems.items()[0].code, "MCC-V008");
  EXPECT_EQ(problems.items()[0].pointer, "/PayloadContent/0/IKEv2/ServerCertificateIssuerCommonName");
  EXPECT_EQ(problems.items()[0].message,
            "IKEv2.ServerCertificateIssuerCommonName is required when IKEv2.CertificateType is set and "
            "IKEv2.ExtendedAuthEnabled is 1");
  ikev2.set("ServerCertificateIssuerCommonName", Value("Contoso Issuing CA"));
  EXPECT_TRUE(compiler().validate(v, Platform::ios).empty());

  v.find("PayloadContent")->as_array()[0].set("Proxies", Value(Dict{}));
  v.find("PayloadContent")->as_array()[0].find("Proxies")->set("HTTPProxy", Value("proxy.contoso.example"));
  problems = compiler().validate(v, Platform::ios);
  ASSERT_EQ(problems.items().size(), 1u) << all_lines(problems);
  EXPECT_EQ(problems.items()[0].message, "Proxies.HTTPPort is required when Proxies.HTTPProxy is set");
}

// Exporting tools differ in the type's letter case; the compiler takes any and writes the
// table's spelling.
TEST(Identity, GraphTypeInAnyCase) {
  json j = json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  j["@odata.type"] = "#microsoft.graph.IOSIKEV2VPNCONFIGURATION";
  Diagnostics d;
  auto p = compile_json(j.dump(), d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_NE(p->root.find("PayloadIdentifier")->as_string().find(".iosikEv2VpnConfiguration."), std::string::npos);
  EXPECT_TRUE(compiler().explain("IOSikev2vpnConfiguration", false));
  Diagnostics sd;
  auto objects = compiler().scan({"x.json", j.dump()}, {}, sd);
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects[0].supported);
}

}  // namespace
}  // namespace mcc::test
