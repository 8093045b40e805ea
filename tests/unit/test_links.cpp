// SPDX-License-Identifier: Apache-2.0
// Linking payloads inside one profile: by the references in the input, by the only
// candidate, and by --link (CompileOptions::links), which wins over both.

#include <nlohmann/json.hpp>

#include "support/measured_run.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json golden_input(const std::string& name) {
  return json::parse(read_file(source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile" / name));
}

// The VPN with its identity-certificate reference removed, and two SCEP profiles.
struct Fixture {
  json vpn = golden_input("input1-vpn.json");
  json scep_a = golden_input("input2-scep.json");
  json scep_b = golden_input("input2-scep.json");
  Fixture() {
    for (auto it = vpn.begin(); it != vpn.end();) {
      if (it.key().find("identityCertificate") != std::string::npos) it = vpn.erase(it);
      else ++it;
    }
    scep_b["id"] = "11111111-2222-4333-8444-555555555555";
    scep_b["displayName"] = "Second SCEP";
  }
};

std::string payload_uuid(const CompiledProfile& p, const std::string& type, const std::string& id_part) {
  for (const auto& payload : p.root.find("PayloadContent")->as_array())
    if (payload.find("PayloadType")->as_string() == type &&
        payload.find("PayloadIdentifier")->as_string().find(id_part) != std::string::npos)
      return payload.find("PayloadUUID")->as_string();
  return "";
}

std::string vpn_certificate_uuid(const CompiledProfile& p) {
  for (const auto& payload : p.root.find("PayloadContent")->as_array())
    if (payload.find("PayloadType")->as_string() == "com.apple.vpn.managed")
      if (const Value* ikev2 = payload.find("IKEv2"))
        if (const Value* v = ikev2->find("PayloadCertificateUUID")) return v->as_string();
  return "";
}

std::optional<CompiledProfile> compile(const std::vector<json>& objects, const CompileOptions& options, Diagnostics& d) {
  std::vector<InputFile> inputs;
  for (std::size_t i = 0; i < objects.size(); ++i) inputs.push_back({"in" + std::to_string(i) + ".json", objects[i].dump()});
  return compile_inputs(inputs, options, d);
}

TEST(Links, TheOnlyCandidateIsLinkedWithANote) {
  Fixture f;
  Diagnostics d;
  auto p = compile({f.vpn, f.scep_a}, {}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(vpn_certificate_uuid(*p), payload_uuid(*p, "com.apple.security.scep", f.scep_a["id"]));
  EXPECT_DIAG(d, "MCC-M021", "/identityCertificate");
}

TEST(Links, TwoCandidatesAndNoReferenceIsReported) {
  Fixture f;
  Diagnostics d;
  auto p = compile({f.vpn, f.scep_a, f.scep_b}, {}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(vpn_certificate_uuid(*p), "");
  EXPECT_DIAG(d, "MCC-M010", "/identityCertificate");
}

TEST(Links, ExplicitLinkByDisplayNameOrIdWins) {
  Fixture f;
  f.vpn["identityCertificate@odata.bind"] = "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('" +
                                            f.scep_a["id"].get<std::string>() + "')";
  for (const std::string& to : {std::string("Second SCEP"), f.scep_b["id"].get<std::string>()}) {
    Diagnostics d;
    CompileOptions o;
    o.links = {{f.vpn["displayName"].get<std::string>(), to}};
    auto p = compile({f.vpn, f.scep_a, f.scep_b}, o, d);
    ASSERT_TRUE(p) << all_lines(d);
    EXPECT_EQ(vpn_certificate_uuid(*p), payload_uuid(*p, "com.apple.security.scep", f.scep_b["id"])) << to;
    EXPECT_FALSE(d.has_errors()) << all_lines(d);
  }
}

TEST(Links, ExplicitLinkToANameNotInTheCompileIsAnError) {
  Fixture f;
  Diagnostics d;
  CompileOptions o;
  o.links = {{f.vpn["displayName"].get<std::string>(), "No Such SCEP"}};
  EXPECT_FALSE(compile({f.vpn, f.scep_a}, o, d));
  bool found = false;
  for (const auto& x : d.items())
    found |= x.code == "MCC-M019" && x.message.find("'No Such SCEP'") != std::string::npos;
  EXPECT_TRUE(found) << all_lines(d);
}

TEST(Links, ExplicitLinkThatLinksNothingWarns) {
  Fixture f;
  Diagnostics d;
  CompileOptions o;
  o.links = {{f.scep_a["displayName"].get<std::string>(), f.vpn["displayName"].get<std::string>()}};  // backwards
  auto p = compile({f.vpn, f.scep_a}, o, d);
  ASSERT_TRUE(p) << all_lines(d);
  bool found = false;
  for (const auto& x : d.items()) found |= x.code == "MCC-M020";
  EXPECT_TRUE(found) << all_lines(d);
}

// One profile of many objects: every link is found by lookups, not by a pass over every
// payload (which took minutes for 20,000 objects), and checking the result is linear too.
// A sanitizer build (unoptimised, every access checked) compiles a few hundred instead.
TEST(Links, TwentyThousandObjectsInOneProfileInLinearTime) {
  const int count = built_with_sanitizers() ? 200 : 20000;
  const auto dir = make_scratch_dir("links");
  const json scep = golden_input("input2-scep.json"), root = golden_input("input3-root.json");
  json list = {{"value", json::array()}};
  for (int i = 0; i < count; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    list["value"].push_back({{"@odata.type", "#microsoft.graph.iosikEv2VpnConfiguration"},
                             {"id", id},
                             {"displayName", "VPN " + std::to_string(i)},
                             {"connectionName", "VPN"},
                             {"connectionType", "ikEv2"},
                             {"server", {{"address", "vpn.example.com"}, {"isDefaultServer", true}}},
                             {"remoteIdentifier", "vpn.example.com"},
                             {"localIdentifier", "empty"},
                             {"authenticationMethod", "certificate"},
                             {"identityCertificate@odata.bind", "deviceConfigurations('" + scep["id"].get<std::string>() + "')"}});
  }
  list["value"].push_back(scep);
  list["value"].push_back(root);
  write_file(dir / "list.json", list.dump());
  auto r = run_measured({"compile", (dir / "list.json").string(), "--scep-challenge", "x", "-o", (dir / "one.mobileconfig").string()}, dir);
  EXPECT_EQ(r.code, 0) << r.err.substr(0, 2000);
  EXPECT_LT(r.cpu_seconds, 10.0);
  EXPECT_EQ(r.err.find("MCC-M010"), std::string::npos) << r.err.substr(0, 2000);  // every VPN found its certificate
  Diagnostics d;
  auto p = parse_plist(read_file(dir / "one.mobileconfig"), "one.mobileconfig", d);
  ASSERT_TRUE(p) << all_lines(d);
  const auto& content = p->find("PayloadContent")->as_array();
  ASSERT_EQ(content.size(), static_cast<std::size_t>(count) + 2);
  // The root, then the SCEP payload that enrols against it, then the VPNs that use its
  // certificate, in input order (issue 14 item 8).
  EXPECT_EQ(content[0].find("PayloadType")->as_string(), "com.apple.security.root");
  EXPECT_EQ(content[1].find("PayloadType")->as_string(), "com.apple.security.scep");
  EXPECT_EQ(content[count + 1].find("PayloadDisplayName")->as_string(), "VPN " + std::to_string(count - 1));
  EXPECT_EQ(content[count + 1].find("IKEv2")->find("PayloadCertificateUUID")->as_string(), content[1].find("PayloadUUID")->as_string());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mcc::test
