// SPDX-License-Identifier: Apache-2.0
// Every input a fuzzer (or a hand-written probe) once crashed or hung is kept under
// tests/fuzz/regressions/<target>/ and replayed here through the fuzz targets' own
// entry points (tests/fuzz/targets.hpp), so the fix stays fixed in every build.

#include <algorithm>

#include "fuzz/targets.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

std::string replay(const std::string& target, std::string_view bytes) {
  if (target == "compile") return fuzz::compile_graph_json(bytes);
  if (target == "tables") return fuzz::load_tables(bytes);
  if (target == "plist") return fuzz::read_plist(bytes);
  if (target == "bplist") return fuzz::read_bplist(bytes);
  if (target == "cms") return fuzz::verify_cms(bytes);
  return "no entry point for fuzz target '" + target + "'";
}

TEST(FuzzRegressions, EveryKeptInputIsHandledCleanly) {
  fs::path root = source_dir() / "tests" / "fuzz" / "regressions";
  ASSERT_TRUE(fs::is_directory(root));
  std::size_t replayed = 0;
  for (const auto& target : fs::directory_iterator(root)) {
    if (!target.is_directory()) continue;
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(target.path()))
      if (f.is_regular_file()) files.push_back(f.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      SCOPED_TRACE(f.string());
      EXPECT_EQ(replay(target.path().filename().string(), read_file(f)), "");
      ++replayed;
    }
  }
  EXPECT_GT(replayed, 0u);
}

TEST(FuzzRegressions, SeedCorporaPassTheirTargets) {
  // The seeds are realistic inputs; a target that rejects its own seeds fuzzes nothing useful.
  fs::path root = source_dir() / "tests" / "fuzz" / "corpus";
  for (const char* target : {"compile", "tables", "plist", "bplist", "cms"})
    for (const auto& f : fs::directory_iterator(root / target)) {
      SCOPED_TRACE(f.path().string());
      EXPECT_EQ(replay(target, read_file(f.path())), "");
    }
}

}  // namespace
}  // namespace mcc::test
