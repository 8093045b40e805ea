// SPDX-License-Identifier: Apache-2.0
// The RFC 4514 subject parser behind the SCEP Subject array, including hostile input.

#include "support/test_support.hpp"
#include "map/transforms/subject.hpp"

namespace mcc::test {
namespace {

using map::transforms::parse_subject;
using map::transforms::SubjectAttribute;

std::vector<std::vector<SubjectAttribute>> rdns(std::string_view text) {
  auto p = parse_subject(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.error;
  return p.rdns;
}

TEST(Subject, SimpleNameKeepsTheWrittenOrder) {
  auto r = rdns("CN=Jane Doe,O=Contoso,C=US");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0][0], (SubjectAttribute{"CN", "Jane Doe"}));
  EXPECT_EQ(r[1][0], (SubjectAttribute{"O", "Contoso"}));
  EXPECT_EQ(r[2][0], (SubjectAttribute{"C", "US"}));
}

TEST(Subject, EscapedCommaStaysInTheValue) {
  auto r = rdns(R"(OU=Sales\, EMEA,O=Contoso)");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0][0].value, "Sales, EMEA");
}

TEST(Subject, QuotedValuesLoseTheirQuotes) {
  auto r = rdns(R"(CN="Doe, Jane",OU="say \"hi\"")");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0][0].value, "Doe, Jane");
  EXPECT_EQ(r[1][0].value, "say \"hi\"");
}

TEST(Subject, PlusJoinsAttributesIntoOneRdn) {
  auto r = rdns("CN=Jane+UID=jdoe,O=Contoso");
  ASSERT_EQ(r.size(), 2u);
  ASSERT_EQ(r[0].size(), 2u);
  EXPECT_EQ(r[0][1], (SubjectAttribute{"UID", "jdoe"}));
}

TEST(Subject, HexEscapesSpacesOidsAndSemicolons) {
  auto r = rdns(R"(CN=Ren\C3\A9 ;  OID.2.5.4.5 = 42 , 1.2.3.4=x\ )");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0][0].value, "René");
  EXPECT_EQ(r[1][0], (SubjectAttribute{"2.5.4.5", "42"}));
  EXPECT_EQ(r[2][0], (SubjectAttribute{"1.2.3.4", "x "}));  // an escaped trailing space stays
}

TEST(Subject, VariablesAreOrdinaryText) {
  auto r = rdns("CN={{UserName}},E={{EmailAddress}}");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1][0], (SubjectAttribute{"E", "{{EmailAddress}}"}));
}

TEST(Subject, HostileSubjectsFailWithAReason) {
  for (const char* bad : {"", "   ", "CN", "=x", "CN=", "CN=x,", "CN=x+", ",CN=x", "CN=\"open", "CN=a\"b", "CN=x\\",
                          "CN=x\\q", "CN=\\4", "CN=\\zz", "CN=#0403", "C N=x", "1.=x", "1..2=x", "CN=\\00", "CN=\\C3",
                          "CN=\"x\"y", "-CN=x"}) {
    auto p = parse_subject(bad);
    EXPECT_FALSE(p.ok()) << "accepted: " << bad;
    EXPECT_TRUE(p.rdns.empty());
    EXPECT_LE(p.error_offset, std::string_view(bad).size());
  }
}

TEST(Subject, LongAndBinaryInputDoesNotCrash) {
  std::string big(100000, ',');
  EXPECT_FALSE(parse_subject(big).ok());
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "CN=x+";
  many += "CN=y";
  auto p = parse_subject(many);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.rdns.size(), 1u);
  EXPECT_EQ(p.rdns[0].size(), 5001u);
  std::string binary("CN=\x01\xff\xfe", 6);
  EXPECT_FALSE(parse_subject(binary).ok());  // not UTF-8
  EXPECT_FALSE(parse_subject("CN=\xED\xA0\x80").ok());      // a UTF-16 surrogate written as UTF-8
  EXPECT_FALSE(parse_subject("CN=\xE0\x80\xAF").ok());      // an overlong '/'
  EXPECT_FALSE(parse_subject("CN=\xF4\x90\x80\x80").ok());  // above U+10FFFF
  EXPECT_TRUE(parse_subject("CN=J\xC3\xBCrgen \xF0\x9F\x94\x91").ok());
}

// Through the compiler: the Subject array, Apple's shortcuts and OIDs.
TEST(Subject, CompilesToApplesNestedArrays) {
  Diagnostics d;
  auto p = compile_json(R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "s1",
    "subjectNameFormat": "custom", "subjectNameFormatString": "cn=Jane,e=j@x.example,street=Main 1,S=Bavaria",
    "scepServerUrls": ["https://scep.example/"], "keySize": "size2048", "keyUsage": "digitalSignature"})", d);
  ASSERT_TRUE(p) << all_lines(d);
  const Value* s = p->root.find("PayloadContent")->as_array()[0].find("PayloadContent")->find("Subject");
  ASSERT_TRUE(s);
  const auto& a = s->as_array();
  ASSERT_EQ(a.size(), 4u);
  auto pair = [&](std::size_t i) { return a[i].as_array()[0].as_array(); };
  EXPECT_EQ(pair(0)[0].as_string(), "CN");
  EXPECT_EQ(pair(1)[0].as_string(), "1.2.840.113549.1.9.1");
  EXPECT_EQ(pair(2)[0].as_string(), "2.5.4.9");
  EXPECT_EQ(pair(3)[0].as_string(), "ST");
}

TEST(Subject, UnknownAttributeTypeIsAnError) {
  Diagnostics d;
  auto p = compile_json(R"({"@odata.type": "#microsoft.graph.iosScepCertificateProfile", "id": "s2",
    "subjectNameFormat": "custom", "subjectNameFormatString": "CN=x,FOO=bar",
    "scepServerUrls": ["https://scep.example/"]})", d);
  EXPECT_FALSE(p);
  EXPECT_TRUE(has_diag(d, "MCC-M018", "/subjectNameFormatString")) << all_lines(d);
}

}  // namespace
}  // namespace mcc::test
