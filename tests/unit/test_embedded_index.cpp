// SPDX-License-Identifier: Apache-2.0
// The index of the built-in files' top-level members, made at build time
// (tools/embed.cpp): it must answer exactly as the skim it replaces at start-up,
// json_object_members, for every built-in file and every member name, and leave any other
// text to that skim.
#include <gtest/gtest.h>

#include <string>

#include "base/fast_json.hpp"
#include "schema/embedded.hpp"

namespace {

using mcc::embedded::Resource;

TEST(EmbeddedIndex, EveryBuiltInFileIsIndexedAsItSkims) {
  std::size_t indexed = 0;
  for (const Resource& r : mcc::embedded::resources()) {
    const auto skim = mcc::json_object_members(r.content);
    const auto index = mcc::embedded::indexed_members(r.content);
    if (r.path.ends_with(".json")) ASSERT_TRUE(skim.has_value()) << r.path;  // every built-in JSON file skims
    if (!skim) {
      EXPECT_FALSE(index.has_value()) << r.path;
      continue;
    }
    ASSERT_TRUE(index.has_value()) << r.path;
    EXPECT_EQ(*index, *skim) << r.path;
    // Each of its member names, one it does not have, and the empty name.
    std::vector<std::string> names{"no such member", ""};
    for (const auto& [key, value] : *skim) names.emplace_back(key);
    for (const auto& name : names)
      EXPECT_EQ(mcc::embedded::object_members(r.content, name), mcc::json_object_members(r.content, name))
          << r.path << " " << name;
    ++indexed;
  }
  EXPECT_EQ(indexed, mcc::embedded::file_indexes().size());
  EXPECT_GE(indexed, 3u);  // the schemas and the tables
}

// The answers are views into the built-in text itself, not copies.
TEST(EmbeddedIndex, AnswersAreViewsOfTheBuiltInText) {
  for (const Resource& r : mcc::embedded::resources()) {
    const auto index = mcc::embedded::indexed_members(r.content);
    if (!index) continue;
    for (const auto& [key, value] : *index) {
      EXPECT_GE(key.data(), r.content.data()) << r.path;
      EXPECT_LE(value.data() + value.size(), r.content.data() + r.content.size()) << r.path;
    }
  }
}

// The same text elsewhere in memory (a --mappings table, a test's copy) is skimmed as before.
TEST(EmbeddedIndex, OtherTextIsSkimmed) {
  const Resource& first = mcc::embedded::resources().front();
  const std::string copy(first.content);
  EXPECT_FALSE(mcc::embedded::indexed_members(copy).has_value());
  const auto members = mcc::json_object_members(copy);
  ASSERT_TRUE(members.has_value());
  for (const auto& [key, value] : *members) {
    const auto answer = mcc::embedded::object_members(copy, key);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer, mcc::json_object_members(copy, key));
  }
  EXPECT_FALSE(mcc::embedded::object_members("{\"a\": [", "a").has_value());
  EXPECT_FALSE(mcc::embedded::indexed_members("{}").has_value());
}

}  // namespace
