// SPDX-License-Identifier: Apache-2.0
// The pipeline wired once: Compiler, BatchPlan and the one resolver give the same answers,
// diagnostics name the object and table row they are about, and tables can come from memory.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "link/resolve.hpp"
#include "mobileconfigc/batch.hpp"
#include "mobileconfigc/plist.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json sample_vpn() { return json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json")); }

const fs::path kLinked = source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile";

CompileOptions linked_options() {
  CompileOptions o;
  o.scep_challenge = "Ch4llenge-S3cret-9f2a";
  o.scep_url_index = 1;
  return o;
}

// Defect 3 of the layered-library issue: in a file of two objects, the hint of a missing
// required key named the other object's property.
TEST(Pipeline, AMissingKeyHintNamesTheObjectItIsIn) {
  json good = sample_vpn();
  json bad = sample_vpn();
  bad["id"] = "11111111-2222-4333-8444-555555555555";
  bad["onDemandRules"] = json::array(
      {{{"action", "evaluateConnection"}, {"domainAction", "connectIfNeeded"}, {"interfaceTypeMatch", "notConfigured"}}});
  Diagnostics d;
  EXPECT_FALSE(compile_json(json::array({good, bad}).dump(), d));
  EXPECT_DIAG(d, "MCC-M003", "/1/onDemandRules/0/domains");
  for (const auto& x : d.items()) {
    if (x.code != "MCC-M003") continue;
    EXPECT_NE(x.message.find("set /1/onDemandRules/0/domains"), std::string::npos) << x.message;
    EXPECT_EQ(x.message.find("set /0/"), std::string::npos) << x.message;
    ASSERT_TRUE(x.object.has_value());
    EXPECT_EQ(*x.object, 1u);
  }
}

TEST(Pipeline, DiagnosticsNameTheirObjectAndTableRow) {
  json weak = sample_vpn();
  weak["id"] = "3a9c1e52-0b7d-4f61-8e2a-5d4c3b2a1f09";  // another object: one id given twice is MCC-M038
  weak["securityAssociationParameters"]["securityIntegrityAlgorithm"] = "md5";
  Diagnostics d;
  EXPECT_FALSE(compile_json(json::array({sample_vpn(), weak}).dump(), d));
  bool seen = false;
  for (const auto& x : d.items()) {
    if (x.code != "MCC-M001") continue;
    seen = true;
    ASSERT_TRUE(x.object.has_value()) << x.message;
    EXPECT_EQ(*x.object, 1u);
    EXPECT_EQ(x.row, "iosVpnSecurityAssociationParameters#1") << "the table row that produced it";
  }
  EXPECT_TRUE(seen) << all_lines(d);
}

TEST(Pipeline, TablesGivenAsTextCompileAsTheBuiltInOnes) {
  std::vector<TableText> tables;
  for (const auto& e : fs::directory_iterator(source_dir() / "mappings"))
    if (e.path().extension() == ".json" && e.path().filename() != "schema.json")
      tables.push_back({e.path().filename().string(), read_file(e.path())});
  std::sort(tables.begin(), tables.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  Diagnostics d;
  auto from_text = Compiler::create(tables, d);
  ASSERT_TRUE(from_text) << all_lines(d);
  const std::vector<InputFile> inputs{{"vpn.json", read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json")}};
  CompileOptions o;
  o.now = 1'790'000'000;
  Diagnostics a, b;
  auto p1 = from_text->compile(inputs, o, a);
  auto p2 = compiler().compile(inputs, o, b);
  ASSERT_TRUE(p1 && p2) << all_lines(a) << all_lines(b);
  EXPECT_EQ(serialize_plist(p1->root, PlistFormat::xml), serialize_plist(p2->root, PlistFormat::xml));
  EXPECT_EQ(all_lines(a), all_lines(b));
}

TEST(Resolver, IdsFirstThenNamesAndTypesIgnoringCase) {
  std::vector<std::string> ids{"a", "b", "c", "d"}, names{"Root", "SCEP", "SCEP", ""}, types{"iosTrustedRootCertificate",
                                                                                          "iosScepCertificateProfile",
                                                                                          "macOSScepCertificateProfile", "x"};
  std::vector<link::Candidate> candidates;
  for (std::size_t i = 0; i < ids.size(); ++i) candidates.push_back({ids[i], names[i], types[i]});
  const link::Resolver r(candidates);
  const std::vector<std::string> none;

  std::vector<std::string> by_id{"b"}, by_name{"SCEP"}, root_name{"Root"}, typed{"IOSSCEPCERTIFICATEPROFILE"};
  auto m = r.resolve({by_id, by_name, none}, 3);
  EXPECT_TRUE(m.by_id);
  ASSERT_EQ(m.count, 1u);
  EXPECT_EQ(m.first.front(), 1u);

  m = r.resolve({none, by_name, none}, 3);  // a name alone: both SCEP profiles
  EXPECT_FALSE(m.by_id);
  EXPECT_EQ(m.count, 2u);
  EXPECT_EQ(m.first, (std::vector<std::size_t>{1, 2}));

  m = r.resolve({none, by_name, typed}, 3);  // name and type, the type in another case
  ASSERT_EQ(m.count, 1u);
  EXPECT_EQ(m.first.front(), 1u);

  m = r.resolve({none, root_name, none}, 0);  // the referrer never names itself
  EXPECT_EQ(m.count, 0u);

  EXPECT_EQ(r.named("SCEP"), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(r.named("c"), (std::vector<std::size_t>{2}));
  EXPECT_TRUE(r.named("").empty());
}

// A plan over the three inputs of the linked golden file: the VPN's profile embeds the SCEP
// profile and its root, and is the profile a single compile of the three makes.
TEST(BatchPlan, ProfilesEmbedWhatTheyReferenceAndMatchASingleCompile) {
  const std::vector<std::string> files{"input1-vpn.json", "input2-scep.json", "input3-root.json"};
  std::vector<InputFile> inputs;
  for (const auto& f : files) inputs.push_back({f, read_file(kLinked / f)});
  const CompileOptions options = linked_options();

  BatchPlan plan(compiler(), options);
  for (const auto& in : inputs) {
    Diagnostics d;
    auto objects = compiler().scan(in, options, d);
    ASSERT_FALSE(d.has_errors()) << all_lines(d);
    plan.add_input(in.name, std::move(objects));
  }
  plan.seal();
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan.embedded(0), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(plan.embedded(1), (std::vector<std::size_t>{2}));
  EXPECT_TRUE(plan.embedded(2).empty());

  std::map<std::size_t, int> reads;
  plan.prepare_embedded([&](std::size_t i) -> std::optional<std::string> {
    ++reads[i];
    return inputs[plan.input_of(i)].bytes;
  });
  // Each embedded object is read once, however many profiles embed it.
  EXPECT_EQ(reads, (std::map<std::size_t, int>{{1, 1}, {2, 1}}));

  Diagnostics batch_diags, single_diags;
  auto from_plan = plan.compile(0, inputs[0].bytes, batch_diags);
  auto single = compiler().compile(inputs, options, single_diags);
  ASSERT_TRUE(from_plan && single) << all_lines(batch_diags) << all_lines(single_diags);
  EXPECT_EQ(serialize_plist(from_plan->root, PlistFormat::xml), serialize_plist(single->root, PlistFormat::xml));
}

// An embedded object with errors is left out, and the profile says so once; its own errors
// are its own profile's.
TEST(BatchPlan, AnEmbeddedObjectWithErrorsIsLeftOutAndNamed) {
  json root = json::parse(read_file(kLinked / "input3-root.json"));
  root["trustedRootCertificate"] = 42;  // wrong type: an error in the root's own profile
  std::vector<InputFile> inputs{{"vpn.json", read_file(kLinked / "input1-vpn.json")},
                                {"scep.json", read_file(kLinked / "input2-scep.json")},
                                {"root.json", root.dump()}};
  const CompileOptions options = linked_options();
  BatchPlan plan(compiler(), options);
  for (const auto& in : inputs) {
    Diagnostics d;
    plan.add_input(in.name, compiler().scan(in, options, d));
  }
  plan.seal();
  plan.prepare_embedded([&](std::size_t i) -> std::optional<std::string> { return inputs[plan.input_of(i)].bytes; });
  Diagnostics scep;
  auto profile = plan.compile(1, inputs[1].bytes, scep);
  ASSERT_TRUE(profile) << all_lines(scep);
  EXPECT_EQ(profile->root.find("PayloadContent")->as_array().size(), 1u);
  EXPECT_NE(all_lines(scep).find("which has errors (reported with its own profile); it is not embedded"), std::string::npos)
      << all_lines(scep);
  for (const auto& x : scep.items()) EXPECT_NE(x.file, "root.json") << "the root's own errors are its own profile's";
  Diagnostics own;
  EXPECT_FALSE(plan.compile(2, inputs[2].bytes, own));
  EXPECT_TRUE(own.has_errors());
}

}  // namespace
}  // namespace mcc::test
