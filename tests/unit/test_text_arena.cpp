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

TEST(TextArena, AFewShortTextsTakeAKilobyte) {
  TextArena arena;  // a scanner's, for a file of one object
  arena.store("8d3e0c8e-8f0b-4d8e-9a43-6ff1c3b0e2a1");
  arena.store("Contoso VPN");
  EXPECT_EQ(arena.capacity(), 1024u);
}

TEST(TextArena, PartsAreStoredEndToEnd) {
  TextArena arena;
  const char* at = arena.store({"id", "", "name", "/value/3"});
  EXPECT_EQ(std::string_view(at), "idname/value/3");
}

// A BatchPlan takes a scanner's objects whole: their texts stay where the scanner stored them.
TEST(TextArena, AnAbsorbedArenasTextsStayWhereTheyAre) {
  TextArena scanner, plan;
  std::vector<std::pair<std::string_view, std::string>> stored;
  for (int i = 0; i < 5'000; ++i) {
    std::string text = i % 1000 == 0 ? std::string(10'000, 'x') : "scanned " + std::to_string(i);
    stored.emplace_back(scanner.store(text), text);
  }
  const std::string_view before = plan.store("declared first");
  const std::size_t capacity = scanner.capacity() + plan.capacity();
  plan.absorb(std::move(scanner));
  EXPECT_EQ(plan.capacity(), capacity);
  EXPECT_EQ(scanner.capacity(), 0u);  // NOLINT(bugprone-use-after-move): left empty, as absorb() says
  stored.emplace_back(before, "declared first");
  for (int i = 0; i < 1'000; ++i) {
    std::string text = "after " + std::to_string(i);
    stored.emplace_back(plan.store(text), text);
  }
  for (const auto& [view, text] : stored) ASSERT_EQ(view, text);
}

}  // namespace
}  // namespace mcc::test
