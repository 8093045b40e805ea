// SPDX-License-Identifier: Apache-2.0
// Plists that would make libplist 2.2 crash, hang or fill memory are refused before it
// sees them (src/plist/preflight.cpp): nesting, cycles, shared objects in binary plists,
// and nesting, element counts and character references in XML.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdint>
#include <functional>

#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"
#include "support/test_support.hpp"
#include "test_cms_pki.hpp"

extern char** environ;

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ---- binary plists made by hand -------------------------------------------------------------

std::string big_endian(std::uint64_t v, unsigned n) {
  std::string out(n, '\0');
  for (unsigned i = 0; i < n; ++i) out[n - 1 - i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return out;
}

unsigned width(std::uint64_t n) { return n < (1u << 8) ? 1 : n < (1u << 16) ? 2 : n < (1u << 24) ? 3 : 4; }

// An object marker of `type` with its length; lengths of 15 and more follow as an integer.
std::string marker(unsigned type, std::uint64_t n) {
  if (n < 15) return std::string(1, static_cast<char>(type << 4 | n));
  return std::string(1, static_cast<char>(type << 4 | 0xF)) + '\x13' + big_endian(n, 8);
}

// Objects are functions of the reference width, which depends on how many objects there are.
using Object = std::function<std::string(unsigned ref)>;

Object array(std::vector<std::uint64_t> refs) {
  return [refs](unsigned ref) {
    std::string out = marker(0xA, refs.size());
    for (auto r : refs) out += big_endian(r, ref);
    return out;
  };
}
Object dict(std::vector<std::uint64_t> keys, std::vector<std::uint64_t> values) {
  return [keys, values](unsigned ref) {
    std::string out = marker(0xD, keys.size());
    for (auto r : keys) out += big_endian(r, ref);
    for (auto r : values) out += big_endian(r, ref);
    return out;
  };
}
Object ascii(std::string text) {
  return [text](unsigned) { return marker(0x5, text.size()) + text; };
}

// The 32 bytes at the end: offset and reference sizes, object count, top object, table offset.
std::string trailer(unsigned offset_size, unsigned ref_size, std::uint64_t count, std::uint64_t top, std::uint64_t table) {
  return std::string(6, '\0') + static_cast<char>(offset_size) + static_cast<char>(ref_size) + big_endian(count, 8) +
         big_endian(top, 8) + big_endian(table, 8);
}

std::string bplist(const std::vector<Object>& objects, std::uint64_t top = 0) {
  const unsigned ref = width(objects.size());
  std::string body = "bplist00";
  std::vector<std::uint64_t> offsets;
  for (const auto& make : objects) {
    offsets.push_back(body.size());
    body += make(ref);
  }
  const std::uint64_t table = body.size();
  const unsigned off = width(table);
  for (auto o : offsets) body += big_endian(o, off);
  return body + trailer(off, ref, objects.size(), top, table);
}

// `levels` arrays, each holding the next (written directly: 100,000 objects).
std::string nested_arrays(std::size_t levels) {
  const unsigned ref = width(levels), off = 4;
  std::string body = "bplist00", table;
  for (std::size_t i = 0; i < levels; ++i) {
    table += big_endian(body.size(), off);
    body += i + 1 < levels ? '\xA1' + big_endian(i + 1, ref) : std::string("\xA0");
  }
  return body + table + trailer(off, ref, levels, 0, body.size());
}

// Arrays each holding the next one `fanout` times, down to a string: fanout^levels copies of it.
std::string shared_chain(std::size_t levels, std::size_t fanout, const std::string& leaf = "leaf") {
  std::vector<Object> objects;
  for (std::size_t i = 0; i < levels; ++i) objects.push_back(array(std::vector<std::uint64_t>(fanout, i + 1)));
  objects.push_back(ascii(leaf));
  return bplist(objects);
}

std::string nested_xml(std::size_t levels) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">";
  for (std::size_t i = 0; i < levels; ++i) out += "<array>";
  for (std::size_t i = 0; i < levels; ++i) out += "</array>";
  return out + "</plist>\n";
}

struct Parsed {
  std::optional<Value> value;
  std::string error;  // the MCC-P001 message
  double seconds;
};

Parsed parse(const std::string& bytes) {
  Diagnostics d;
  const auto start = Clock::now();
  auto v = parse_plist(bytes, "x.plist", d);
  Parsed p{std::move(v), "", std::chrono::duration<double>(Clock::now() - start).count()};
  for (const auto& x : d.items())
    if (x.code == "MCC-P001") p.error = x.message;
  EXPECT_EQ(p.value.has_value(), p.error.empty()) << all_lines(d);
  return p;
}

void expect_refused(const std::string& bytes, const std::string& why) {
  Parsed p = parse(bytes);
  EXPECT_FALSE(p.value);
  EXPECT_NE(p.error.find(why), std::string::npos) << p.error;
  EXPECT_LT(p.seconds, 10.0) << "refusing should take one linear pass";
}

std::size_t count_strings(const Value& v) {
  if (v.is(Value::Kind::string)) return 1;
  std::size_t n = 0;
  if (v.is(Value::Kind::array))
    for (const auto& e : v.as_array()) n += count_strings(e);
  if (v.is(Value::Kind::dict))
    for (const auto& m : v.as_dict()) n += count_strings(m.value);
  return n;
}

// ---- the binary in a child process, with its peak memory -------------------------------------

struct Measured {
  int code;  // -1 when it did not exit normally (a crash)
  std::string err;
  double seconds;
  long peak_kb;
};

Measured run_measured(const std::vector<std::string>& args, const fs::path& dir) {
  const auto err_path = dir / ".measured-stderr";
  write_file(dir / ".measured-stdin", "");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, (dir / ".measured-stdin").c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir / ".measured-stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> words{MCC_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const auto start = Clock::now();
  pid_t pid = 0;
  Measured m{-1, "", 0, 0};
  if (posix_spawn(&pid, MCC_BINARY, &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    m.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.peak_kb = usage.ru_maxrss;
  }
  posix_spawn_file_actions_destroy(&actions);
  m.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  m.err = read_file(err_path);
  for (const char* f : {".measured-stdin", ".measured-stdout", ".measured-stderr"}) fs::remove(dir / f);
  return m;
}

class PlistLimits : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("plist-limits"); }
  void TearDown() override { fs::remove_all(dir_); }

  // Refused by the binary with MCC-P001, quickly and in little memory, without a crash.
  void expect_binary_refuses(const std::vector<std::string>& args, const std::string& why) {
    Measured m = run_measured(args, dir_);
    EXPECT_EQ(m.code, 1) << m.err;
    EXPECT_NE(m.err.find("error MCC-P001"), std::string::npos) << m.err;
    EXPECT_NE(m.err.find(why), std::string::npos) << m.err;
    EXPECT_LT(m.seconds, 10.0);
    // Generous for sanitizer builds; unbounded, the DAG bomb takes gigabytes.
    EXPECT_LT(m.peak_kb, 1024 * 1024) << "peak memory in KiB";
  }

  fs::path dir_;
};

// ---- item 11: depth ---------------------------------------------------------------------------

TEST(PlistDepth, DeepBinaryPlistIsRefusedBeforeLibplistRecurses) {
  // libplist 2.2 spent a quadratic 16 s on 100,000 levels, then overflowed its stack.
  expect_refused(nested_arrays(100000), "nesting deeper than 64 levels");
}

TEST(PlistDepth, SixtyFourLevelsBelowTheTopAreAccepted) {
  // The top object is at depth 0: 65 nested arrays reach depth 64, 66 reach 65.
  EXPECT_TRUE(parse(nested_arrays(65)).value);
  expect_refused(nested_arrays(66), "nesting deeper than 64 levels");
  EXPECT_TRUE(parse(nested_xml(65)).value);
  expect_refused(nested_xml(66), "nesting deeper than 64 levels");
}

TEST(PlistDepth, DeepXmlIsRefusedBeforeLibplistBuildsIt) {
  // libplist parses XML without recursion, but frees a tree recursively: a million open
  // <array> elements crashed the tool.
  std::string open = "<plist>";
  for (int i = 0; i < 1000000; ++i) open += "<array>";
  expect_refused(open, "nesting deeper than 64 levels");
  expect_refused(nested_xml(100000), "nesting deeper than 64 levels");
}

TEST(PlistDepth, ArraysThatContainThemselvesAreRefused) {
  expect_refused(bplist({array({0})}), "contains itself");
  expect_refused(bplist({array({1}), array({2}), array({0})}), "contains itself");
  expect_refused(bplist({dict({1}, {0}), ascii("k")}), "contains itself");
}

TEST_F(PlistLimits, TheToolRefusesADeepBinaryPlistWithoutACrash) {
  write_file(dir_ / "deep.plist", nested_arrays(100000));
  expect_binary_refuses({"validate", (dir_ / "deep.plist").string()}, "nesting deeper than 64 levels");
  expect_binary_refuses({"inspect", (dir_ / "deep.plist").string()}, "nesting deeper than 64 levels");
}

// ---- item 12: objects shared between several references ---------------------------------------

TEST(PlistExpansion, ADagBombIsRefusedBeforeAnythingIsBuilt) {
  // Each array holds the next one twice: 2^60 copies of the leaf once libplist expands it.
  // (A 733-byte file of this shape took 11 GB.)
  const std::string bomb = shared_chain(60, 2);
  EXPECT_LT(bomb.size(), 1000u);
  expect_refused(bomb, "expand to more than 1000000 nodes");
  // 2^20 leaves and 2^20 - 1 arrays: just over the limit.
  expect_refused(shared_chain(20, 2), "expand to more than 1000000 nodes");
}

TEST(PlistExpansion, SharedObjectsUnderTheLimitAreExpandedAsLibplistDoes) {
  Parsed p = parse(shared_chain(10, 2));
  ASSERT_TRUE(p.value) << p.error;
  EXPECT_EQ(count_strings(*p.value), 1024u);
  // As Apple's writer shares keys and values between dictionaries.
  std::vector<Object> objects{array({3, 4, 5}), ascii("PayloadType"), ascii("com.apple.vpn.managed")};
  for (int i = 0; i < 3; ++i) objects.push_back(dict({1}, {2}));
  Parsed shared = parse(bplist(objects));
  ASSERT_TRUE(shared.value) << shared.error;
  ASSERT_EQ(shared.value->as_array().size(), 3u);
  for (const auto& d : shared.value->as_array()) EXPECT_EQ(d.find("PayloadType")->as_string(), "com.apple.vpn.managed");
}

TEST(PlistExpansion, ALargeSharedStringCountsForEveryReference) {
  const std::string mib(std::size_t{1} << 20, 'x');
  // 65 references to one 1 MiB string: 65 MiB once expanded, more than a 64 MiB file holds.
  expect_refused(bplist({array(std::vector<std::uint64_t>(65, 1)), ascii(mib)}), "expand to more than 64 MiB");
  Parsed under = parse(bplist({array(std::vector<std::uint64_t>(8, 1)), ascii(mib)}));
  ASSERT_TRUE(under.value) << under.error;
  EXPECT_EQ(under.value->as_array().size(), 8u);
}

TEST(PlistExpansion, MoreObjectsThanTheLimitAreRefusedFromTheTrailer) {
  // One empty array, and an offset table of 1,000,001 entries that all point at it.
  const std::size_t count = 1000001;
  std::string bytes = "bplist00\xA0" + std::string(count, '\x08') + trailer(1, 1, count, 0, 9);
  expect_refused(bytes, "declares 1000001 objects");
  bytes = "bplist00\xA0" + std::string(count - 1, '\x08') + trailer(1, 1, count - 1, 0, 9);
  EXPECT_TRUE(parse(bytes).value) << "1,000,000 are accepted";
}

TEST(PlistExpansion, DamagedTablesAndReferencesAreRefused) {
  const std::string good = bplist({array({1}), ascii("x")});
  ASSERT_TRUE(parse(good).value);
  std::string beyond = bplist({array({7}), ascii("x")});
  expect_refused(beyond, "refers to object 7, which does not exist");
  std::string key_not_string = bplist({dict({1}, {1}), array({})});
  expect_refused(key_not_string, "is not a string");
  std::string truncated = good.substr(0, good.size() - 1);
  expect_refused(truncated, "not a property list");
  std::string table_outside = good;
  table_outside[table_outside.size() - 1] = '\x7f';
  expect_refused(table_outside, "offset table lies outside the file");
  expect_refused(std::string("bplist00") + std::string(40, '\xff'), "not a property list");
  expect_refused("{\"not\": \"a plist\"}", "neither xml nor a binary plist");
}

TEST_F(PlistLimits, TheToolRefusesADagBombInLittleMemory) {
  write_file(dir_ / "bomb.plist", shared_chain(60, 2));
  expect_binary_refuses({"validate", (dir_ / "bomb.plist").string()}, "expand to more than 1000000 nodes");
  expect_binary_refuses({"inspect", (dir_ / "bomb.plist").string()}, "expand to more than 1000000 nodes");
  expect_binary_refuses({"verify", (dir_ / "bomb.plist").string()}, "expand to more than 1000000 nodes");
}

TEST_F(PlistLimits, ASignedDagBombGetsNoFurtherThanItsSignature) {
  // Signed by a trusted signer, it used to pass `verify`: the content is checked as well.
  pki::write_files(dir_);
  SignerCredentials credentials;
  credentials.certificate = NamedBytes{"signer.pem", read_file(dir_ / "signer.pem")};
  credentials.private_key = NamedSecret{"signer.key", SecretBytes(read_file(dir_ / "signer.key"))};
  Diagnostics d;
  auto signer = Signer::load(credentials, [](const std::string&) { return std::nullopt; }, d);
  ASSERT_TRUE(signer) << all_lines(d);
  auto signed_bomb = signer->sign(shared_chain(60, 2), "bomb.mobileconfig", d);
  ASSERT_TRUE(signed_bomb) << all_lines(d);
  write_file(dir_ / "bomb.mobileconfig", *signed_bomb);
  const std::string bomb = (dir_ / "bomb.mobileconfig").string();
  expect_binary_refuses({"verify", bomb, "--ca", (dir_ / "root.pem").string()}, "expand to more than 1000000 nodes");
  expect_binary_refuses({"inspect", bomb}, "expand to more than 1000000 nodes");
}

// ---- XML: element counts and character references --------------------------------------------

TEST(PlistXml, CharacterReferencesCannotTakeQuadraticTime) {
  // libplist moves the rest of a string once per reference: 300,000 of them took 28 s.
  std::string many = "<plist><string>";
  for (int i = 0; i < 300000; ++i) many += "&lt;";
  expect_refused(many + "</string></plist>", "too many character references");
  // A realistic string keeps its references.
  std::string some = "<plist><string>";
  for (int i = 0; i < 1000; ++i) some += "a&lt;b&amp;c&#x41;";
  Parsed p = parse(some + "</string></plist>");
  ASSERT_TRUE(p.value) << p.error;
  EXPECT_EQ(p.value->as_string().substr(0, 10), "a<b&cAa<b&");
}

TEST(PlistXml, ElementCountIsBounded) {
  std::string many = "<plist><array>";
  for (int i = 0; i < 1000001; ++i) many += "<true/>";
  expect_refused(many + "</array></plist>", "more than 1000000 elements");
}

TEST(PlistXml, CommentsCdataAndDoctypesDoNotHideNesting) {
  // The preflight reads XML as libplist does: end tags inside comments, CDATA sections and
  // quoted attributes do not close anything.
  std::string hidden = "<!DOCTYPE plist [ <!ENTITY e \"]>\"> ]><plist><array><!-- ";
  for (int i = 0; i < 100; ++i) hidden += "</array>";
  hidden += " -->";
  for (int i = 0; i < 100; ++i) hidden += "<array a=\"</array>\">";
  expect_refused(hidden, "nesting deeper than 64 levels");
  Parsed fine = parse(
      "<?xml version=\"1.0\"?><!DOCTYPE plist [ <!ENTITY x \"y\"> ]><plist version=\"1.0\"><dict><!-- c -->"
      "<key>a</key><string><![CDATA[</string>]]>&amp;</string></dict></plist>");
  ASSERT_TRUE(fine.value) << fine.error;
  EXPECT_EQ(fine.value->find("a")->as_string(), "</string>&");
}

}  // namespace
}  // namespace mcc::test
