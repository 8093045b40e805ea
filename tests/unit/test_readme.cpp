// SPDX-License-Identifier: Apache-2.0
// The README stays true: its two commands exist and CI runs the test one, the mapping
// reference it links (docs/mappings.md) is what the tables say, every diagnostic code is
// documented, every shipped sample compiles, and the architecture notes it links to
// describe every layer.

#include <regex>
#include <set>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

std::string readme() { return read_file(source_dir() / "README.md"); }

TEST(Readme, TheTwoCommandsExistAndCiRunsTheTestOne) {
  std::string text = readme();
  std::string first_screen = text.substr(0, text.find("## What it does"));
  EXPECT_NE(first_screen.find("bash scripts/demo"), std::string::npos);
  EXPECT_NE(first_screen.find("bash scripts/test"), std::string::npos);
  EXPECT_TRUE(fs::exists(source_dir() / "scripts" / "demo"));
  EXPECT_TRUE(fs::exists(source_dir() / "scripts" / "test"));
  EXPECT_NE(read_file(source_dir() / ".ci" / "run").find("bash scripts/test"), std::string::npos);
}

TEST(Docs, MappingReferenceMatchesTheTables) {
  std::string text = read_file(source_dir() / "docs" / "mappings.md");
  EXPECT_NE(readme().find("(docs/mappings.md)"), std::string::npos) << "the README links the reference";
  auto begin = text.find("<!-- BEGIN MAPPING REFERENCE -->");
  auto end = text.find("<!-- END MAPPING REFERENCE -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  begin = text.find('\n', begin) + 1;
  std::string expected;
  for (const auto& t : compiler().supported_types()) expected += *compiler().explain(t, true) + "\n";
  EXPECT_EQ(text.substr(begin, end - begin), expected) << "run scripts/update-mappings";
}

TEST(Readme, EveryDiagnosticCodeIsDocumented) {
  std::string header = read_file(source_dir() / "src" / "base" / "messages.hpp");
  std::regex code(R"(// ([A-Z]\d{3})\b)");
  std::set<std::string> codes;
  for (std::sregex_iterator it(header.begin(), header.end(), code), end; it != end; ++it) codes.insert("MCC-" + (*it)[1].str());
  ASSERT_GT(codes.size(), 20u);
  std::string text = readme();
  for (const auto& c : codes) EXPECT_NE(text.find("| " + c + " |"), std::string::npos) << c << " is not in the README";
}

// The architecture notes keep up with the layout: each folder of src/ has its row in the
// table of layers, and the README links to the notes.
TEST(Readme, ArchitectureNotesDescribeEveryLayer) {
  std::string notes = read_file(source_dir() / "docs" / "architecture.md");
  std::size_t layers = 0;
  for (const auto& e : fs::directory_iterator(source_dir() / "src")) {
    if (!e.is_directory()) continue;
    ++layers;
    const std::string row = "| `" + e.path().filename().string() + "` |";
    EXPECT_NE(notes.find(row), std::string::npos) << e.path().filename() << " has no row in docs/architecture.md";
  }
  EXPECT_GE(layers, 9u);
  EXPECT_NE(readme().find("](docs/architecture.md)"), std::string::npos);
}

TEST(Readme, EverySampleCompiles) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(source_dir() / "samples")) {
    if (e.path().extension() != ".json") continue;
    ++n;
    Diagnostics d;
    auto p = compile_inputs({InputFile{e.path().string(), read_file(e.path())}}, {}, d);
    EXPECT_TRUE(p) << e.path() << "\n" << all_lines(d);
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace mcc::test
