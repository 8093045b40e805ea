// SPDX-License-Identifier: Apache-2.0
// The shared string helpers of src/base/strings.hpp, one behaviour each.

#include "base/strings.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using Parts = std::vector<std::string>;

TEST(Strings, JoinPutsTheSeparatorBetweenItems) {
  EXPECT_EQ(join(Parts{}), "");
  EXPECT_EQ(join(Parts{"a"}), "a");
  EXPECT_EQ(join(Parts{"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(join(Parts{"a", "", "c"}, "|"), "a||c");
}

TEST(Strings, SplitFlagsTrimsMembers) {
  EXPECT_EQ(split_flags("keyEncipherment"), (Parts{"keyEncipherment"}));
  EXPECT_EQ(split_flags(" keyEncipherment ,digitalSignature  "), (Parts{"keyEncipherment", "digitalSignature"}));
}

// The checker needs to see an empty member to refuse it (Check.FlagsEnumMembersAreCheckedOneByOne);
// the SCEP transforms, which run after the check, ask for empty members to be skipped.
TEST(Strings, SplitFlagsKeepsEmptyMembersUnlessAskedToSkipThem) {
  EXPECT_EQ(split_flags(""), (Parts{""}));
  EXPECT_EQ(split_flags("a,,b"), (Parts{"a", "", "b"}));
  EXPECT_EQ(split_flags("a, ,b,"), (Parts{"a", "", "b", ""}));
  EXPECT_EQ(split_flags("", EmptyFlags::skip), (Parts{}));
  EXPECT_EQ(split_flags(" , ", EmptyFlags::skip), (Parts{}));
  EXPECT_EQ(split_flags("a, ,b,", EmptyFlags::skip), (Parts{"a", "b"}));
}

TEST(Strings, ShortTypeNameDropsTheGraphNamespace) {
  EXPECT_EQ(short_type_name("#microsoft.graph.iosVpnConfiguration"), "iosVpnConfiguration");
  EXPECT_EQ(short_type_name("microsoft.graph.iosVpnConfiguration"), "iosVpnConfiguration");
  EXPECT_EQ(short_type_name("#graph.iosVpnConfiguration"), "iosVpnConfiguration");
  EXPECT_EQ(short_type_name("iosVpnConfiguration"), "iosVpnConfiguration");
  EXPECT_EQ(short_type_name("#"), "");
}

}  // namespace
}  // namespace mcc::test
