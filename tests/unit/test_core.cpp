// Small pieces: UUIDv5, key paths, base64, plist round trips.

#include "map/value_path.hpp"
#include "profile/uuid.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

TEST(Uuid, MatchesRfcVector) {
  // uuid5(NAMESPACE_DNS, "python.org") as published by Python's uuid module documentation.
  EXPECT_EQ(profile::uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"), "886313E1-3B8A-5372-9B90-0C9AEE199E5D");
}

TEST(ValuePath, CreatesAndFinds) {
  Value root{Dict{}};
  map::set_path(root, "A.B[1].C", Value(3));
  map::set_path(root, "A.D", Value("x"));
  ASSERT_NE(map::find_path(root, "A.B[1].C"), nullptr);
  EXPECT_EQ(map::find_path(root, "A.B[1].C")->as_int(), 3);
  EXPECT_EQ(map::find_path(root, "A.B")->as_array().size(), 2u);
  EXPECT_EQ(map::find_path(root, "A.B[5]"), nullptr);
  map::erase_path(root, "A.D");
  EXPECT_EQ(map::find_path(root, "A.D"), nullptr);
}

TEST(Base64, DecodesAndRejects) {
  auto ok = map::decode_base64("TWFu\nTWE=");
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::string(ok->begin(), ok->end()), "ManMa");
  EXPECT_FALSE(map::decode_base64("TWFu..."));
  EXPECT_FALSE(map::decode_base64("TWE=TWFu"));
  EXPECT_FALSE(map::decode_base64("TWFuT"));
}

Value sample() {
  Value inner{Dict{}};
  inner.set("Flag", Value(true));
  inner.set("Number", Value(42));
  inner.set("Text", Value("a<b>&\"c\" é"));
  Value root{Dict{}};
  root.set("Array", Value(Array{Value(1), Value("two")}));
  root.set("Data", Value(Data{{0, 1, 2, 255}}));
  root.set("Dict", inner);
  root.set("Real", Value(1.5));
  return root;
}

TEST(Plist, RoundTripsXmlAndBinary) {
  for (auto format : {PlistFormat::xml, PlistFormat::binary}) {
    Diagnostics d;
    auto parsed = parse_plist(serialize_plist(sample(), format), "x", d);
    ASSERT_TRUE(parsed) << all_lines(d);
    EXPECT_EQ(*parsed, sample());
  }
}

TEST(Plist, SortsKeys) {
  Value a{Dict{}};
  a.set("b", Value(1));
  a.set("a", Value(2));
  Value b{Dict{}};
  b.set("a", Value(2));
  b.set("b", Value(1));
  EXPECT_EQ(serialize_plist(a, PlistFormat::xml), serialize_plist(b, PlistFormat::xml));
}

TEST(Plist, RejectsGarbage) {
  Diagnostics d;
  EXPECT_FALSE(parse_plist("not a plist at all", "x", d));
  EXPECT_DIAG(d, "MCC-P001", "");
  EXPECT_FALSE(parse_plist("", "x", d));
}

}  // namespace
}  // namespace mcc::test
