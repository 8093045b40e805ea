// SPDX-License-Identifier: Apache-2.0
// Start-up shortcuts for the tables and schemas built into the binary: the fast JSON
// reader must build exactly what nlohmann builds, the built-in tables, which a fresh
// process reads only when used, must pass the checks load() makes on others and read as
// they do read whole, and so must Graph's types and Apple's payload types, which it also
// reads when used.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "schema/embedded.hpp"
#include "base/fast_json.hpp"
#include "map/engine.hpp"
#include "map/table.hpp"
#include "map/transforms/registry.hpp"
#include "schema/apple_schema.hpp"
#include "schema/graph_schema.hpp"
#include "schema/key_spec_reader.hpp"
#include "support/test_support.hpp"

namespace {

using nlohmann::json;

// Same value and same number kinds (unsigned / integer / float), recursively.
void expect_same(const json& a, const json& b, const std::string& where) {
  ASSERT_EQ(a.type(), b.type()) << where;
  if (a.is_object()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      ASSERT_EQ(ia.key(), ib.key()) << where;
      expect_same(*ia, *ib, where + "/" + ia.key());
    }
  } else if (a.is_array()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (std::size_t i = 0; i < a.size(); ++i) expect_same(a[i], b[i], where + "/" + std::to_string(i));
  } else {
    EXPECT_EQ(a, b) << where;
  }
}

TEST(FastJson, BuiltInResourcesParseExactlyAsNlohmann) {
  for (const auto& r : mcc::embedded::resources()) {
    if (r.path.substr(r.path.size() - 5) != ".json") continue;
    auto fast = mcc::fast_json_parse(r.content);
    ASSERT_TRUE(fast.has_value()) << r.path;
    expect_same(*fast, json::parse(r.content), std::string(r.path));
  }
}

TEST(FastJson, SameValuesAsNlohmann) {
  for (std::string text : {
           R"({"a": 1, "b": -2, "c": 1.5, "d": -0, "e": 1e3, "f": 0.1, "g": 18446744073709551615})",
           R"({"k": 1, "k": 2})", R"([true, false, null, [], {}, [[{}]]])",
           R"("\u00e9\ud83d\ude00\n\t\\\/\"")", "\"\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80\"",
           " \r\n\t{ \"x\" : [ 1 , 2 ] } \n", "123456789012345678", "-123456789012345678", "1E-5", "-0.0"}) {
    auto fast = mcc::parse_json_or_discarded(text);
    expect_same(fast, json::parse(text), text);
  }
}

TEST(FastJson, RejectsWhatNlohmannRejects) {
  for (std::string text : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", ".5", "+1", "\"\x01\"", "\"\\x\"",
                           "\"\\ud800\"", "\"\\udc00\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
                           "\"\xe2\x80\"", "tru", "nul", "[1] x", "{\"a\" 1}", "{1:2}", "1e400", "-1e400"}) {
    EXPECT_FALSE(mcc::fast_json_parse(text).has_value()) << text;
    EXPECT_TRUE(mcc::parse_json_or_discarded(text).is_discarded()) << text;
  }
}

// Strings and white space long enough to be read 16 bytes at a time, with the byte that
// matters (a quote, an escape, a control character, UTF-8 good and bad, a white space
// JSON does not allow) at every offset into a block: accepted and read as nlohmann reads
// them, refused where it refuses them, and nothing read past the text (ASan in CI).
TEST(FastJson, LongStringsAndWhiteSpaceAtEveryAlignment) {
  const std::vector<std::string> inside = {"\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "\xc3\xa9", "\xf0\x9f\x98\x80",
                                           "\x01", "\x1f", "\x7f", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x80", "\xff", "\\x"};
  const std::vector<std::string> blanks = {" ", "\n", "\r\n", "\t", "\f", "\v", "\xc2\xa0"};
  std::size_t accepted = 0, refused = 0;
  for (std::size_t pad = 0; pad < 34; ++pad) {
    std::vector<std::string> texts;
    for (const auto& in : inside)
      texts.push_back("{\"" + std::string(pad, 'k') + "\": \"" + std::string(pad, 'v') + in + std::string(pad % 5, 'w') + "\"}");
    for (const auto& blank : blanks)
      texts.push_back("[" + std::string(pad, ' ') + blank + std::string(pad % 3, ' ') + "1," + std::string(pad, '\n') + "2]");
    for (const auto& text : texts) {
      const std::vector<char> exact(text.begin(), text.end());  // no byte after it
      auto fast = mcc::fast_json_parse(std::string_view(exact.data(), exact.size()));
      const json slow = json::parse(text, nullptr, false);
      ASSERT_EQ(fast.has_value(), !slow.is_discarded()) << pad << " " << text;
      if (fast) {
        expect_same(*fast, slow, text);
        ++accepted;
      } else {
        ++refused;
      }
    }
  }
  EXPECT_GT(accepted, 100u);
  EXPECT_GT(refused, 100u);
}

TEST(FastJson, RejectsDuplicateKeysWhenAsked) {
  for (std::string text : {R"({"k": 1, "k": 2})", R"([{"a": {"b": 1, "b": 1}}])"})
    EXPECT_FALSE(mcc::fast_json_parse(text, /*reject_duplicate_keys=*/true).has_value()) << text;
  EXPECT_TRUE(mcc::fast_json_parse(R"({"k": {"k": 1}, "j": [{"k": 2}, {"k": 3}]})", true).has_value());
}

namespace {

// The mapping tables built into the binary, as TableSet::load takes them.
std::vector<std::pair<std::string, std::string>> built_in_table_files() {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& r : mcc::embedded::resources()) {
    std::string_view p = r.path;
    if (p.substr(0, 9) == "mappings/" && p.substr(p.size() - 5) == ".json" && p != "mappings/schema.json")
      files.emplace_back(std::string(p), std::string(r.content));
  }
  return files;
}

}  // namespace

// Each built-in table is loaded three ways: read at load (as --mappings tables are), read on
// first use from a copy of its text, and read on first use where it is compiled into the
// binary (what a fresh process does). All three give the same tables.
class BuiltInTableLoads : public ::testing::TestWithParam<bool> {};

TEST_P(BuiltInTableLoads, PassEveryLoadCheckIncludingExpansion) {
  const auto files = built_in_table_files();
  ASSERT_FALSE(files.empty());
  mcc::Diagnostics eager_diags, lazy_diags;
  auto eager = mcc::map::TableSet::load(files, mcc::map::transforms::signatures(), eager_diags, /*built_in=*/false);
  std::optional<mcc::map::TableSet> lazy;
  if (GetParam()) {
    std::vector<std::pair<std::string_view, std::string_view>> in_place;
    for (const auto& r : mcc::embedded::resources())
      for (const auto& [name, text] : files)
        if (r.path == name) in_place.emplace_back(r.path, r.content);
    ASSERT_EQ(in_place.size(), files.size());
    lazy = mcc::map::TableSet::load_built_in(in_place, mcc::map::transforms::signatures(), lazy_diags);
  } else {  // from texts that are gone before any table is read: the set keeps its own copies
    const auto gone = files;
    lazy = mcc::map::TableSet::load(gone, mcc::map::transforms::signatures(), lazy_diags, /*built_in=*/true);
  }
  ASSERT_TRUE(eager.has_value());
  ASSERT_TRUE(lazy.has_value());
  EXPECT_TRUE(eager_diags.empty());
  EXPECT_TRUE(lazy_diags.empty());
  for (const auto& [name, table] : eager->all()) EXPECT_FALSE(lazy->read_yet(name)) << name;  // none read yet
  // The built-in set indexes each table by its top level and reads it on first use (issue
  // 18): before any is read it answers what the whole tables answer.
  EXPECT_EQ(lazy->supported_types(), eager->supported_types());
  for (const auto& type : eager->supported_types()) {
    const auto* a = eager->for_graph_type(type);
    const auto* b = lazy->for_graph_type(type);
    ASSERT_NE(b, nullptr) << type;
    EXPECT_EQ(a->name, b->name);
    EXPECT_EQ(a->platform, b->platform);
    EXPECT_EQ(a->payload_type, b->payload_type);
    EXPECT_EQ(a->payload_role, b->payload_role);
    // Variants are read with the table, on first use, through the ones it includes.
    const auto va = eager->variants(*a), vb = lazy->variants(*b);
    ASSERT_EQ(va.size(), vb.size()) << type;
    for (std::size_t i = 0; i < va.size(); ++i) EXPECT_EQ(va[i]->payload_type, vb[i]->payload_type) << type;
  }
  for (const auto& [name, table] : eager->all()) {
    const auto& a = eager->expanded_rows(table);
    const auto& b = lazy->expanded_rows(*lazy->find(name));
    ASSERT_EQ(a.size(), b.size()) << name;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].to, b[i].to) << name;
      EXPECT_EQ(a[i].from, b[i].from) << name;
      EXPECT_EQ(a[i].table_name, b[i].table_name) << name;
      EXPECT_EQ(a[i].kind, b[i].kind) << name;
      // A transform row read on first use gets its optional arguments' fallbacks too.
      EXPECT_EQ(a[i].args, b[i].args) << name << " row " << a[i].index;
      EXPECT_EQ(a[i].args_given, b[i].args_given) << name;
    }
    EXPECT_EQ(table.graph_type, lazy->find(name)->graph_type) << name;
    EXPECT_EQ(table.variants.size(), lazy->find(name)->variants.size()) << name;
  }
  EXPECT_EQ(lazy->all().size(), eager->all().size());
}

INSTANTIATE_TEST_SUITE_P(FromACopyAndInPlace, BuiltInTableLoads, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "InPlace" : "FromACopy"; });

// The start-up index of a built-in table stops at its rows: each table ends with them, so
// that nothing which indexes it (its name, Graph type, platform, payload) comes after.
TEST(BuiltInTables, EachEndsWithItsRows) {
  for (const auto& [name, text] : built_in_table_files()) {
    auto members = mcc::json_object_members(text);
    ASSERT_TRUE(members.has_value()) << name;
    ASSERT_FALSE(members->empty()) << name;
    EXPECT_EQ(members->back().first, "rows") << name;
    EXPECT_EQ(std::count_if(members->begin(), members->end(), [](const auto& m) { return m.first == "rows"; }), 1) << name;
  }
}

// A fresh process reads a built-in table when a row of its object applies it, not when the
// plan of the rows around it is built: a VPN without an always-on tunnel reads no table of
// the tunnel.
TEST(BuiltInTables, ANestedTableIsReadWhenARowAppliesIt) {
  const auto files = built_in_table_files();
  mcc::Diagnostics diags;
  auto tables = mcc::map::TableSet::load(files, mcc::map::transforms::signatures(), diags, /*built_in=*/true);
  const mcc::schema::AppleSchema* apple = mcc::schema::AppleSchema::embedded(diags);
  ASSERT_TRUE(tables.has_value());
  ASSERT_NE(apple, nullptr);
  const char* const tunnel[] = {"iosikEv2AlwaysOnTunnel", "appleVpnAlwaysOnConfiguration"};
  auto map = [&](const char* sample) {
    mcc::read::GraphObject object{sample, "", "iosikEv2VpnConfiguration",
                                  json::parse(mcc::test::read_file(mcc::test::source_dir() / "samples" / sample))};
    mcc::Diagnostics d;
    return mcc::map::map_object(*tables, *apple, object, mcc::map::MapInput{}, d).has_value();
  };
  for (const char* t : tunnel) EXPECT_FALSE(tables->read_yet(t)) << t;
  ASSERT_TRUE(map("ios-ikev2-certificate-ondemand.json"));
  EXPECT_TRUE(tables->read_yet("iosikEv2Connection"));
  for (const char* t : tunnel) EXPECT_FALSE(tables->read_yet(t)) << t;
  ASSERT_TRUE(map("ios-ikev2-alwayson.json"));
  for (const char* t : tunnel) EXPECT_TRUE(tables->read_yet(t)) << t;
  EXPECT_TRUE(mcc::map::TableSet::load(files, mcc::map::transforms::signatures(), diags)->read_yet(tunnel[0]));  // read at load
}

TEST(FastJson, SkimsAnObjectsMembersWithoutReadingThem) {
  auto m = mcc::json_object_members(R"( {"a": {"x": "}]\"{"}, "b" : [1, [2]], "c": "q\\", "d": -1.5e3, "e": null} )");
  ASSERT_TRUE(m.has_value());
  ASSERT_EQ(m->size(), 5u);
  EXPECT_EQ((*m)[0].first, "a");
  EXPECT_EQ((*m)[0].second, R"({"x": "}]\"{"})");
  EXPECT_EQ((*m)[1].second, "[1, [2]]");
  EXPECT_EQ((*m)[2].second, R"("q\\")");
  EXPECT_EQ((*m)[3].second, "-1.5e3");
  EXPECT_EQ((*m)[4].second, "null");
  EXPECT_TRUE(mcc::json_object_members("{}").has_value());
  for (std::string bad : {R"({"a\u0041": 1})", R"({"a": [1})", R"({"a": "x)", R"({"a": 1} x)", "[1]", R"({"a" 1})", R"({"a": "\)"})
    EXPECT_FALSE(mcc::json_object_members(bad).has_value()) << bad;
  EXPECT_EQ(mcc::json_plain_string(R"("abc")"), std::optional<std::string_view>("abc"));
  EXPECT_FALSE(mcc::json_plain_string(R"("a\"b")").has_value());
  EXPECT_FALSE(mcc::json_plain_string("abc").has_value());
}

// The cursor enters the objects it is told to and hands over every other value as its text;
// anything not as expected fails it for good.
TEST(FastJson, CursorStepsThroughObjectsInOnePass) {
  mcc::JsonCursor c(R"( {"a": {"x": [1, {"y": "}"}]}, "b" : {}, "c": "q\\"} )");
  ASSERT_TRUE(c.enter_object());
  EXPECT_EQ(c.next_key(), std::optional<std::string_view>("a"));
  ASSERT_TRUE(c.enter_object());
  EXPECT_EQ(c.next_key(), std::optional<std::string_view>("x"));
  EXPECT_EQ(c.skip_value(), std::optional<std::string_view>(R"([1, {"y": "}"}])"));
  EXPECT_FALSE(c.next_key().has_value());  // the end of "a"
  EXPECT_FALSE(c.failed());
  EXPECT_EQ(c.next_key(), std::optional<std::string_view>("b"));
  EXPECT_EQ(c.peek(), '{');
  ASSERT_TRUE(c.enter_object());
  EXPECT_FALSE(c.next_key().has_value());
  EXPECT_EQ(c.next_key(), std::optional<std::string_view>("c"));
  EXPECT_FALSE(c.done());  // inside the object still
  EXPECT_EQ(c.skip_value(), std::optional<std::string_view>(R"("q\\")"));
  EXPECT_FALSE(c.next_key().has_value());
  EXPECT_TRUE(c.done());

  // Each read to its end; every one fails somewhere and gives nothing after that.
  for (std::string bad : {R"({"a\u0041": 1})", R"({"a" 1})", R"({"a": 1,})", R"({"a": 1 "b": 2})", R"({"a": [1})",
                          R"({"a": 1} x)", "{\"a\tb\": 1}", R"([1])", R"({"a": )", ""}) {
    mcc::JsonCursor b(bad);
    bool entered = b.enter_object();
    for (int guard = 0; entered && guard < 8; ++guard) {
      if (!b.next_key()) {
        if (b.failed()) break;
        continue;  // the end of the top object: done() says whether anything follows
      }
      if (!b.skip_value()) break;
    }
    EXPECT_FALSE(b.done()) << bad;
    EXPECT_FALSE(b.next_key().has_value()) << bad;
  }
}

// Keys and white space long enough to be passed 16 bytes at a time: a key of every length is
// read whole, with a quote ending it, or a backslash or control character refusing it, at every
// offset into a block (ASan in CI: nothing read past the text).
TEST(FastJson, CursorReadsLongKeysAndWhiteSpaceAtEveryAlignment) {
  for (std::size_t n = 0; n < 40; ++n) {
    const std::string key(n, 'k'), white(n, n % 3 == 0 ? ' ' : n % 3 == 1 ? '\n' : '\t');
    const std::string text = "{" + white + "\"" + key + "\"" + white + ":" + white + "1" + white + "}" + white;
    mcc::JsonCursor c(text);
    ASSERT_TRUE(c.enter_object()) << n;
    EXPECT_EQ(c.next_key(), std::optional<std::string_view>(key)) << n;
    EXPECT_EQ(c.skip_value(), std::optional<std::string_view>("1")) << n;
    EXPECT_FALSE(c.next_key().has_value()) << n;
    EXPECT_TRUE(c.done()) << n;
    for (std::size_t at = 0; at < n; ++at)
      for (char bad : {'\\', '\x01', '\x1f', '"'}) {
        std::string k = key;
        k[at] = bad;  // a quote ends the key early, and no colon follows it
        const std::string broken = "{\"" + k + "\": 1}";  // the cursor reads it where it is
        mcc::JsonCursor b(broken);
        ASSERT_TRUE(b.enter_object());
        EXPECT_FALSE(b.next_key().has_value()) << n << " " << at << " " << int(bad);
        EXPECT_TRUE(b.failed()) << n << " " << at;
      }
    const std::string short_text = text.substr(0, 1 + white.size() + 1 + n);  // the text ends inside the key
    mcc::JsonCursor cut(short_text);
    ASSERT_TRUE(cut.enter_object());
    EXPECT_FALSE(cut.next_key().has_value()) << n;
    EXPECT_TRUE(cut.failed()) << n;
  }
}

// Values long enough to be skipped 16 bytes at a time, with quotes, escapes and brackets
// inside strings at every offset into a block: each member's text is the value nlohmann
// reads there, and the text cut short anywhere is refused (ASan in CI: nothing read past it).
TEST(FastJson, SkimsLongValuesAtEveryAlignment) {
  const std::vector<std::string> tricky = {R"(a\"b)", R"(\\)", R"(x\\\"y)", "{[}]", R"(\"}\")", R"(q\\)", "\\u0041]"};
  for (std::size_t pad = 0; pad < 20; ++pad) {
    for (std::size_t t = 0; t < tricky.size(); ++t) {
      std::string inner = "{\"k\": \"" + std::string(pad, 'p') + tricky[t] + "\", \"l\": [1, {\"m\": \"" + tricky[(t + 1) % tricky.size()] +
                          "\"}, \"" + std::string(pad % 7, ']') + "\"], \"n\": {}}";
      std::string text = "{\"a\": " + inner + ", \"b\": [" + inner + ", " + std::string(pad, ' ') + "\"" + tricky[t] +
                         "\"], \"c\": \"" + tricky[t] + "\", \"d\": 1}";
      const json whole = json::parse(text);
      auto m = mcc::json_object_members(text);
      ASSERT_TRUE(m.has_value()) << text;
      ASSERT_EQ(m->size(), 4u) << text;
      for (const auto& [key, value] : *m) EXPECT_EQ(json::parse(value), whole.at(std::string(key))) << text << " " << key;
      for (std::size_t cut = 0; cut < text.size(); ++cut) {
        const std::vector<char> shorter(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(cut));  // no byte after it
        EXPECT_FALSE(mcc::json_object_members(std::string_view(shorter.data(), shorter.size())).has_value()) << cut << " " << text;
      }
    }
  }
}

// Skimming a document and one of its members in one pass gives what skimming the document
// and then that member gives: for every member of every built-in document, and at the edges.
TEST(FastJson, SkimsAMemberInTheSamePassAsTwoPassesDo) {
  using Members = std::vector<std::pair<std::string_view, std::string_view>>;
  std::size_t compared = 0;
  for (const auto& r : mcc::embedded::resources()) {
    if (r.path.substr(r.path.size() - 5) != ".json") continue;
    const auto top = mcc::json_object_members(r.content);
    ASSERT_TRUE(top.has_value()) << r.path;
    for (const auto& [key, value] : *top) {
      const auto one = mcc::json_object_members(r.content, key);
      ASSERT_TRUE(one.has_value()) << r.path << " " << key;
      EXPECT_EQ(one->first, *top) << r.path;
      EXPECT_EQ(one->second, mcc::json_object_members(value)) << r.path << " " << key;
      ++compared;
    }
  }
  EXPECT_GT(compared, 50u);
  auto inner = [](std::string_view text, std::string_view key) { return mcc::json_object_members(text, key); };
  EXPECT_FALSE(inner(R"({"a": 1})", "b")->second.has_value());                  // absent
  EXPECT_FALSE(inner(R"({"b": [1]})", "b")->second.has_value());                // not an object
  EXPECT_FALSE(inner(R"({"b": {"x": 1}, "b": 2})", "b")->second.has_value());   // the last is not one
  EXPECT_EQ(inner(R"({"b": 2, "b": {"x": 1}})", "b")->second, (Members{{"x", "1"}}));
  EXPECT_FALSE(inner(R"({"b": {"x\u0041": 1}})", "b").has_value());              // an inner key with an escape
  EXPECT_TRUE(inner(R"({"c": {"x\u0041": 1}})", "b").has_value());               // only the member named is indexed
  EXPECT_FALSE(inner(R"({"b": {"x": 1}} x)", "b").has_value());
}

TEST(GraphTypeIndex, ADerivedPropertyHidesTheBaseOneAndAnUnknownTypeHasNone) {
  const json j = json::parse(R"({"types": {
    "base": {"kind": "entity", "properties": {"a": {"type": "Edm.String"}, "x": {"type": "Edm.String"}}},
    "derived": {"kind": "entity", "base": "base", "properties": {"x": {"type": "Edm.Int32"}, "b": {"type": "Edm.Boolean"}}}}})");
  mcc::Diagnostics diags;
  auto schema = mcc::schema::GraphSchema::from_json(j, "types.json", diags);
  ASSERT_TRUE(schema.has_value());
  const auto& props = schema->properties_by_name("derived");
  ASSERT_EQ(props.size(), 3u);
  EXPECT_EQ(props[0]->name, "a");
  EXPECT_EQ(props[1]->name, "b");
  EXPECT_EQ(props[2]->name, "x");
  EXPECT_EQ(props[2]->type, "Edm.Int32");
  EXPECT_EQ(props[2]->kind, mcc::schema::GraphProperty::Kind::int32);
  EXPECT_EQ(props[2], schema->property("derived", "x"));
  EXPECT_EQ(&schema->properties_by_name("derived"), &props);  // made once
  EXPECT_TRUE(schema->properties_by_name("noSuchType").empty());
}

// Each built-in Graph type reads from its text in one pass, without falling back to its DOM
// (the test above compares what that builds with from_json); text the pass is unsure of is
// left to the DOM, and a member of the wrong type leaves the type known by name only either way.
TEST(BuiltInGraphTypes, EachReadsFromItsTextInOnePass) {
  std::string_view all;
  for (const auto& r : mcc::embedded::resources())
    if (std::string_view(r.path) == "schemas/graph-types.json") all = r.content;
  auto index = mcc::json_object_members(all, "types");
  ASSERT_TRUE(index && index->second);
  ASSERT_GT(index->second->size(), 10u);
  for (const auto& [name, text] : *index->second)
    EXPECT_TRUE(mcc::schema::GraphSchema::type_from_text(std::string(name), text).has_value()) << name;

  for (std::string unsure : {R"({"kind": "complex", "properties": {"a": {"type": "Edm.String"}, "a": {"type": "Edm.Int32"}}})",
                             R"({"kind": "complex", "kind": "entity", "properties": {}})",
                             R"({"kind": "complex", "properties": {"a\u0041": {"type": "Edm.String"}}})",
                             R"({"kind": "complex", "properties": {"a": "Edm.String"}})", R"({"kind": "complex", "properties": []})",
                             R"({"kind": "complex"})", R"({"properties": {}})", R"({"kind": "enum", "flags": false})",
                             R"({"kind": "complex", "properties": {"a": {"type": "Edm.String", "nullable": "no"}}})",
                             R"({"kind": "complex", "properties": {}} x)"})
    EXPECT_FALSE(mcc::schema::GraphSchema::type_from_text("t", unsure).has_value()) << unsure;
  // A repeated name among the types: the last, read when first used, as from_json reads it.
  mcc::Diagnostics diags;
  auto schema = mcc::schema::GraphSchema::from_text(
      R"({"types": {"t": {"kind": "complex", "properties": {"a": {"type": "Edm.String", "nullable": "no"}}},
                    "u": {"kind": "enum", "members": ["x", "y"], "flags": true}}})",
      "types.json", diags);
  ASSERT_TRUE(schema.has_value());
  const auto* t = schema->find("t");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->kind.empty());  // known by name only
  const auto* u = schema->find("u");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->members, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(u->flags);
}

TEST(BuiltInGraphTypes, ReadOnFirstUseAsTheyReadWhole) {
  std::string_view text;
  for (const auto& r : mcc::embedded::resources())
    if (std::string_view(r.path) == "schemas/graph-types.json") text = r.content;
  ASSERT_FALSE(text.empty());
  const json j = json::parse(text);
  mcc::Diagnostics eager_diags, lazy_diags;
  auto eager = mcc::schema::GraphSchema::from_json(j, "graph-types.json", eager_diags);
  auto lazy = mcc::schema::GraphSchema::from_text(text, "graph-types.json", lazy_diags);
  // What a fresh process reads: the text where it is compiled into the binary, not a copy.
  auto in_place = mcc::schema::GraphSchema::from_static_text(text, "graph-types.json", lazy_diags);
  ASSERT_TRUE(eager.has_value());
  ASSERT_TRUE(lazy.has_value());
  ASSERT_TRUE(in_place.has_value());
  EXPECT_TRUE(eager_diags.empty());
  EXPECT_TRUE(lazy_diags.empty());
  EXPECT_EQ(lazy->find("noSuchType"), nullptr);
  ASSERT_GT(j.at("types").size(), 10u);
  for (const auto& [name, unused] : j.at("types").items()) {
    const auto* a = eager->find(name);
    const auto* b = lazy->find(name);
    ASSERT_NE(a, nullptr) << name;
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(a->name, b->name);
    EXPECT_EQ(a->kind, b->kind) << name;
    EXPECT_EQ(a->base, b->base) << name;
    EXPECT_EQ(a->abstract, b->abstract) << name;
    EXPECT_EQ(a->flags, b->flags) << name;
    EXPECT_EQ(a->members, b->members) << name;
    ASSERT_EQ(a->properties.size(), b->properties.size()) << name;
    for (std::size_t i = 0; i < a->properties.size(); ++i) {
      const auto &p = a->properties[i], &q = b->properties[i];
      EXPECT_EQ(p.name, q.name) << name;
      EXPECT_EQ(p.type, q.type) << name << "." << p.name;
      EXPECT_EQ(p.collection, q.collection) << name << "." << p.name;
      EXPECT_EQ(p.nullable, q.nullable) << name << "." << p.name;
      EXPECT_EQ(p.navigation, q.navigation) << name << "." << p.name;
      EXPECT_EQ(p.max_items, q.max_items) << name << "." << p.name;
      EXPECT_EQ(p.range, q.range) << name << "." << p.name;
    }
    EXPECT_EQ(eager->chain(name).size(), lazy->chain(name).size()) << name;
    // The check stage's index of a type's properties: every one property() finds, each once,
    // in name order, and the kind its type name gives.
    if (a->kind != "enum") {
      const auto& by_name = lazy->properties_by_name(name);
      std::set<std::string> all;
      for (const auto* t : eager->chain(name))
        for (const auto& p : t->properties) all.insert(p.name);
      ASSERT_EQ(by_name.size(), all.size()) << name;
      auto expected = all.begin();
      for (const auto* p : by_name) {
        EXPECT_EQ(p->name, *expected++) << name;
        EXPECT_EQ(p, lazy->property(name, p->name)) << name << "." << p->name;
        using Kind = mcc::schema::GraphProperty::Kind;
        const Kind kind = p->type == "Edm.Boolean" ? Kind::boolean
                          : p->type == "Edm.Int32" ? Kind::int32
                          : p->type == "Edm.Int64" ? Kind::int64
                          : p->type == "Edm.String" || p->type == "Edm.Binary" || p->type == "Edm.DateTimeOffset" || p->type == "Edm.Guid"
                              ? Kind::string
                              : Kind::other;
        EXPECT_EQ(p->kind, kind) << name << "." << p->name;
      }
    }
    const auto* c = in_place->find(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_EQ(c->kind, a->kind) << name;
    EXPECT_EQ(c->members, a->members) << name;
    ASSERT_EQ(c->properties.size(), a->properties.size()) << name;
    for (std::size_t i = 0; i < a->properties.size(); ++i) EXPECT_EQ(c->properties[i].type, a->properties[i].type) << name;
  }
  // from_text keeps its own copy: the types read after the caller's text is gone and the
  // schema has moved.
  std::optional<mcc::schema::GraphSchema> copied;
  {
    const std::string gone(text);
    copied = mcc::schema::GraphSchema::from_text(gone, "graph-types.json", lazy_diags);
  }
  ASSERT_TRUE(copied.has_value());
  const mcc::schema::GraphSchema moved = std::move(*copied);
  for (const auto& [name, unused] : j.at("types").items()) {
    const auto* t = moved.find(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_EQ(t->properties.size(), eager->find(name)->properties.size()) << name;
  }
  // Text it cannot index is read whole, and broken text is refused as before.
  auto whole = mcc::schema::GraphSchema::from_text(R"({"types": {"t\u0041": {"kind": "complex", "base": null, "properties": {}}}})",
                                                   "x", lazy_diags);
  ASSERT_TRUE(whole.has_value());
  EXPECT_NE(whole->find("tA"), nullptr);
  mcc::Diagnostics broken;
  EXPECT_FALSE(mcc::schema::GraphSchema::from_text(R"({"types": )", "x", broken).has_value());
  EXPECT_TRUE(broken.has_errors());
}

std::string_view builtin(std::string_view path) {
  for (const auto& r : mcc::embedded::resources())
    if (r.path == path) return r.content;
  return {};
}

void expect_same_spec(const mcc::schema::KeySpec& a, const mcc::schema::KeySpec& b, const std::string& where) {
  EXPECT_EQ(a.type, b.type) << where;
  EXPECT_EQ(a.required, b.required) << where;
  EXPECT_EQ(a.values, b.values) << where;
  EXPECT_EQ(a.min, b.min) << where;
  EXPECT_EQ(a.max, b.max) << where;
  EXPECT_EQ(a.default_value, b.default_value) << where;
  EXPECT_EQ(a.platforms, b.platforms) << where;
  EXPECT_EQ(a.any_keys, b.any_keys) << where;
  EXPECT_EQ(a.secret, b.secret) << where;
  EXPECT_EQ(a.reason, b.reason) << where;
  EXPECT_EQ(a.override, b.override) << where;
  EXPECT_EQ(a.missing_accepted, b.missing_accepted) << where;
  ASSERT_EQ(a.items == nullptr, b.items == nullptr) << where;
  if (a.items) expect_same_spec(*a.items, *b.items, where + "[]");
  ASSERT_EQ(a.keys.size(), b.keys.size()) << where;
  for (auto ia = a.keys.begin(), ib = b.keys.begin(); ia != a.keys.end(); ++ia, ++ib) {
    ASSERT_EQ(ia->first, ib->first) << where;
    expect_same_spec(ia->second, ib->second, where + "." + ia->first);
  }
}

// Every load check from_json makes on the built-in schema passes (from_json reads every
// payload type), and each type, read on first use, is what from_json builds.
TEST(BuiltInAppleSchema, PassesEveryLoadCheckAndReadsOnFirstUseAsItReadsWhole) {
  const std::string_view derived = builtin("schemas/apple-payloads.json"), overlay = builtin("schemas/apple-overlay.json");
  ASSERT_FALSE(derived.empty());
  ASSERT_FALSE(overlay.empty());
  mcc::Diagnostics eager_diags, lazy_diags, embedded_diags;
  auto eager = mcc::schema::AppleSchema::from_json(json::parse(derived), json::parse(overlay), eager_diags);
  auto lazy = mcc::schema::AppleSchema::from_text(derived, overlay, lazy_diags);
  const mcc::schema::AppleSchema* embedded = mcc::schema::AppleSchema::embedded(embedded_diags);
  ASSERT_TRUE(eager.has_value());
  ASSERT_TRUE(lazy.has_value());
  ASSERT_NE(embedded, nullptr);
  EXPECT_TRUE(eager_diags.empty());
  EXPECT_TRUE(lazy_diags.empty());
  EXPECT_TRUE(embedded_diags.empty());
  const std::vector<std::string> types = eager->payload_types();
  ASSERT_GT(types.size(), 5u);
  EXPECT_EQ(lazy->payload_types(), types);
  EXPECT_EQ(embedded->payload_types(), types);
  expect_same_spec(eager->toplevel().root, lazy->toplevel().root, "toplevel");
  EXPECT_EQ(eager->identity_keys(), lazy->identity_keys());
  for (const std::string& type : types) {
    for (const mcc::schema::AppleSchema* other : std::vector<const mcc::schema::AppleSchema*>{&*lazy, embedded}) {
      const mcc::schema::PayloadSpec* a = eager->payload(type);
      const mcc::schema::PayloadSpec* b = other->payload(type);
      ASSERT_NE(a, nullptr) << type;
      ASSERT_NE(b, nullptr) << type;
      expect_same_spec(a->root, b->root, type);
      ASSERT_EQ(a->dependencies.size(), b->dependencies.size()) << type;
      for (std::size_t i = 0; i < a->dependencies.size(); ++i) {
        EXPECT_EQ(a->dependencies[i].conditions, b->dependencies[i].conditions) << type;
        EXPECT_EQ(a->dependencies[i].then_key, b->dependencies[i].then_key) << type;
      }
    }
  }
  EXPECT_EQ(lazy->payload("com.example.not-a-type"), nullptr);
}

// Payload types read on first use are read once, whichever thread gets there first
// (CI runs this under ThreadSanitizer too).
TEST(BuiltInAppleSchema, PayloadTypesReadOnceFromManyThreads) {
  mcc::Diagnostics diags;
  auto lazy = mcc::schema::AppleSchema::from_text(builtin("schemas/apple-payloads.json"), builtin("schemas/apple-overlay.json"), diags);
  ASSERT_TRUE(lazy.has_value());
  const std::vector<std::string> types = lazy->payload_types();
  std::vector<std::vector<const mcc::schema::PayloadSpec*>> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&, t] {
      std::vector<std::string> order = types;
      if (t % 2 == 1) std::reverse(order.begin(), order.end());
      std::vector<const mcc::schema::PayloadSpec*> got;
      for (const auto& type : order) got.push_back(lazy->payload(type));
      if (t % 2 == 1) std::reverse(got.begin(), got.end());
      seen[t] = got;
    });
  for (auto& th : threads) th.join();
  for (std::size_t t = 1; t < seen.size(); ++t) EXPECT_EQ(seen[t], seen[0]);
  for (const auto* p : seen[0]) EXPECT_NE(p, nullptr);
}

// Each built-in payload type reads in one pass from its text, without falling back to the
// DOM, into what the DOM reading builds; text the pass is unsure of is left to the DOM.
TEST(AppleSchemaText, EachBuiltInPayloadTypeReadsInOnePassAsFromItsDom) {
  const std::vector<std::string> secrets = {"Password", "SharedSecret"};
  std::size_t read = 0;
  for (const char* file : {"schemas/apple-payloads.json", "schemas/apple-overlay.json"}) {
    auto index = mcc::json_object_members(builtin(file), "payloads");
    ASSERT_TRUE(index && index->second) << file;
    for (const auto& [type, text] : *index->second) {
      auto root = mcc::schema::payload_root_from_text(text, secrets);
      ASSERT_TRUE(root.has_value()) << file << " " << type;
      expect_same_spec(*root, mcc::schema::payload_spec_from_json(json::parse(text), secrets).root, std::string(type));
      ++read;
    }
  }
  EXPECT_GT(read, 10u);

  for (std::string unsure :
       {R"({"keys": {"K\u0041": {"type": "string"}}})", R"({"keys": {"K": {"type": "string", "type": "integer"}}})",
        R"({"keys": {"K": {"type": "string", "note": [1,}}})", R"({"keys": {"K": "string"}})",
        R"({"keys": {"K": {"platforms": {"ios": "1\u0030"}}}})", R"({"keys": {}, "keys": {}})", R"({"keys": {}} x)"})
    EXPECT_FALSE(mcc::schema::payload_root_from_text(unsure, secrets).has_value()) << unsure;
  // A field of the wrong JSON type throws as the DOM reading does.
  const std::string wrong = R"({"keys": {"K": {"required": "yes"}}})";
  EXPECT_THROW(mcc::schema::payload_root_from_text(wrong, secrets), json::type_error);
  EXPECT_THROW(mcc::schema::payload_spec_from_json(json::parse(wrong), secrets), json::type_error);
  // A name given twice among the keys: the last, as the DOM holds it.
  const std::string twice =
      R"({"keys": {"K": {"type": "string"}, "K": {"type": "integer"}}, "platforms": {"ios": "1.0"}})";
  auto root = mcc::schema::payload_root_from_text(twice, secrets);
  ASSERT_TRUE(root.has_value());
  expect_same_spec(*root, mcc::schema::payload_spec_from_json(json::parse(twice), secrets).root, "twice");
  EXPECT_EQ(root->keys.at("K").type, "integer");
}

// A payload type whose definition does not read is refused by from_json as a whole; read on
// first use, it is a type the schema does not carry, and the others are unaffected. Text
// that cannot be indexed is read whole, as from_json reads it.
TEST(AppleSchemaText, ABrokenPayloadTypeIsUnknownAndTheRestRead) {
  const std::string derived = R"({"common": {"keys": {"PayloadType": {"type": "string"}}}, "toplevel": {"keys": {}},
      "payloads": {"com.example.bad": {"keys": {"K": {"type": 5}}}, "com.example.good": {"keys": {"K": {"type": "string"}}}}})";
  mcc::Diagnostics eager_diags, lazy_diags;
  EXPECT_FALSE(mcc::schema::AppleSchema::from_json(json::parse(derived), json::object(), eager_diags).has_value());
  EXPECT_TRUE(eager_diags.has_errors());
  auto lazy = mcc::schema::AppleSchema::from_text(derived, "{}", lazy_diags);
  ASSERT_TRUE(lazy.has_value());
  EXPECT_TRUE(lazy_diags.empty());
  EXPECT_EQ(lazy->payload("com.example.bad"), nullptr);
  const mcc::schema::PayloadSpec* good = lazy->payload("com.example.good");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->root.keys.count("K"), 1u);
  EXPECT_EQ(good->root.keys.count("PayloadType"), 1u);  // the common keys are merged in

  auto whole = mcc::schema::AppleSchema::from_text(
      R"({"common": {"keys": {}}, "toplevel": {"keys": {}}, "payloads": {"com.example.\u0041": {"keys": {}}}})", "{}", lazy_diags);
  ASSERT_TRUE(whole.has_value());
  EXPECT_NE(whole->payload("com.example.A"), nullptr);
  mcc::Diagnostics broken;
  EXPECT_FALSE(mcc::schema::AppleSchema::from_text(R"({"payloads": )", "{}", broken).has_value());
  EXPECT_TRUE(broken.has_errors());
  mcc::Diagnostics no_such_source;  // overlay inherit from a type the schema does not have
  EXPECT_FALSE(mcc::schema::AppleSchema::from_text(derived, R"({"inherit": {"com.example.good": {"from": "com.example.none"}}})",
                                                   no_such_source)
                   .has_value());
  EXPECT_TRUE(no_such_source.has_errors());
}

}  // namespace
