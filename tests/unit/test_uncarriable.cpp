// SPDX-License-Identifier: Apache-2.0
// A property list is XML 1.0 text: C0 control characters other than tab, LF and CR, U+FFFE,
// U+FFFF and bytes that are not UTF-8 cannot be in it. Whatever way such a character comes
// in (a Graph string, a subject escape, --var, --identifier-prefix, the SCEP challenge), no
// profile holding it is written, the serializer refuses it, and `validate` reports it.

#include "mobileconfigc/plist.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

const char* kScep = R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "u1",
  "displayName": "SCEP", "subjectNameFormat": "custom", "subjectNameFormatString": "CN={{UserName}},O=Contoso",
  "scepServerUrls": ["https://scep.example/"], "keySize": "size2048", "keyUsage": "keyEncipherment"})";

std::string with(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  if (pos == std::string::npos) ADD_FAILURE() << "no " << from;
  else text.replace(pos, from.size(), to);
  return text;
}

// The one MCC-P003 message, when there is one.
std::string p003(const Diagnostics& d) {
  for (const auto& x : d.items())
    if (x.code == "MCC-P003") return x.message;
  return "";
}

TEST(Uncarriable, TheXmlCheckOfTheSuiteSeesWhatIsNotWellFormed) {
  // The check every profile written by the tests goes through (support/test_support.hpp).
  EXPECT_EQ(xml_problem("<?xml version=\"1.0\"?><a>x\ty</a>"), "");
  EXPECT_NE(xml_problem("<?xml version=\"1.0\"?><a>x\x01y</a>"), "");
  EXPECT_NE(xml_problem("<?xml version=\"1.0\"?><a>x\xEF\xBF\xBFy</a>"), "");
  EXPECT_NE(xml_problem("<?xml version=\"1.0\"?><a>x&#xFFFE;y</a>"), "");
  EXPECT_EQ(xml_problem("bplist00"), "") << "not XML: not its business";
}

TEST(Uncarriable, TheSerializerRefusesAndNamesTheKeyPath) {
  for (const std::string bad : {std::string("a\x01z"), std::string("a\0z", 3), std::string("a\xEF\xBF\xBEz"),
                                std::string("a\xEF\xBF\xBFz"), std::string("a\xC3z"), std::string("\xED\xA0\x80")}) {
    Value inner;
    inner.set("Inner", bad);
    Value v;
    v.set("Outer", Array{Value("fine"), inner});
    for (auto format : {PlistFormat::xml, PlistFormat::binary}) {
      Diagnostics d;
      EXPECT_FALSE(serialize_plist(v, format, "out.mobileconfig", d));
      ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
      EXPECT_EQ(d.items()[0].file, "out.mobileconfig");
      EXPECT_NE(p003(d).find("Outer[1].Inner holds "), std::string::npos) << all_lines(d);
      EXPECT_EQ(serialize_plist(v, format), "") << "the unchecked form writes nothing either";
    }
  }
  Value b;
  b.set("B\x02", "x");
  Value key;
  key.set("A", b);
  Diagnostics d;
  EXPECT_FALSE(serialize_plist(key, PlistFormat::xml, "k", d));
  EXPECT_EQ(p003(d), "a key of A holds a control character (U+0002), which a property list cannot carry");
}

TEST(Uncarriable, TabLineFeedAndCarriageReturnAreCarried) {
  Value v;
  v.set("Text", "a\tb\nc\rd \xF0\x9F\x94\x91");
  Diagnostics d;
  auto xml = serialize_plist(v, PlistFormat::xml, "t", d);
  ASSERT_TRUE(xml) << all_lines(d);
  EXPECT_EQ(xml_problem(*xml), "");
}

TEST(Uncarriable, NoncharactersInAGraphStringAreRefusedAtTheirPointer) {
  for (const char* nonchar : {"\\uFFFE", "\\uFFFF"}) {
    Diagnostics d;
    EXPECT_FALSE(compile_json(with(kScep, "\"displayName\": \"SCEP\"", std::string("\"displayName\": \"SC") + nonchar + "EP\""), d));
    EXPECT_DIAG(d, "MCC-P003", "/displayName");
    EXPECT_EQ(d.count(Severity::error), 1u) << "the profile's and the payload's display name: one report\n" << all_lines(d);
    EXPECT_NE(p003(d).find(std::string("the noncharacter U+") + (nonchar + 2)), std::string::npos) << all_lines(d);
  }
}

TEST(Uncarriable, AControlCharacterFromASubjectEscapeIsNotAValidSubject) {
  for (const char* escape : {"\\\\01", "\\\\1f", "\\\\00"}) {
    Diagnostics d;
    EXPECT_FALSE(compile_json(with(kScep, "CN={{UserName}}", std::string("CN=a") + escape + "b"), d));
    EXPECT_DIAG(d, "MCC-M018", "/subjectNameFormatString");
    EXPECT_NE(all_lines(d).find("a value holding a"), std::string::npos) << all_lines(d);
  }
  Diagnostics tab;
  EXPECT_TRUE(compile_json(with(kScep, "CN={{UserName}}", "CN=a\\\\09b"), tab)) << all_lines(tab);
}

TEST(Uncarriable, OptionsThatBypassTheGraphChecksAreRefused) {
  struct Case {
    const char* name;
    CompileOptions options;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({"prefix", {}, "the identifier prefix holds a control character (U+0001)"});
  cases.back().options.identifier_prefix = "org.\x01x";
  cases.push_back({"prefix-tab", {}, "the identifier prefix holds a control character (U+0009)"});
  cases.back().options.identifier_prefix = "org\texample";
  cases.push_back({"var", {}, "the value of variable UserName holds a control character (U+001B)"});
  cases.back().options.variables = {{"UserName", "jane\x1b[31m"}};
  cases.push_back({"var-nonchar", {}, "the value of variable UserName holds the noncharacter U+FFFF"});
  cases.back().options.variables = {{"UserName", "jane\xEF\xBF\xBF"}};
  cases.push_back({"challenge-nul", {}, "the SCEP challenge holds a NUL character"});
  cases.back().options.scep_challenge = std::string("s3cret\0tail", 11);
  cases.push_back({"challenge-control", {}, "the SCEP challenge holds a control character (U+0007)"});
  cases.back().options.scep_challenge = "s3cret\atail";
  cases.push_back({"subtype", {}, "the VPN subtype holds a control character (U+000A)"});
  cases.back().options.vpn_subtype = "com.example\n";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Diagnostics d;
    EXPECT_FALSE(compile_json(kScep, d, c.options));
    EXPECT_DIAG(d, "MCC-P003", "");
    EXPECT_NE(p003(d).find(c.message), std::string::npos) << all_lines(d);
    EXPECT_EQ(all_lines(d).find("s3cret"), std::string::npos) << "a challenge is never echoed";
    EXPECT_EQ(all_lines(d).find("tail"), std::string::npos) << "a challenge is never echoed";
  }
  CompileOptions fine;
  fine.variables = {{"UserName", "Jane\tDoe"}};
  fine.scep_challenge = "s3cret";
  Diagnostics d;
  EXPECT_TRUE(compile_json(kScep, d, fine)) << all_lines(d);
}

class UncarriableCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_scratch_dir("uncarriable");
    write_file(dir_ / "scep.json", kScep);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Exit 1, MCC-P003 with `message`, and no profile written.
  void expect_refused(const std::string& args, const std::string& message) {
    auto r = run_binary("compile " + (dir_ / "scep.json").string() + " -o " + (dir_ / "out.mobileconfig").string() + " " + args, dir_);
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("error MCC-P003: " + message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));
  }
  fs::path dir_;
};

TEST_F(UncarriableCli, ControlCharactersInVarPrefixAndChallengeFileAreRefused) {
  expect_refused("--var \"UserName=$(printf 'a\\001b')\"", "the value of variable UserName holds a control character (U+0001)");
  write_file(dir_ / "vars.json", R"({"UserName": "a\uFFFEb"})");
  expect_refused("--vars " + (dir_ / "vars.json").string(), "the value of variable UserName holds the noncharacter U+FFFE");
  // The command line refuses a prefix that is not reverse DNS before compiling (issue 16
  // item 8): a usage error that shows the character escaped.
  auto prefix = run_binary("compile " + (dir_ / "scep.json").string() + " -o " + (dir_ / "out.mobileconfig").string() +
                               " --identifier-prefix \"$(printf 'org.\\033x')\"",
                           dir_);
  EXPECT_EQ(prefix.code, 2) << prefix.err;
  EXPECT_NE(prefix.err.find("expected a reverse-DNS identifier"), std::string::npos) << prefix.err;
  EXPECT_EQ(prefix.err.find('\033'), std::string::npos) << prefix.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));
  write_file(dir_ / "challenge.txt", "s3cret\x01tail\n");
  expect_refused("--scep-challenge-file " + (dir_ / "challenge.txt").string(), "the SCEP challenge holds a control character");
}

TEST_F(UncarriableCli, ANulInTheChallengeFileIsAnErrorNotATruncation) {
  write_file(dir_ / "challenge.txt", std::string("s3cret\0tail\n", 12));
  expect_refused("--scep-challenge-file " + (dir_ / "challenge.txt").string(), "the SCEP challenge holds a NUL character");
  auto r = run_binary("compile " + (dir_ / "scep.json").string() + " -o - --scep-challenge-file " +
                          (dir_ / "challenge.txt").string(),
                      dir_);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("tail"), std::string::npos) << r.err;
}

std::string profile_named(const std::string& name) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
         "<key>PayloadContent</key><array/><key>PayloadDisplayName</key><string>" + name + "</string>"
         "<key>PayloadIdentifier</key><string>com.example</string><key>PayloadType</key><string>Configuration</string>"
         "<key>PayloadUUID</key><string>AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE</string>"
         "<key>PayloadVersion</key><integer>1</integer></dict></plist>\n";
}

TEST_F(UncarriableCli, XmlThatNoDeviceCanParseIsNotAProfile) {
  // libplist reads these; expat and the device do not. Nothing is validated, inspected or signed.
  write_file(dir_ / "good.mobileconfig", profile_named("Good"));
  auto good = run_binary("validate " + (dir_ / "good.mobileconfig").string(), dir_);
  ASSERT_EQ(good.code, 0) << good.out << good.err;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"&#xFFFF;", "PayloadDisplayName holds the noncharacter U+FFFF, which xml cannot carry"},
      {"\xEF\xBF\xBE", "PayloadDisplayName holds the noncharacter U+FFFE"},
      {"&#1;", "PayloadDisplayName holds a control character (U+0001)"},
      {"\x1f", "PayloadDisplayName holds a control character (U+001F)"}};
  const std::string bad = (dir_ / "bad.mobileconfig").string();
  for (const auto& [text, message] : cases) {
    write_file(bad, profile_named("Bad" + text));
    for (const std::string command : {"validate " + bad, "inspect " + bad, "verify " + bad,
                                      "sign " + bad + " -o " + (dir_ / "signed.mobileconfig").string() + " --sign-p12 none.p12"}) {
      auto r = run_binary(command, dir_);
      EXPECT_EQ(r.code, 1) << command << "\n" << r.out << r.err;
      EXPECT_NE(r.err.find("error MCC-P001: not a property list: " + message), std::string::npos) << r.err;
    }
    EXPECT_FALSE(fs::exists(dir_ / "signed.mobileconfig"));
  }
}

TEST_F(UncarriableCli, ValidateReportsWhatAPlistCannotCarryInABinaryProfile) {
  // A binary plist can hold a control character; a profile still may not.
  Diagnostics d;
  auto root = parse_plist(profile_named("Bad!"), "x", d);
  ASSERT_TRUE(root) << all_lines(d);
  auto binary = serialize_plist(*root, PlistFormat::binary, "x", d);
  ASSERT_TRUE(binary) << all_lines(d);
  auto bang = binary->find("Bad!");
  ASSERT_NE(bang, std::string::npos);
  (*binary)[bang + 3] = '\x01';
  write_file(dir_ / "bad.mobileconfig", *binary);
  auto r = run_binary("validate " + (dir_ / "bad.mobileconfig").string(), dir_);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("bad.mobileconfig: /PayloadDisplayName: error MCC-P003: PayloadDisplayName holds a control character "
                       "(U+0001), which a property list cannot carry\n"),
            std::string::npos)
      << r.out << r.err;
}

}  // namespace
}  // namespace mcc::test
