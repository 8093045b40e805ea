// Small pieces: UUIDv5, key paths, base64, plist round trips.

#include "map/value_path.hpp"
#include "profile/sha1.hpp"
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

namespace mcc::test {
namespace {

std::string hex(const std::array<std::uint8_t, 20>& d) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto b : d) out += std::string{digits[b >> 4], digits[b & 15]};
  return out;
}

TEST(Sha1, KnownAnswers) {
  // FIPS 180 examples, plus lengths around the padding boundary.
  EXPECT_EQ(hex(profile::sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex(profile::sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex(profile::sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex(profile::sha1(std::string(1000000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

}  // namespace
}  // namespace mcc::test
