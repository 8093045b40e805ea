// SPDX-License-Identifier: Apache-2.0
// Small pieces: UUIDv5, key paths, base64, plist round trips, the diagnostic line.

#include "base/base64.hpp"
#include "base/key_path.hpp"
#include "base/sha1.hpp"
#include "base/uuid.hpp"
#include "support/test_support.hpp"

#include <nlohmann/json.hpp>

namespace mcc::test {
namespace {

TEST(Uuid, MatchesRfcVector) {
  // uuid5(NAMESPACE_DNS, "python.org") as published by Python's uuid module documentation.
  EXPECT_EQ(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"), "886313E1-3B8A-5372-9B90-0C9AEE199E5D");
}

TEST(ValuePath, CreatesAndFinds) {
  Value root{Dict{}};
  set_path(root, "A.B[1].C", Value(3));
  set_path(root, "A.D", Value("x"));
  ASSERT_NE(find_path(root, "A.B[1].C"), nullptr);
  EXPECT_EQ(find_path(root, "A.B[1].C")->as_int(), 3);
  EXPECT_EQ(find_path(root, "A.B")->as_array().size(), 2u);
  EXPECT_EQ(find_path(root, "A.B[5]"), nullptr);
  erase_path(root, "A.D");
  EXPECT_EQ(find_path(root, "A.D"), nullptr);
}

TEST(Base64, DecodesAndRejects) {
  auto ok = decode_base64("TWFu\nTWE=");
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::string(ok->begin(), ok->end()), "ManMa");
  EXPECT_FALSE(decode_base64("TWFu..."));
  EXPECT_FALSE(decode_base64("TWE=TWFu"));
  EXPECT_FALSE(decode_base64("TWFuT"));
}

TEST(Base64, EncodesWithPadding) {
  auto bytes = [](std::string_view s) { return std::vector<std::uint8_t>(s.begin(), s.end()); };
  EXPECT_EQ(encode_base64(bytes("")), "");
  EXPECT_EQ(encode_base64(bytes("M")), "TQ==");
  EXPECT_EQ(encode_base64(bytes("Ma")), "TWE=");
  EXPECT_EQ(encode_base64(bytes("Man")), "TWFu");
  EXPECT_EQ(encode_base64(std::vector<std::uint8_t>{0xFB, 0xFF}), "+/8=");
}

TEST(Base64, DecodeInvertsEncode) {
  std::vector<std::uint8_t> bytes;
  for (int n = 0; n < 300; ++n) {
    auto back = decode_base64(encode_base64(bytes));
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, bytes) << n;
    bytes.push_back(static_cast<std::uint8_t>(n * 7 + 3));
  }
}

Value sample() {
  Value inner{Dict{}};
  inner.set("Flag", Value(true));
  inner.set("Number", Value(42));
  inner.set("Text", Value("a<b>&\"c\" é"));
  Value root{Dict{}};
  root.set("Array", Value(Array{Value(1), Value("two")}));
  root.set("Data", Value(Data{{0, 1, 2, 255}}));
  root.set("Dict", inner);
  root.set("Real", Value(1.5));
  return root;
}

TEST(Plist, RoundTripsXmlAndBinary) {
  for (auto format : {PlistFormat::xml, PlistFormat::binary}) {
    Diagnostics d;
    auto parsed = parse_plist(serialize_plist(sample(), format), "x", d);
    ASSERT_TRUE(parsed) << all_lines(d);
    EXPECT_EQ(*parsed, sample());
  }
}

TEST(Plist, SortsKeys) {
  Value a{Dict{}};
  a.set("b", Value(1));
  a.set("a", Value(2));
  Value b{Dict{}};
  b.set("a", Value(2));
  b.set("b", Value(1));
  EXPECT_EQ(serialize_plist(a, PlistFormat::xml), serialize_plist(b, PlistFormat::xml));
}

TEST(Plist, RejectsGarbage) {
  Diagnostics d;
  EXPECT_FALSE(parse_plist("not a plist at all", "x", d));
  EXPECT_DIAG(d, "MCC-P001", "");
  EXPECT_FALSE(parse_plist("", "x", d));
}

}  // namespace
}  // namespace mcc::test

namespace mcc::test {
namespace {

std::string hex(const std::array<std::uint8_t, 20>& d) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : d) out += std::string{digits[b >> 4], digits[b & 15]};
  return out;
}

TEST(Sha1, KnownAnswers) {
  // FIPS 180 examples, plus lengths around the padding boundary.
  EXPECT_EQ(hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex(sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// ---- diagnostics: one line each, whatever the input put into them ----

TEST(DiagnosticLine, EscapesControlsAndInvisibleCodePoints) {
  Diagnostic d{Severity::error, "MCC-R001", "in\nput.json", "/a\tb",
               "x\x1b[2Jy\rz\x7f \xc2\x9b[31m \xe2\x80\xae \xe2\x81\xa6 \xef\xbb\xbf \xf3\xa0\x80\x81 \xff\x80 \x01"};
  EXPECT_EQ(format_diagnostic(d),
            "in\\nput.json: /a\\tb: error MCC-R001: x\\x1b[2Jy\\rz\\x7f \\u{9b}[31m \\u{202e} \\u{2066} \\u{feff} "
            "\\u{e0001} \\xff\\x80 \\x01");
  // Printable text, other scripts and emoji included, passes as it is.
  const std::string kept = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 C:\\path 'q' \"q\"";
  EXPECT_EQ(escape_for_display(kept), kept);
  EXPECT_EQ(format_diagnostic({Severity::warning, "MCC-C001", "", "", kept}), "warning MCC-C001: " + kept);
}

// Keys, types and values with a newline or an ESC in them cannot forge a second
// diagnostic or reach the terminal: each diagnostic stays one line, the escape visible.
TEST(DiagnosticLine, GraphInputCannotForgeLines) {
  const std::string forged = "evil\nerror MCC-R001: forged line\u001b[2J";
  const nlohmann::json object = {{"@odata.type", "#microsoft.graph.iosikEv2VpnConfiguration"},
                                 {"id", "a"},
                                 {"displayName", "x"},
                                 {forged, 1},
                                 {"server", {{"address", "vpn.example"}, {"port\r\u001b]0;title\u0007", 2}}}};
  Diagnostics d;
  compile_json(object.dump(), d);
  compile_json(nlohmann::json{{"@odata.type", "#microsoft.graph.x\nerror MCC-R001: forged\u001b[31m"}}.dump(), d);
  ASSERT_GE(d.items().size(), 3u) << all_lines(d);
  bool saw_newline = false, saw_escape = false;
  for (const auto& x : d.items()) {
    const std::string line = format_diagnostic(x);
    EXPECT_EQ(line.find_first_of("\n\r\x1b\x07"), std::string::npos) << line;
    saw_newline = saw_newline || line.find("evil\\nerror MCC-R001: forged line\\x1b[2J") != std::string::npos;
    saw_escape = saw_escape || line.find("port\\r\\x1b]0;title\\x07") != std::string::npos;
  }
  EXPECT_TRUE(saw_newline && saw_escape) << all_lines(d);
  EXPECT_NE(all_lines(d).find("unsupported graph type 'x\\nerror MCC-R001: forged\\x1b[31m'"), std::string::npos)
      << all_lines(d);
}

TEST(DiagnosticLine, TheBinaryPrintsOneLinePerDiagnostic) {
  const auto dir = make_scratch_dir("diag-lines");
  const nlohmann::json object = {{"@odata.type", "#microsoft.graph.iosikEv2VpnConfiguration"},
                                 {"id", "a"},
                                 {"displayName", "x"},
                                 {"a\nerror MCC-R001: forged", 1},
                                 {"b\u001b[2J", 2}};
  write_file(dir / "in.json", object.dump());
  auto r = run_binary("compile " + (dir / "in.json").string() + " -o " + (dir / "out.mobileconfig").string(), dir);
  std::istringstream lines(r.err);
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n)
    EXPECT_EQ(line.rfind((dir / "in.json").string() + ": ", 0), 0u) << "a line that is not a diagnostic: " << line;
  EXPECT_GE(n, 2) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/a\\nerror MCC-R001: forged: warning MCC-C001"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/b\\x1b[2J: warning MCC-C001"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

std::string vpn_with(const std::string& member) {
  return R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","id":"a","displayName":"x",)" + member + "}";
}

const Diagnostic* find_code(const Diagnostics& d, std::string_view code) {
  for (const auto& x : d.items())
    if (x.code == code) return &x;
  return nullptr;
}

// Input quoted in a message is cut to 120 bytes and says how long it was, so a 1 MB value
// or a 100,000-digit number makes a short line.
TEST(DiagnosticLine, LongInputIsCutShort) {
  const std::string big(100000, 'x');
  struct Case {
    std::string json, code, expected;
  };
  const std::vector<Case> cases = {
      {vpn_with(R"("deadPeerDetectionRate":")" + big + "\""), "MCC-C003",
       "unknown value \"" + std::string(120, 'x') + "\u2026(100000 bytes)\" (allowed: "},
      {R"({"@odata.type":")" + big + "\"}", "MCC-R006", "unsupported graph type '" + std::string(120, 'x') + "\u2026(100000 bytes)'"},
      {vpn_with("\"" + big + R"(":1,")" + big + "\":2"), "MCC-R008",
       "duplicate object key '" + std::string(120, 'x') + "\u2026(100000 bytes)'"},
      {vpn_with(R"("mtuSizeInBytes":)" + std::string(100000, '7')), "MCC-R003",
       "invalid json: number overflow: a number of 100000 characters does not fit a double"},
      {vpn_with(R"("mtuSizeInBytes":)" + std::string(300, '7') + ".5"), "MCC-C002",
       "expected an integer, found the number 7.77777777777777"},
      {vpn_with(R"("mtuSizeInBytes":)" + std::string(19, '9')), "MCC-C005", "value 9999999999999999999 is out of range"},
      {vpn_with(R"("connectionName":)" + std::string(200, '1') + ".0e-100"), "MCC-C002", "expected a string, found a number"},
  };
  for (const auto& c : cases) {
    Diagnostics d;
    compile_json(c.json, d);
    const Diagnostic* x = find_code(d, c.code);
    ASSERT_NE(x, nullptr) << c.code << "\n" << all_lines(d).substr(0, 2000);
    EXPECT_EQ(x->message.rfind(c.expected, 0), 0u) << x->message.substr(0, 2000);
    EXPECT_LT(x->message.size(), 600u) << x->message.substr(0, 2000);  // the list of supported types, and a 120-byte excerpt
  }
}

TEST(DiagnosticLine, ACutNeverSplitsAUtf8Sequence) {
  std::string euros;
  for (int i = 0; i < 100; ++i) euros += "\xe2\x82\xac";  // 3 bytes each
  Diagnostics d;
  compile_json(vpn_with(R"("deadPeerDetectionRate":"x)" + euros + "\""), d);
  const Diagnostic* x = find_code(d, "MCC-C003");
  ASSERT_NE(x, nullptr) << all_lines(d);
  // 120 bytes would end inside the 40th euro sign: the cut keeps 39 of them.
  EXPECT_EQ(x->message.rfind("unknown value \"x" + euros.substr(0, 39 * 3) + "\u2026(301 bytes)\"", 0), 0u) << x->message;
}

}  // namespace
}  // namespace mcc::test
