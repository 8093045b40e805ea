// SPDX-License-Identifier: Apache-2.0
// OutputNames: a batch's file names, each kept as a number and spelt again when needed, are
// those a set of the spelt names gives: first come keeps "<stem>.mobileconfig", namesakes
// get "-2", "-3"... after the last number their stem got, and no name is given twice.

#include <set>
#include <unordered_map>

#include "cli/output_names.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

// The names as the batch gave them before OutputNames: every name spelt and kept in a set.
std::vector<std::string> reference_names(const std::vector<std::string>& stems) {
  std::set<std::string> used;
  std::unordered_map<std::string, int> last_suffix;
  std::vector<std::string> out;
  for (const auto& stem : stems) {
    std::string name = stem + ".mobileconfig";
    if (used.count(name)) {
      int& last = last_suffix[stem];
      for (int n = std::max(last, 1) + 1; used.count(name); ++n) {
        name = stem + "-" + std::to_string(n) + ".mobileconfig";
        last = n;
      }
    }
    used.insert(name);
    out.push_back(name);
  }
  return out;
}

TEST(OutputNames, SameNamesAsASetOfEveryNameGives) {
  // Namesakes, stems that look like a namesake's numbered name ("a-2"), and enough names to
  // grow the index several times.
  std::vector<std::string> stems = {"a", "a", "a-2", "a", "b", "a-3", "a-3", "a", "b-2", "b", "b"};
  for (int i = 0; i < 5000; ++i) stems.push_back(i % 3 == 0 ? "dup" : "stem-" + std::to_string(i % 1700));
  cli::OutputNames names([&](std::size_t job) { return stems[job]; });
  for (const auto& stem : stems) names.add(stem);
  const auto expected = reference_names(stems);
  ASSERT_EQ(names.size(), expected.size());
  for (std::size_t job = 0; job < expected.size(); ++job) ASSERT_EQ(names.name(job), expected[job]) << job;
  EXPECT_EQ(names.name(1), "a-2.mobileconfig");
  EXPECT_EQ(names.name(2), "a-2-2.mobileconfig") << "a stem that is a namesake's name counts on from there";
  EXPECT_EQ(std::set<std::string>(expected.begin(), expected.end()).size(), expected.size());
  names.seal();
  EXPECT_EQ(names.name(3), expected[3]) << "names are spelt after the index is let go";
}

}  // namespace
}  // namespace mcc::test
