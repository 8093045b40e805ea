// SPDX-License-Identifier: Apache-2.0
// Real-world data written by others (../shared/corpus beside the checkout, when present):
// every Graph file compiles or fails with diagnostics that name the file; every
// .mobileconfig is read and checked against Apple's schema without crashing.

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

fs::path corpus() { return source_dir().parent_path() / "shared" / "corpus"; }

TEST(Corpus, GraphFilesCompileOrFailCleanly) {
  if (!fs::exists(corpus() / "graph")) GTEST_SKIP() << "no ../shared/corpus";
  std::size_t compiled = 0, failed = 0;
  for (const auto& e : fs::directory_iterator(corpus() / "graph")) {
    Diagnostics d;
    std::string name = e.path().filename().string();
    auto p = compile_inputs({InputFile{name, read_file(e.path())}}, {}, d);
    if (p) {
      ++compiled;
      auto platform = p->platform;
      for (const Diagnostics problems = compiler().validate(p->root, platform); const auto& problem : problems.items()) ADD_FAILURE() << name << ": " << format_diagnostic(problem);
      continue;
    }
    ++failed;
    ASSERT_TRUE(d.has_errors()) << name << ": no profile and no error";
    for (const auto& x : d.items()) EXPECT_EQ(x.file, name) << format_diagnostic(x);
  }
  std::cout << "corpus: " << compiled << " compiled, " << failed << " refused with errors\n";
  EXPECT_GT(compiled + failed, 0u);
}

TEST(Corpus, ProfilesAreReadAndValidated) {
  if (!fs::exists(corpus() / "mobileconfig")) GTEST_SKIP() << "no ../shared/corpus";
  for (const auto& e : fs::recursive_directory_iterator(corpus() / "mobileconfig")) {
    if (e.path().extension() != ".mobileconfig") continue;
    std::string bytes = read_file(e.path());
    if (looks_like_cms(bytes)) continue;  // signed: read by verify/inspect
    Diagnostics d;
    auto root = parse_plist(bytes, e.path().filename().string(), d);
    bool malformed = e.path().parent_path().filename() == "malformed";
    if (malformed) {
      EXPECT_FALSE(root) << e.path();
      continue;
    }
    ASSERT_TRUE(root) << e.path() << "\n" << all_lines(d);
    // Other people's profiles may break Apple's schema; what matters is a clean report.
    (void)compiler().validate(*root, Platform::ios);
  }
}

}  // namespace
}  // namespace mcc::test
