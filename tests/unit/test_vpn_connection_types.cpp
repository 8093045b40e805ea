// SPDX-License-Identifier: Apache-2.0
// VPN breadth (issue 3): every appleVpnConnectionType member compiles to the right
// VPNType / VPNSubType or fails with a clear error; dictionaries merge; always-on shape.

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using nlohmann::json;

json vpn(const std::string& type, const std::string& connection) {
  return {{"@odata.type", "#microsoft.graph." + type},
          {"id", "0b9e4f1c-2d3a-4b5c-8d7e-" + std::string(12 - std::min<std::size_t>(12, connection.size()), '0') + connection.substr(0, 12)},
          {"displayName", "VPN"},
          {"connectionName", "VPN"},
          {"connectionType", connection},
          {"server", {{"address", "vpn.contoso.example"}, {"isDefaultServer", true}}},
          {"enableSplitTunneling", true},
          {"authenticationMethod", "usernameAndPassword"}};
}

std::optional<CompiledProfile> compile_json(const json& j, Diagnostics& d, std::optional<Platform> p = std::nullopt) {
  CompileOptions o;
  o.platform = p;
  return compile_inputs({InputFile{"vpn.json", j.dump()}}, o, d);
}

const Value& payload(const CompiledProfile& p) { return p.root.find("PayloadContent")->as_array()[0]; }

TEST(VpnConnectionTypes, EveryMemberCompilesOrFailsClearly) {
  const std::vector<std::string> members = {
      "ciscoAnyConnect", "pulseSecure", "f5EdgeClient", "dellSonicWallMobileConnect", "checkPointCapsuleVpn", "customVpn",
      "ciscoIPSec", "citrix", "ciscoAnyConnectV2", "paloAltoGlobalProtect", "zscalerPrivateAccess", "f5Access2018",
      "citrixSso", "paloAltoGlobalProtectV2", "ikEv2", "alwaysOn", "microsoftTunnel", "netMotionMobility", "microsoftProtect"};
  for (const char* type : {"iosVpnConfiguration", "macOSVpnConfiguration"})
    for (const auto& m : members) {
      json j = vpn(type, m);
      j["identifier"] = "com.contoso.vpn";
      Diagnostics d;
      auto p = compile_json(j, d);
      if (m == "alwaysOn" || m == "ikEv2") {  // no VPNType / no IKEv2 identifiers in these types
        EXPECT_FALSE(p) << type << " " << m;
        EXPECT_TRUE(d.has_errors());
        continue;
      }
      ASSERT_TRUE(p) << type << " " << m << "\n" << all_lines(d);
      const Value& pl = payload(*p);
      if (m == "ciscoIPSec") {
        EXPECT_EQ(pl.find("VPNType")->as_string(), "IPSec");
        EXPECT_EQ(pl.find("VPNSubType"), nullptr);
        continue;
      }
      EXPECT_EQ(pl.find("VPNType")->as_string(), "VPN") << m;
      ASSERT_NE(pl.find("VPNSubType"), nullptr) << m;
      EXPECT_FALSE(pl.find("VPNSubType")->as_string().empty()) << m;
      EXPECT_EQ(pl.find("VPN")->find("RemoteAddress")->as_string(), "vpn.contoso.example") << m;
    }
}

TEST(VpnConnectionTypes, VendorKeyValueListsMergeIntoVendorConfig) {
  json j = vpn("iosVpnConfiguration", "customVpn");
  j["identifier"] = "com.contoso.vpn";
  j["realm"] = "CONTOSO";
  j["customData"] = json::array({{{"key", "A"}, {"value", "1"}}, {{"key", "Shared"}, {"value", "x"}}});
  j["customKeyValueData"] = json::array({{{"name", "B"}, {"value", "2"}}, {{"name", "Shared"}, {"value", "y"}}});
  Diagnostics d;
  auto p = compile_json(j, d);
  ASSERT_TRUE(p) << all_lines(d);
  const Value* vc = payload(*p).find("VendorConfig");
  ASSERT_NE(vc, nullptr);
  EXPECT_EQ(vc->find("A")->as_string(), "1");
  EXPECT_EQ(vc->find("B")->as_string(), "2");
  EXPECT_EQ(vc->find("Realm")->as_string(), "CONTOSO");
  EXPECT_EQ(vc->find("Shared")->as_string(), "y");
  EXPECT_DIAG(d, "MCC-M006", "/customKeyValueData");
}

TEST(VpnConnectionTypes, MacOsLeavesOutWhatAppleMarksUnavailable) {
  json j = vpn("macOSVpnConfiguration", "ciscoAnyConnectV2");
  j["disableOnDemandUserOverride"] = true;
  Diagnostics d;
  auto p = compile_json(j, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(p->platform, Platform::macos);
  EXPECT_EQ(payload(*p).find("VPN")->find("OnDemandUserOverrideDisabled"), nullptr);
  EXPECT_DIAG(d, "MCC-M005", "/disableOnDemandUserOverride");
}

TEST(VpnAlwaysOn, ServiceExceptionsSkipForceAndTunnelCarriesIkev2) {
  json j = json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  j["enableAlwaysOnConfiguration"] = true;
  j["onDemandRules"] = json::array();
  j["alwaysOnConfiguration"] = {{"tunnelConfiguration", "wifi"},
                                {"voicemailExceptionAction", "forceTrafficViaVPN"},
                                {"airPrintExceptionAction", "forceTrafficViaVPN"},
                                {"cellularExceptionAction", "dropTraffic"},
                                {"natKeepAliveIntervalInSeconds", 20}};
  Diagnostics d;
  auto p = compile_json(j, d);
  ASSERT_TRUE(p) << all_lines(d);
  const Value& pl = payload(*p);
  EXPECT_EQ(pl.find("VPNType")->as_string(), "AlwaysOn");
  EXPECT_EQ(pl.find("IKEv2"), nullptr);
  const auto& ex = pl.find("AlwaysOn")->find("ServiceExceptions")->as_array();
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0].find("ServiceName")->as_string(), "CellularServices");
  const auto& tunnels = pl.find("AlwaysOn")->find("TunnelConfigurations")->as_array();
  ASSERT_EQ(tunnels.size(), 1u);
  EXPECT_EQ(tunnels[0].find("Interfaces")->as_array().size(), 1u);
  EXPECT_EQ(tunnels[0].find("RemoteIdentifier")->as_string(), j["remoteIdentifier"].get<std::string>());
  EXPECT_EQ(tunnels[0].find("NATKeepAliveInterval")->as_int(), 20);
}

TEST(VpnAlwaysOn, IsAnErrorOnMacOs) {
  json j = json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  j["enableAlwaysOnConfiguration"] = true;
  j["alwaysOnConfiguration"] = {{"tunnelConfiguration", "wifiAndCellular"}};
  Diagnostics d;
  EXPECT_FALSE(compile_json(j, d, Platform::macos));
  EXPECT_DIAG(d, "MCC-M001", "/enableAlwaysOnConfiguration");
}

}  // namespace
}  // namespace mcc::test
