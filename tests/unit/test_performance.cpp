// SPDX-License-Identifier: Apache-2.0
// Issue 18 (performance): each shortcut taken for speed gives exactly the answer of the
// slower code it replaced: the word-at-a-time text check the byte-at-a-time rule's, the
// table-driven nesting scan the bracket count's, the batch reader's uninitialised buffer a
// single compile's for inputs of every size around it. (The built-in tables read on first
// use: BuiltInTables.* compares them with tables read whole.)

#include "mobileconfigc/plist.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

// A text the serializer refuses, and why; "" when it takes it.
std::string refused(const std::string& text) {
  Value root{Dict{}};
  root.set("Text", text);
  Diagnostics d;
  auto bytes = serialize_plist(root, PlistFormat::xml, "t", d);
  if (bytes) return "";
  return d.empty() ? "refused without a reason" : d.items().front().message;
}

TEST(Performance, TheTextCheckFindsABadCharacterAtEveryPosition) {
  // Around and across the 8-byte words the check reads at once, each kind of character.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {std::string(1, '\0'), "NUL"}, {"\x01", "U+0001"}, {"\x1F", "U+001F"}, {"\x80", "not utf-8"},
      {"\xC3", "not utf-8"}, {"\xEF\xBF\xBE", "U+FFFE"}, {"\xEF\xBF\xBF", "U+FFFF"}};
  const std::vector<std::string> good = {"\t", "\n", "\r", "\x7F", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", " ", "~"};
  for (std::size_t before = 0; before < 20; ++before)
    for (std::size_t after : {0, 1, 7, 8, 9}) {
      const std::string head(before, 'a'), tail(after, 'z');
      for (const auto& [c, why] : bad) {
        const std::string message = refused(head + c + tail);
        EXPECT_NE(message.find(why), std::string::npos) << before << "+" << after << ": " << message;
      }
      for (const auto& c : good) EXPECT_EQ(refused(head + c + tail), "") << before << "+" << after;
    }
  EXPECT_EQ(refused(std::string(1000, 'x')), "");
  EXPECT_NE(refused(std::string(999, 'x') + '\x02'), "");
}

TEST(Performance, TheNestingScanCountsBracketsOutsideStringsOnly) {
  // Brackets in strings, after escaped quotes and before escaped backslashes, are text; the
  // limit (64 levels) counts the others exactly.
  const std::string decoys = R"("a": "[[[[{{{{", "b": "\"[[[[", "c": "x\\", "d": "\\\"[[", "e": "]]]]}}}}", )";
  for (int arrays : {62, 63, 64, 100}) {
    SCOPED_TRACE(arrays);
    const std::string text = "{" + decoys + R"("@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration", "x": )" +
                             std::string(static_cast<std::size_t>(arrays), '[') + std::string(static_cast<std::size_t>(arrays), ']') + "}";
    Diagnostics d;
    (void)compile_json(text, d);
    const std::string deep = "nesting " + std::to_string(arrays + 1) + " levels deep";
    EXPECT_EQ(all_lines(d).find(deep) != std::string::npos, arrays + 1 > 64) << all_lines(d);
    EXPECT_EQ(all_lines(d).find("levels deep") != std::string::npos, arrays + 1 > 64) << all_lines(d);
  }
}

TEST(Performance, ABatchReadsInputsOfEverySizeAroundItsBufferAsASingleCompileDoes) {
  const fs::path dir = make_scratch_dir("mcc-perf-batch");
  const std::string sample = read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json");
  // The same object, padded with trailing white space to sizes around the 64 KB read buffer.
  for (std::size_t size : {sample.size(), std::size_t{65535}, std::size_t{65536}, std::size_t{65537}, std::size_t{200000}}) {
    SCOPED_TRACE(size);
    fs::remove_all(dir / "in");
    fs::remove_all(dir / "out");
    fs::create_directories(dir / "in");
    fs::create_directories(dir / "out");
    std::string text = sample;
    text.resize(std::max(size, sample.size()), ' ');
    write_file(dir / "in" / "object.json", text);
    auto batch = run_binary("compile " + (dir / "in").string() + " --jobs 1 --out-dir " + (dir / "out").string(), dir);
    ASSERT_EQ(batch.code, 0) << batch.err;
    auto single = run_binary("compile " + (dir / "in" / "object.json").string() + " -o " + (dir / "single.mobileconfig").string(), dir);
    ASSERT_EQ(single.code, 0) << single.err;
    std::vector<fs::path> written;
    for (const auto& e : fs::directory_iterator(dir / "out")) written.push_back(e.path());
    ASSERT_EQ(written.size(), 1u);
    EXPECT_EQ(read_file(written.front()), read_file(dir / "single.mobileconfig"));
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mcc::test
