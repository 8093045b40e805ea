// SPDX-License-Identifier: Apache-2.0
// The read stage: encodings, wrappers, types, and input that is not a Graph object.

#include "read/encoding.hpp"
#include "read/reader.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using read::read_graph_objects;

std::string utf16le(const std::string& ascii, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
  for (char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

std::string utf16be(const std::string& ascii) {
  std::string out("\xFE\xFF", 2);
  for (char c : ascii) {
    out += '\0';
    out += c;
  }
  return out;
}

const std::string kObject = R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","id":"a","displayName":"x"})";

TEST(Read, AcceptsUtf8WithAndWithoutBom) {
  for (const std::string& text : {kObject, "\xEF\xBB\xBF" + kObject}) {
    Diagnostics d;
    auto objs = read_graph_objects("f.json", text, std::nullopt, d);
    ASSERT_EQ(objs.size(), 1u) << all_lines(d);
    EXPECT_EQ(objs[0].type, "iosikEv2VpnConfiguration");
  }
}

TEST(Read, DecodesUtf16LittleAndBigEndian) {
  for (const std::string& text : {utf16le(kObject, true), utf16le(kObject, false), utf16be(kObject)}) {
    Diagnostics d;
    auto objs = read_graph_objects("f.json", text, std::nullopt, d);
    ASSERT_EQ(objs.size(), 1u) << all_lines(d);
    EXPECT_EQ(objs[0].json["displayName"], "x");
  }
}

TEST(Read, DecodesUtf16SurrogatePairs) {
  std::string error;
  // U+1F600 as UTF-16LE D83D DE00.
  auto text = read::to_utf8(std::string("\xFF\xFE\x3D\xD8\x00\xDE", 6), error);
  ASSERT_TRUE(text) << error;
  EXPECT_EQ(*text, "\xF0\x9F\x98\x80");
  EXPECT_FALSE(read::to_utf8(std::string("\xFF\xFE\x3D\xD8", 4), error));
  EXPECT_FALSE(read::to_utf8(std::string("\xFF\xFE\x00\xDE", 4), error));
}

std::string utf32(const std::string& ascii, bool little_endian, bool bom) {
  std::string out;
  if (bom) out = little_endian ? std::string("\xFF\xFE\0\0", 4) : std::string("\0\0\xFE\xFF", 4);
  for (char c : ascii) out += little_endian ? std::string(1, c) + std::string(3, '\0') : std::string(3, '\0') + c;
  return out;
}

// UTF-32 is refused by name (no Graph export tool writes it), not misread as UTF-16 and
// reported as "unexpected end of input".
TEST(Read, RefusesUtf32ByName) {
  for (bool le : {true, false})
    for (bool bom : {true, false}) {
      Diagnostics d;
      EXPECT_TRUE(read_graph_objects("f.json", utf32(kObject, le, bom), std::nullopt, d).empty());
      ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
      EXPECT_EQ(format_diagnostic(d.items()[0]),
                "f.json: error MCC-R002: cannot decode text: utf-32 is not supported; save the file as utf-8")
          << (le ? "LE" : "BE") << (bom ? " with BOM" : " without BOM");
    }
  // UTF-16 whose first character is not ASCII is still UTF-16, not UTF-32.
  std::string error;
  auto text = read::to_utf8(std::string("\xFF\xFE\xE9\x00{\0}\0", 8), error);
  ASSERT_TRUE(text) << error;
  EXPECT_EQ(*text, "\xC3\xA9{}");
}

TEST(Read, UnwrapsGraphResponses) {
  Diagnostics d;
  auto single = read_graph_objects("f.json", R"({"@odata.context":"x","value":)" + kObject + "}", std::nullopt, d);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].pointer, "/value");
  auto list = read_graph_objects("f.json", R"({"@odata.count":2,"value":[)" + kObject + "," + kObject + "]}", std::nullopt, d);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].pointer, "/value/1");
  auto array = read_graph_objects("f.json", "[" + kObject + "]", std::nullopt, d);
  ASSERT_EQ(array.size(), 1u);
  EXPECT_EQ(array[0].pointer, "/0");
  EXPECT_TRUE(d.empty()) << all_lines(d);
}

TEST(Read, MissingTypeNeedsTypeOption) {
  Diagnostics d;
  EXPECT_TRUE(read_graph_objects("f.json", R"({"id":"a"})", std::nullopt, d).empty());
  EXPECT_DIAG(d, "MCC-R005", "");
  Diagnostics ok;
  auto objs = read_graph_objects("f.json", R"({"id":"a"})", std::string("iosikEv2VpnConfiguration"), ok);
  ASSERT_EQ(objs.size(), 1u);
  EXPECT_EQ(objs[0].type, "iosikEv2VpnConfiguration");
}

TEST(Read, RefusesWhatIsNotAGraphObject) {
  struct Bad {
    std::string text;
    const char* code;
  };
  for (const auto& [text, code] : std::vector<Bad>{
           {"", "MCC-R003"},
           {"   \n", "MCC-R003"},
           {"{\"a\":", "MCC-R003"},
           {"\x01\x02\xFF garbage", "MCC-R003"},
           {"42", "MCC-R004"},
           {"\"text\"", "MCC-R004"},
           {"[]", "MCC-R004"},
           {"[1,2]", "MCC-R004"},
           {R"({"a":1,"a":2})", "MCC-R008"},
           {std::string(100000, '[') + std::string(100000, ']'), "MCC-R007"},
       }) {
    Diagnostics d;
    EXPECT_TRUE(read_graph_objects("f.json", text, std::nullopt, d).empty()) << code;
    ASSERT_TRUE(d.has_errors()) << code;
    EXPECT_EQ(d.items().front().code, code) << all_lines(d);
    EXPECT_EQ(d.items().front().file, "f.json");
  }
}

TEST(Read, RefusesInvalidUtf8) {
  Diagnostics d;
  EXPECT_TRUE(read_graph_objects("f.json", "{\"displayName\":\"\xC3\x28\"}", std::nullopt, d).empty());
  EXPECT_DIAG(d, "MCC-R003", "");
}

TEST(Read, RefusesOversizedInput) {
  Diagnostics d;
  read::ReadLimits limits;
  limits.max_bytes = 16;
  EXPECT_TRUE(read_graph_objects("f.json", kObject, std::nullopt, d, limits).empty());
  EXPECT_DIAG(d, "MCC-R007", "");
}

}  // namespace
}  // namespace mcc::test
