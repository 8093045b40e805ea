// SPDX-License-Identifier: Apache-2.0
// Intune variables: kept verbatim by default, substituted on request (case-insensitive),
// once per string, kept whole inside subject values, and reported when unknown or left
// without a value.

#include <chrono>

#include <nlohmann/json.hpp>

#include "link/variables.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using link::find_variables;
using link::substitute_variables;

const char* kScep = R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "v1",
  "displayName": "SCEP for {{UserName}}",
  "subjectNameFormat": "custom", "subjectNameFormatString": "CN={{UserName}},OU=\"{{OnPrem_Distinguished_Name}}\",O=Contoso",
  "customSubjectAlternativeNames": [{"sanType": "userPrincipalName", "name": "{{userprincipalname}}"}],
  "scepServerUrls": ["https://scep.example/"], "keySize": "size2048", "keyUsage": "keyEncipherment"})";

const Value& scep_content(const CompiledProfile& p) {
  return *p.root.find("PayloadContent")->as_array()[0].find("PayloadContent");
}

bool has_braces(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::string: return v.as_string().find("{{") != std::string::npos;
    case Value::Kind::array:
      for (const auto& e : v.as_array())
        if (has_braces(e)) return true;
      return false;
    case Value::Kind::dict:
      for (const auto& m : v.as_dict())
        if (has_braces(m.value)) return true;
      return false;
    default: return false;
  }
}

TEST(Variables, FindsNamesAndIgnoresNonNames) {
  auto refs = find_variables("a{{UserName}}b{{ x }}{{{DeviceId}}}{{}}{{E-1_x}}");
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].name, "UserName");
  EXPECT_EQ(refs[1].name, "DeviceId");
  EXPECT_EQ(refs[2].name, "E-1_x");
}

TEST(Variables, FindsNamesNextToStrayBraces) {
  auto refs = find_variables("{{a{{{b}}x{{c-d}}}}{{e");
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].name, "b");
  EXPECT_EQ(refs[0].begin, 4u);
  EXPECT_EQ(refs[0].end, 9u);
  EXPECT_EQ(refs[1].name, "c-d");
}

// "{{" 500,000 times took 18 s when each one looked for its "}}" to the end of the text.
TEST(Variables, ScanIsLinear) {
  std::string braces;
  for (int i = 0; i < 500'000; ++i) braces += "{{";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(find_variables(braces).empty());
  EXPECT_TRUE(find_variables(braces + "}}").empty());
  auto refs = find_variables(braces + "UserName}}");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].begin, braces.size() - 2);

  // Eight such strings through a whole compile, with values to substitute (69 s before).
  nlohmann::json j = nlohmann::json::parse(kScep);
  j["displayName"] = braces;
  j["description"] = braces;
  j["subjectNameFormatString"] = "CN=" + braces;
  j["customSubjectAlternativeNames"] = nlohmann::json::array();
  for (const char* type : {"userPrincipalName", "emailAddress", "domainNameService", "universalResourceIdentifier"})
    j["customSubjectAlternativeNames"].push_back({{"sanType", type}, {"name", braces + "{{UserName}}"}});
  j["scepServerUrls"] = {"https://scep.example/" + braces};
  CompileOptions o;
  o.variables = {{"UserName", "jdoe"}};
  Diagnostics d;
  (void)compile_json(j.dump(), d, o);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// A value is inserted as it is: its own "{{...}}" is never substituted again, in the
// Subject (parsed before substitution) as in any other string.
TEST(Variables, AValueIsNeverSubstitutedAgain) {
  CompileOptions o;
  o.variables = {{"UserPrincipalName", "{{EmailAddress}}"}, {"EmailAddress", "SECOND"}};
  Diagnostics d;
  auto p = compile_json(R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "v2",
    "subjectNameFormat": "custom", "subjectNameFormatString": "CN={{UserPrincipalName}},E={{EmailAddress}}",
    "customSubjectAlternativeNames": [{"sanType": "userPrincipalName", "name": "{{UserPrincipalName}}"}],
    "scepServerUrls": ["https://scep.example/"], "keySize": "size2048", "keyUsage": "keyEncipherment"})", d, o);
  ASSERT_TRUE(p) << all_lines(d);
  const auto& subject = scep_content(*p).find("Subject")->as_array();
  ASSERT_EQ(subject.size(), 2u);
  EXPECT_EQ(subject[0].as_array()[0].as_array()[1].as_string(), "{{EmailAddress}}");
  EXPECT_EQ(subject[1].as_array()[0].as_array()[1].as_string(), "SECOND");
  EXPECT_EQ(scep_content(*p).find("SubjectAltName")->find("ntPrincipalName")->as_string(), "{{EmailAddress}}");
  for (const auto& x : d.items()) EXPECT_NE(x.code, "MCC-M015") << format_diagnostic(x);
}

TEST(Variables, SubstitutionIsCaseInsensitiveAndSinglePass) {
  std::map<std::string, std::string> v{{"username", "{{EmailAddress}}"}, {"{{EMAILADDRESS}}", "j@x"}};
  EXPECT_EQ(substitute_variables("{{UserName}}/{{emailaddress}}/{{Other}}", v), "{{EmailAddress}}/j@x/{{Other}}");
  EXPECT_EQ(substitute_variables("{{UserName}}", {}), "{{UserName}}");
}

TEST(Variables, KeptVerbatimByDefault) {
  Diagnostics d;
  auto p = compile_json(kScep, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_TRUE(has_braces(scep_content(*p)));
  for (const auto& x : d.items()) EXPECT_NE(x.code, "MCC-M014") << format_diagnostic(x);
}

TEST(Variables, VarLeavesNoBracesAndEscapesSubjectValues) {
  CompileOptions o;
  o.variables = {{"USERNAME", "Doe, Jane"}, {"OnPrem_Distinguished_Name", "CN=Jane \"JD\" Doe,OU=Users"},
                 {"UserPrincipalName", "jane@contoso.example"}};
  o.scep_challenge = "s3cret-challenge";
  Diagnostics d;
  auto p = compile_json(kScep, d, o);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_FALSE(has_braces(p->root)) << serialize_plist(p->root, PlistFormat::xml);
  const auto& subject = scep_content(*p).find("Subject")->as_array();
  ASSERT_EQ(subject.size(), 3u);
  EXPECT_EQ(subject[0].as_array()[0].as_array()[1].as_string(), "Doe, Jane");
  EXPECT_EQ(subject[1].as_array()[0].as_array()[1].as_string(), "CN=Jane \"JD\" Doe,OU=Users");
  EXPECT_EQ(scep_content(*p).find("SubjectAltName")->find("ntPrincipalName")->as_string(), "jane@contoso.example");
  EXPECT_EQ(scep_content(*p).find("Challenge")->as_string(), "s3cret-challenge");
  EXPECT_EQ(all_lines(d).find("s3cret"), std::string::npos);
}

TEST(Variables, UnknownAndMissingVariablesWarn) {
  std::string json = std::string(kScep);
  json.replace(json.find("O=Contoso"), 9, "O={{Compnay}}");
  CompileOptions o;
  o.variables = {{"UserName", "jdoe"}};
  Diagnostics d;
  auto p = compile_json(json, d, o);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_TRUE(has_diag(d, "MCC-M014", "/subjectNameFormat")) << all_lines(d);
  EXPECT_TRUE(has_diag(d, "MCC-M015", "/customSubjectAlternativeNames")) << all_lines(d);
}

TEST(Variables, ChallengeFromAVariableAndNeverPrinted) {
  CompileOptions o;
  o.variables = {{"scepchallenge", "from-var-42"}};
  Diagnostics d;
  auto p = compile_json(kScep, d, o);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(scep_content(*p).find("Challenge")->as_string(), "from-var-42");
  EXPECT_EQ(all_lines(d).find("from-var-42"), std::string::npos);
  Diagnostics none;
  ASSERT_TRUE(compile_json(kScep, none));
  EXPECT_TRUE(has_diag(none, "MCC-M013", "")) << all_lines(none);
}

}  // namespace
}  // namespace mcc::test
