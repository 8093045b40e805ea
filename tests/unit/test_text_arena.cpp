// SPDX-License-Identifier: Apache-2.0
// TextArena: strings kept end to end, each where it was stored until the arena goes.

#include "base/text_arena.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

TEST(TextArena, StoredTextsStayWhereTheyAreAndEndInANul) {
  TextArena arena;
  std::vector<std::pair<std::string_view, std::string>> stored;
  for (int i = 0; i < 20'000; ++i) {
    // Short texts fill shared blocks; every 1000th is long enough to get a block of its own.
    std::string text = i % 1000 == 0 ? std::string(10'000 + i, 'a' + i % 26) : "text " + std::to_string(i);
    stored.emplace_back(arena.store(text), text);
  }
  stored.emplace_back(arena.store(""), "");
  for (const auto& [view, text] : stored) {
    ASSERT_EQ(view, text);
    ASSERT_EQ(view.data()[view.size()], '\0');
  }
  // About the texts' own size: no allocation of its own for each short one.
  std::size_t bytes = 0;
  for (const auto& [view, text] : stored) bytes += text.size() + 1;
  EXPECT_GE(arena.capacity(), bytes);
  EXPECT_LT(arena.capacity(), bytes + 2 * 64 * 1024);
}

TEST(TextArena, PartsAreStoredEndToEnd) {
  TextArena arena;
  const char* at = arena.store({"id", "", "name", "/value/3"});
  EXPECT_EQ(std::string_view(at), "idname/value/3");
}

}  // namespace
}  // namespace mcc::test
