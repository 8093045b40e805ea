// SPDX-License-Identifier: Apache-2.0
// The map stage's member lookup (src/map/member_lookup.*): whatever the object's size and
// however its names hash, it finds what resolve_pointer finds.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "map/engine.hpp"
#include "map/member_lookup.hpp"

namespace {

using nlohmann::json;

// An object of `count` members named prefix0, prefix1, ...
json members(std::size_t count, const std::string& prefix) {
  json o = json::object();
  for (std::size_t i = 0; i < count; ++i) o[prefix + std::to_string(i)] = i;
  return o;
}

void expect_as_resolve_pointer(mcc::map::MemberLookup& lookup, const json& root, const std::string& pointer) {
  EXPECT_EQ(lookup.resolve(root, mcc::map::split_pointer(pointer)), mcc::map::resolve_pointer(root, pointer)) << pointer;
}

TEST(MemberLookup, FindsWhatResolvePointerFinds) {
  json root = members(20, "k");  // indexed
  root["small"] = {{"a", 1}, {"b", {{"c", 2}}}};
  root["large"] = members(2000, "m");  // past the indexed size: searched as it is
  root["a/b"] = "slash";
  root["m~n"] = "tilde";
  root[""] = "empty name";
  root["list"] = json::array({members(10, "e"), json::array({1, 2, 3}), nullptr});
  // Names that differ only between their first and last eight bytes hash alike.
  root["abcdefgh-one-12345678"] = 1;
  root["abcdefgh-two-12345678"] = 2;
  mcc::map::MemberLookup lookup;
  for (const std::string p :
       {"", "/k0", "/k19", "/k20", "/small", "/small/a", "/small/b/c", "/small/b/d", "/large/m0", "/large/m1999",
        "/large/m2000", "/a~1b", "/m~0n", "/", "/list/0/e9", "/list/0/e10", "/list/1/2", "/list/1/3", "/list/01",
        "/list/2", "/list/2/x", "/list/-", "/k0/x", "/abcdefgh-one-12345678", "/abcdefgh-two-12345678",
        "/abcdefgh-six-12345678"}) {
    expect_as_resolve_pointer(lookup, root, p);
    expect_as_resolve_pointer(lookup, root, p);  // the second time through the index made the first
  }
  EXPECT_EQ(*lookup.resolve(root, mcc::map::split_pointer("/abcdefgh-two-12345678")), 2);
  EXPECT_EQ(*lookup.resolve(root, mcc::map::split_pointer("/a~1b")), "slash");
}

TEST(MemberLookup, ManyIndexedObjectsStayFound) {
  // More objects than the lookup indexes: the rest are searched as they are.
  json list = json::array();
  for (int i = 0; i < 40; ++i) list.push_back(members(12, "o" + std::to_string(i) + "_"));
  mcc::map::MemberLookup lookup;
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 40; ++i) {
      const std::string own = "/" + std::to_string(i) + "/o" + std::to_string(i) + "_11";
      const std::string other = "/" + std::to_string(i) + "/o" + std::to_string((i + 1) % 40) + "_11";
      ASSERT_NE(lookup.resolve(list, mcc::map::split_pointer(own)), nullptr) << own;
      EXPECT_EQ(*lookup.resolve(list, mcc::map::split_pointer(own)), 11);
      EXPECT_EQ(lookup.resolve(list, mcc::map::split_pointer(other)), nullptr) << other;
    }
}

TEST(MemberLookup, SplitPointerUnescapesEachToken) {
  const auto tokens = mcc::map::split_pointer("/a~1b/~0/~01/");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].name, "a/b");
  EXPECT_EQ(tokens[1].name, "~");
  EXPECT_EQ(tokens[2].name, "~1");
  EXPECT_EQ(tokens[3].name, "");
  EXPECT_TRUE(mcc::map::split_pointer("").empty());
}

}  // namespace
