// SPDX-License-Identifier: Apache-2.0
// One code means one situation (issue 13): each code split out of the catch-all MCC-M008
// (notes) and MCC-M009 (transforms that gave up) is reported for its own situation, through
// the public API or the binary. Library messages never spell a command-line option: the
// tool adds its hint from Diagnostic::argument when it prints.

#include <regex>

#include <nlohmann/json.hpp>

#include "cli/diagnostics_printer.hpp"
#include "schema/apple_schema.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json golden_input(const std::string& folder) {
  return json::parse(read_file(source_dir() / "tests" / "golden" / folder / "input.json"));
}
json scep() { return golden_input("pass/ios-scep-user-certificate"); }
json custom_vpn() { return golden_input("pass/ios-vpn-customVpn"); }

// The one diagnostic with `code`, as the tool prints it ("" when there is none or several).
std::string printed(const Diagnostics& d, std::string_view code) {
  std::string line;
  int n = 0;
  for (const auto& x : d.items())
    if (x.code == code) {
      line = cli::format_for_command_line(x);
      ++n;
    }
  return n == 1 ? line : std::string();
}

Diagnostics compile_object(const json& object, const CompileOptions& options = {}) {
  Diagnostics d;
  (void)compile_json(object.dump(), d, options);
  return d;
}

TEST(DiagnosticCodes, EmptySubjectIsM022) {
  json j = scep();
  j["subjectNameFormatString"] = "";
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M022"), "test.json: /subjectNameFormatString: warning MCC-M022: no subject name is given; the "
                                    "certificate request has an empty subject")
      << all_lines(d);
}

TEST(DiagnosticCodes, RepeatedKeyValueKeyIsM023) {
  json j = custom_vpn();
  j["customData"] = json::array({{{"key", "mode"}, {"value", "a"}}, {{"key", "mode"}, {"value", "b"}}});
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M023"),
            "test.json: /customData/1: warning MCC-M023: key 'mode' repeats an earlier entry; the later value wins")
      << all_lines(d);
}

TEST(DiagnosticCodes, ScepUrlThatIsNotHttpIsM024) {
  json j = scep();
  j["scepServerUrls"] = json::array({"ndes.contoso.example"});
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M024"), "test.json: /scepServerUrls/0: warning MCC-M024: the SCEP server URL "
                                    "\"ndes.contoso.example\" is not an http:// or https:// URL")
      << all_lines(d);
}

TEST(DiagnosticCodes, SanTypeWithoutAppleKeyIsM025) {
  json j = scep();
  j["customSubjectAlternativeNames"] = json::array({{{"sanType", "customAzureADAttribute"}, {"name", "onPremisesSamAccountName"}}});
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M025"), "test.json: /customSubjectAlternativeNames/0: warning MCC-M025: subject alternative names "
                                    "of type customAzureADAttribute have no key in Apple's SCEP payload; this one is left out")
      << all_lines(d);
}

TEST(DiagnosticCodes, SecondSanOfATypeIsM026) {
  // Apple takes several dNSName, rfc822Name and URI values; ntPrincipalName takes one.
  json j = scep();
  j["customSubjectAlternativeNames"] = json::array({{{"sanType", "userPrincipalName"}, {"name", "a@contoso.example"}},
                                                    {{"sanType", "userPrincipalName"}, {"name", "b@contoso.example"}}});
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M026"), "test.json: /customSubjectAlternativeNames/1: warning MCC-M026: a second userPrincipalName "
                                    "subject alternative name: Apple's ntPrincipalName takes a single string, and the profile "
                                    "keeps the first (from /customSubjectAlternativeNames/0)")
      << all_lines(d);
}

TEST(DiagnosticCodes, SanWithoutValueIsM027) {
  json j = scep();
  j["customSubjectAlternativeNames"] = json::array({{{"sanType", "userPrincipalName"}, {"name", ""}}});
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M027"), "test.json: /customSubjectAlternativeNames/0: warning MCC-M027: subject alternative name "
                                    "of type userPrincipalName has no value; it is left out")
      << all_lines(d);
}

TEST(DiagnosticCodes, UndocumentedLegacySanFlagIsM028) {
  json j = scep();
  j["subjectAlternativeNameType"] = "domainNameService";
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M028"), "test.json: /subjectAlternativeNameType: warning MCC-M028: the legacy subject alternative "
                                    "name flag domainNameService has no documented value; add it to "
                                    "/customSubjectAlternativeNames with the value to request")
      << all_lines(d);
}

TEST(DiagnosticCodes, ChosenVpnSubtypeReplacingTheObjectsIsM029) {
  CompileOptions o;
  o.vpn_subtype = "com.example.other";
  auto d = compile_object(custom_vpn(), o);
  EXPECT_EQ(printed(d, "MCC-M029"), "test.json: /identifier: warning MCC-M029: the chosen VPN subtype com.example.other "
                                    "replaces \"com.contoso.vpn\" as VPNSubType (chosen with --vpn-subtype)")
      << all_lines(d);
}

TEST(DiagnosticCodes, KeyValueEntryWithoutKeyIsM030) {
  json j = custom_vpn();
  j["customData"] = json::array({{{"key", ""}, {"value", "a"}}});
  auto d = compile_object(j);
  EXPECT_EQ(printed(d, "MCC-M030"), "test.json: /customData/0: error MCC-M030: entry needs a non-empty string 'key'")
      << all_lines(d);
}

TEST(DiagnosticCodes, ScepUrlIndexOutOfRangeIsM031) {
  CompileOptions o;
  o.scep_url_index = 3;
  auto d = compile_object(scep(), o);
  EXPECT_EQ(printed(d, "MCC-M031"), "test.json: /scepServerUrls: error MCC-M031: SCEP server URL index 3 is out of range: 1 "
                                    "SCEP server URLs are given (0 to 0) (choose another with --scep-url-index)")
      << all_lines(d);
}

class TableCodes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_scratch_dir("codes-tables");
    for (const auto& e : fs::directory_iterator(source_dir() / "mappings"))
      if (e.path().extension() == ".json") fs::copy_file(e.path(), dir_ / e.path().filename());
  }
  void TearDown() override { fs::remove_all(dir_); }
  void add_row(const std::string& table, const json& row) {
    json j = json::parse(read_file(dir_ / (table + ".json")));
    j["rows"].push_back(row);
    write_file(dir_ / (table + ".json"), j.dump(2));
  }
  Diagnostics compile_with_tables(const json& object) {
    Diagnostics d;
    auto c = Compiler::create(dir_.string(), d);
    if (!c) return d;
    (void)c->compile({InputFile{"test.json", object.dump()}}, {}, d);
    return d;
  }
  fs::path dir_;
};

TEST_F(TableCodes, InvalidBase64IsM009) {
  add_row("vpnProxyServer", {{"from", "/address"}, {"to", "Raw"}, {"as", "data"}});
  json j = custom_vpn();
  j["proxyServer"] = {{"address", "proxy.contoso.example!"}, {"port", 8080}};
  auto d = compile_with_tables(j);
  EXPECT_EQ(printed(d, "MCC-M009"), "test.json: /proxyServer/address: error MCC-M009: not valid base64") << all_lines(d);
}

TEST_F(TableCodes, TableThatContainsItselfIsM032) {
  add_row("vpnProxyServer", {{"from", ""}, {"to", "Again"}, {"table", "vpnProxyServer"}});  // the object itself, again
  json j = custom_vpn();
  j["proxyServer"] = {{"address", "proxy.contoso.example"}, {"port", 8080}};
  auto d = compile_with_tables(j);
  EXPECT_EQ(printed(d, "MCC-M032"), "test.json: /proxyServer: error MCC-M032: mapping tables nest too deeply or expand too far "
                                    "(a table that contains itself?)")
      << all_lines(d);
}

TEST_F(TableCodes, NullInACopiedValueIsM033) {
  add_row("vpnProxyServer", {{"value", json::array({nullptr})}, {"to", "Nulls"}});
  json j = custom_vpn();
  j["proxyServer"] = {{"address", "proxy.contoso.example"}, {"port", 8080}};
  auto d = compile_with_tables(j);
  EXPECT_EQ(printed(d, "MCC-M033"), "test.json: /proxyServer: error MCC-M033: a null cannot be copied to Nulls") << all_lines(d);
}

// The library names the option neutrally; the tool's printer spells it.
TEST(DiagnosticArguments, TheToolAppendsTheOptionHint) {
  Diagnostics d;
  json j = scep();
  j.erase("@odata.type");
  (void)compile_json(j.dump(), d);
  ASSERT_FALSE(d.empty());
  const Diagnostic& r005 = d.items().front();
  EXPECT_EQ(r005.code, "MCC-R005");
  EXPECT_EQ(r005.argument, "type");
  EXPECT_EQ(r005.message, "no @odata.type; name the graph type");
  EXPECT_EQ(cli::format_for_command_line(r005), "test.json: error MCC-R005: no @odata.type; name the graph type with --type");

  Diagnostic var{Severity::warning, "MCC-M015", "x.json", "/a", "no value given for {{A}}; it is kept verbatim", "var", "A"};
  EXPECT_EQ(cli::format_for_command_line(var),
            "x.json: /a: warning MCC-M015: no value given for {{A}}; it is kept verbatim (give it a value with --var A=...)");
  // A hint quoting input text is escaped like the rest of the line.
  var.argument_value = "A\nB";
  EXPECT_EQ(cli::format_for_command_line(var).find('\n'), std::string::npos);
}

TEST(DiagnosticArguments, TheBinaryPrintsTheHints) {
  const fs::path dir = make_scratch_dir("codes-hints");
  json j = scep();
  j.erase("@odata.type");
  write_file(dir / "untyped.json", j.dump());
  auto r = run_binary("compile " + (dir / "untyped.json").string() + " -o " + (dir / "x.mobileconfig").string(), dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error MCC-R005: no @odata.type; name the graph type with --type\n"), std::string::npos) << r.err;
  write_file(dir / "scep.json", scep().dump());
  auto s = run_binary("compile " + (dir / "scep.json").string() + " -o " + (dir / "s.mobileconfig").string(), dir);
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.err.find("warning MCC-M013: the SCEP payload has no Challenge, so the device will need one that the SCEP server "
                       "accepts; Intune issues a one-time challenge per device; give one with --scep-challenge or --var "
                       "SCEPChallenge=...\n"),
            std::string::npos)
      << s.err;
  fs::remove_all(dir);
}

// A --vars file of the wrong shape is R009, not "invalid json" (R003).
TEST(DiagnosticCodes, VariablesFileOfTheWrongShapeIsR009) {
  const fs::path dir = make_scratch_dir("codes-vars");
  write_file(dir / "scep.json", scep().dump());
  write_file(dir / "list.json", "[\"UserName\"]");
  write_file(dir / "number.json", "{\"UserName\": 1}");
  const std::string compile = "compile " + (dir / "scep.json").string() + " -o " + (dir / "x.mobileconfig").string() + " --vars ";
  auto list = run_binary(compile + (dir / "list.json").string(), dir);
  EXPECT_EQ(list.code, 1);
  EXPECT_NE(list.err.find((dir / "list.json").string() + ": error MCC-R009: not a file of variables: expected a JSON object of "
                          "variable names and string values\n"),
            std::string::npos)
      << list.err;
  auto number = run_binary(compile + (dir / "number.json").string(), dir);
  EXPECT_EQ(number.code, 1);
  EXPECT_NE(number.err.find((dir / "number.json").string() +
                            ": error MCC-R009: not a file of variables: the value of 'UserName' is not a string\n"),
            std::string::npos)
      << number.err;
  fs::remove_all(dir);
}

// No message the library makes spells a command-line option ("--var", "--link"): the
// catalogue and every layer below the CLI hold no string literal with one.
TEST(DiagnosticArguments, NoLibraryMessageSpellsAnOption) {
  const std::regex literal_with_option(R"re("(?:[^"\\\n]|\\.)*--[a-z](?:[^"\\\n]|\\.)*")re");
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(source_dir() / "src")) {
    const auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    if (e.path().parent_path().filename() == "cli") continue;
    ++files;
    std::string text = read_file(e.path());
    std::size_t line_no = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      ++line_no;
      auto code = line.substr(0, line.find("//"));  // comments may name options
      std::smatch m;
      if (std::regex_search(code, m, literal_with_option))
        ADD_FAILURE() << e.path().string() << ":" << line_no << ": " << m.str();
    }
  }
  EXPECT_GT(files, 20u);
}

// validate reports each finding as a diagnostic of its own code, with a JSON pointer into
// the plist, printed like every other diagnostic.
class ValidateCodes : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_scratch_dir("codes-validate");
    profile_ = read_file(source_dir() / "tests" / "golden" / "pass" / "ikev2-shared-secret-for-macos" / "expected.mobileconfig");
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The profile with `from` replaced by `to` (once), validated by the binary.
  RunResult validate(const std::string& from, const std::string& to, const std::string& platform = "macos") {
    std::string text = profile_;
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    write_file(dir_ / "p.mobileconfig", text);
    return run_binary("validate " + (dir_ / "p.mobileconfig").string() + " --platform " + platform, dir_);
  }
  std::string line(const std::string& rest) { return (dir_ / "p.mobileconfig").string() + ": " + rest + "\n"; }
  fs::path dir_;
  std::string profile_;
};

TEST_F(ValidateCodes, AValidProfileSatisfiesTheSchema) {
  auto r = validate("<integer>1360</integer>", "<integer>1360</integer>");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("satisfies apple's schema for macos"), std::string::npos) << r.out;
}

TEST_F(ValidateCodes, MissingKeyIsV001) {
  auto r = validate("<key>PayloadType</key>\n\t<string>Configuration</string>", "");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadType: error MCC-V001: PayloadType is required"));
}

TEST_F(ValidateCodes, WrongTypeIsV002) {
  auto r = validate("<integer>1360</integer>", "<string>1360</string>");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/MTU: error MCC-V002: IKEv2.MTU must be an integer, not a string"));
}

TEST_F(ValidateCodes, ValueNotAllowedIsV003) {
  auto r = validate("<string>Medium</string>", "<string>Sometimes</string>");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/DeadPeerDetectionRate: error MCC-V003: IKEv2.DeadPeerDetectionRate has a "
                        "value that is not allowed (allowed: None, Low, Medium, High)"));
}

TEST_F(ValidateCodes, UnknownKeyIsV004) {
  auto r = validate("<key>MTU</key>", "<key>Foo/Bar</key><string>x</string><key>MTU</key>");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/Foo~1Bar: error MCC-V004: IKEv2.Foo/Bar is not a key of this payload in "
                        "Apple's schema"));
}

// A payload type the schema does not carry is not a failure: a note that names it.
TEST_F(ValidateCodes, UnknownPayloadTypeIsV005) {
  auto r = validate("<string>com.apple.vpn.managed</string>", "<string>com.example.nothing</string>");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/0/PayloadType: note MCC-V005: payload type 'com.example.nothing' is not in "
                        "Apple's schema as mobileconfigc carries it; its keys were not checked"));
}

// A device ignores a key its platform does not have: a warning.
TEST_F(ValidateCodes, KeyNotOnThePlatformIsV006) {
  auto r = validate("<key>MTU</key>", "<key>OnDemandUserOverrideDisabled</key><integer>1</integer><key>MTU</key>");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, line("/PayloadContent/0/IKEv2/OnDemandUserOverrideDisabled: warning MCC-V006: "
                        "IKEv2.OnDemandUserOverrideDisabled is not available on macos; devices there ignore it"));
}

TEST_F(ValidateCodes, KeyRequiredByAnotherIsV008) {
  auto r = validate("<key>VPNType</key>",
                    "<key>Proxies</key><dict><key>HTTPProxy</key><string>proxy.contoso.example</string></dict><key>VPNType</key>");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, line("/PayloadContent/0/Proxies/HTTPPort: error MCC-V008: Proxies.HTTPPort is required when "
                        "Proxies.HTTPProxy is set"));
}

// No built-in payload type is missing from a platform: a schema of one payload shows V007.
TEST(ValidateSchemaCodes, PayloadTypeNotOnThePlatformIsV007) {
  Diagnostics d;
  auto schema = schema::AppleSchema::from_json(
      json::parse(R"({"common": {"keys": {"PayloadType": {"type": "string"}}}, "toplevel": {"keys": {}},
                     "payloads": {"com.example.ios-only": {"platforms": {"macos": "n/a"}, "keys": {}}}})"),
      json::object(), d);
  ASSERT_TRUE(schema) << all_lines(d);
  Value payload{Dict{}};
  payload.set("PayloadType", Value("com.example.ios-only"));
  for (const auto& issue : schema->validate_payload(payload, Platform::ios)) ADD_FAILURE() << format_diagnostic(issue.diagnostic);
  auto issues = schema->validate_payload(payload, Platform::macos);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(format_diagnostic(issues[0].diagnostic),
            "/PayloadType: error MCC-V007: payload type com.example.ios-only is not available on macos");
}

}  // namespace
}  // namespace mcc::test
