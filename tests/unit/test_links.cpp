// Linking payloads inside one profile: by the references in the input, by the only
// candidate, and by --link (CompileOptions::links), which wins over both.

#include <nlohmann/json.hpp>

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
  EXPECT_DIAG(d, "MCC-M008", "/identityCertificate");
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

}  // namespace
}  // namespace mcc::test
