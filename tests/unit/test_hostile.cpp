// SPDX-License-Identifier: Apache-2.0
// Hostile input through the library's front door (Compiler::compile): whatever the bytes,
// the result is a refusal with an error naming the file and a JSON pointer, never a crash,
// a hang or a profile. The command-line side (exit codes, files) is test_hostile_cli.cpp.

#include <algorithm>
#include <chrono>
#include <functional>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

json sample() { return json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json")); }

// A valid shared-secret object (the sample's certificate needs a second object to link to).
json shared_secret_object() {
  json j = sample();
  j["authenticationMethod"] = "sharedSecret";
  j["sharedSecret"] = "hostile-test-secret";
  j.erase("identityCertificate@odata.bind");
  return j;
}

// Refused: no profile, at least one error, every diagnostic names test.json.
void expect_refused(const std::string& text, const char* code, const std::string& pointer, const std::string& label) {
  SCOPED_TRACE(label);
  Diagnostics d;
  auto start = Clock::now();
  auto p = compile_json(text, d);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(60)) << "too slow";
  EXPECT_FALSE(p.has_value());
  ASSERT_TRUE(d.has_errors());
  for (const auto& x : d.items()) EXPECT_EQ(x.file, "test.json") << format_diagnostic(x);
  if (code) EXPECT_DIAG(d, code, pointer);
}

TEST(Hostile, TheValidBaselineCompiles) {
  Diagnostics d;
  EXPECT_TRUE(compile_json(shared_secret_object().dump(), d)) << all_lines(d);
}

TEST(Hostile, BytesThatAreNotAGraphObject) {
  struct Case {
    std::string text;
    const char* code;
    const char* label;
    const char* pointer = "";
  };
  std::string truncated = shared_secret_object().dump();
  truncated.resize(truncated.size() / 2);
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) & 0xFF);
  for (const auto& c : std::vector<Case>{
           {"", "MCC-R003", "empty file"},
           {"\xEF\xBB\xBF", "MCC-R003", "only a byte order mark"},
           {garbage, nullptr, "binary garbage"},
           {std::string("\x00\x00\x00\x00", 4), nullptr, "zero bytes"},
           {truncated, "MCC-R003", "truncated in the middle"},
           {"{\"@odata.type\":\"#microsoft.graph.iosikEv2VpnConfiguration\",\"id\":\"a\"", "MCC-R003", "missing the closing brace"},
           {"[", "MCC-R003", "lone bracket"},
           {"[[1]]", "MCC-R004", "array of arrays", "/0"},
           {"null", "MCC-R004", "null at the top"},
           {"true", "MCC-R004", "boolean at the top"},
           {"-1.5e3", "MCC-R004", "number at the top"},
           {"{\"value\":42}", "MCC-R004", "a Graph response whose value is a number", "/value"},
           {"{\"value\":[]}", "MCC-R004", "an empty Graph response", "/value"},
           {"{\"value\":[null]}", "MCC-R004", "a Graph response holding null", "/value/0"},
           {shared_secret_object().dump() + "{}", "MCC-R003", "two documents"},
           {"{\"a\":1}//", "MCC-R003", "a comment"},
           {"{'a':1}", "MCC-R003", "single quotes"},
           {std::string("\xFF\xFE{\x00\x01", 5), "MCC-R002", "odd-length utf-16"},
           {std::string("\xFF\xFE\x00\xDC", 4), "MCC-R002", "unpaired utf-16 surrogate"},
       }) {
    expect_refused(c.text, c.code, c.pointer, c.label);
  }
}

TEST(Hostile, DeepNestingIsRefusedBeforeParsing) {
  expect_refused(std::string(100000, '[') + std::string(100000, ']'), "MCC-R007", "", "100000 arrays");
  expect_refused(std::string(100000, '['), "MCC-R007", "", "100000 unclosed arrays");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  expect_refused(objects + "1" + std::string(100000, '}'), "MCC-R007", "", "100000 objects");
  // Brackets inside strings are text, not nesting.
  json j = shared_secret_object();
  j["description"] = std::string(100000, '[');
  Diagnostics d;
  EXPECT_TRUE(compile_json(j.dump(), d)) << all_lines(d);
}

TEST(Hostile, NestingUpToTheLimitIsReadAndOneLevelMoreIsRefusedWithItsDepth) {
  // The object is level 1; a member holding `arrays` nested arrays reaches 1 + arrays.
  auto nested = [](int arrays, const std::string& after = "") {
    std::string text = shared_secret_object().dump();
    text.pop_back();  // the closing brace
    return text + ",\"x\":" + std::string(arrays, '[') + after + std::string(arrays, ']') + "}";
  };
  Diagnostics at_limit;
  compile_json(nested(63), at_limit);
  for (const auto& x : at_limit.items()) EXPECT_NE(x.code, "MCC-R007") << format_diagnostic(x);
  Diagnostics past;
  EXPECT_FALSE(compile_json(nested(64), past).has_value());
  EXPECT_NE(all_lines(past).find("nesting 65 levels deep; at most 64 are accepted"), std::string::npos) << all_lines(past);
  // Too deep is what is said, whatever else is wrong in the text.
  Diagnostics deep_and_broken;
  EXPECT_FALSE(compile_json(nested(70, "}"), deep_and_broken).has_value());
  EXPECT_NE(all_lines(deep_and_broken).find("nesting 71 levels deep"), std::string::npos) << all_lines(deep_and_broken);
}

TEST(Hostile, HugeStringsAreRefused) {
  json j = shared_secret_object();
  j["displayName"] = std::string(64u << 20, 'a');  // the whole file is then over 64 MiB
  expect_refused(j.dump(), "MCC-R007", "", "64 MiB string");
  j["displayName"] = std::string((1u << 20) + 1, 'a');
  expect_refused(j.dump(), "MCC-C008", "/displayName", "1 MiB + 1 string");
  j = shared_secret_object();
  j["server"]["address"] = std::string(8u << 20, 'x');
  expect_refused(j.dump(), "MCC-C008", "/server/address", "8 MiB nested string");
}

TEST(Hostile, InvalidUtf8AndNulCharacters) {
  std::string good = shared_secret_object().dump();
  auto with_name = [&](const std::string& raw) {
    std::string text = good;
    auto pos = text.find("\"displayName\":\"") + 15;
    return text.insert(pos, raw);
  };
  expect_refused(with_name("\xC3\x28"), "MCC-R003", "", "invalid 2-byte sequence");
  expect_refused(with_name("\xC0\xAF"), "MCC-R003", "", "overlong encoding");
  expect_refused(with_name("\xED\xA0\x80"), "MCC-R003", "", "encoded surrogate");
  expect_refused(with_name("\xF4\x90\x80\x80"), "MCC-R003", "", "beyond U+10FFFF");
  expect_refused(with_name("\\ud800"), "MCC-R003", "", "escaped lone surrogate");
  expect_refused(with_name(std::string("a\0b", 3)), "MCC-R003", "", "raw NUL in a string");
  expect_refused(with_name("\\u0000"), "MCC-C009", "/displayName", "escaped NUL");
  expect_refused(with_name("\x1b[2J"), "MCC-R003", "", "raw escape character");
  json j = shared_secret_object();
  j["server"]["address"] = std::string("vpn\0.example", 12);
  expect_refused(j.dump(), "MCC-C009", "/server/address", "NUL in a nested string");
  j = shared_secret_object();
  j["onDemandRules"][0]["ssids"][1] = std::string("\0", 1);
  expect_refused(j.dump(), "MCC-C009", "/onDemandRules/0/ssids/1", "NUL in an array element");
}

TEST(Hostile, DuplicateKeysAnywhere) {
  std::string text = shared_secret_object().dump();
  expect_refused("{\"displayName\":\"a\"," + text.substr(1), "MCC-R008", "", "duplicate at the top");
  std::string nested = text;
  nested.replace(nested.find("\"server\":{") + 10, 0, "\"address\":\"evil.example\",");
  expect_refused(nested, "MCC-R008", "", "duplicate inside server");
  // The same key in sibling objects is not a duplicate.
  Diagnostics d;
  EXPECT_TRUE(compile_json(text, d)) << all_lines(d);
}

TEST(Hostile, NumbersOutsideWhatGraphAllows) {
  struct Case {
    const char* pointer;
    const char* number;
  };
  for (const auto& c : std::vector<Case>{
           {"/mtuSizeInBytes", "18446744073709551615"},     // uint64 max
           {"/mtuSizeInBytes", "18446744073709551616"},     // 2^64
           {"/mtuSizeInBytes", "-9223372036854775809"},     // below int64
           {"/mtuSizeInBytes", "123456789012345678901234567890"},
           {"/mtuSizeInBytes", "-1"},
           {"/mtuSizeInBytes", "1360.5"},
           {"/mtuSizeInBytes", "1e3"},
           {"/version", "4294967296"},                       // Int32 overflow
           {"/version", "-2147483649"},
           {"/disconnectOnIdleTimerInSeconds", "-5"},
           {"/securityAssociationParameters/lifetimeInMinutes", "-1440"},
           {"/securityAssociationParameters/lifetimeInMinutes", "480.25"},
           {"/securityAssociationParameters/securityDiffieHellmanGroup", "19.5"},
           {"/childSecurityAssociationParameters/securityDiffieHellmanGroup", "-19"},
           {"/proxyServer/port", "-8080"},
           {"/proxyServer/port", "99999999999999999999"},
       }) {
    json j = shared_secret_object();
    std::string text = j.dump();
    json::json_pointer ptr(c.pointer);
    j[ptr] = "__NUMBER__";
    text = j.dump();
    text.replace(text.find("\"__NUMBER__\""), 12, c.number);
    expect_refused(text, nullptr, "", std::string(c.pointer) + " = " + c.number);
    Diagnostics d;
    compile_json(text, d);
    bool at_pointer = false;
    for (const auto& x : d.items()) at_pointer |= x.severity == Severity::error && x.pointer == c.pointer;
    EXPECT_TRUE(at_pointer) << c.pointer << " = " << c.number << "\n" << all_lines(d);
  }
  expect_refused(R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","mtuSizeInBytes":1e400})", "MCC-R003", "",
                 "a number beyond double");
}

// Walks every value of `j`, calling `visit` with its JSON pointer.
void each_pointer(const json& j, const std::string& ptr, const std::function<void(const std::string&, const json&)>& visit) {
  if (!ptr.empty()) visit(ptr, j);
  if (j.is_object())
    for (const auto& [k, v] : j.items()) {
      std::string token;
      for (char ch : k) token += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch);
      each_pointer(v, ptr + "/" + token, visit);
    }
  if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) each_pointer(j[i], ptr + "/" + std::to_string(i), visit);
}

TEST(Hostile, PlaceholderStringsWhereBooleansAndIntegersBelong) {
  const json base = shared_secret_object();
  int cases = 0;
  each_pointer(base, "", [&](const std::string& ptr, const json& v) {
    if (!v.is_boolean() && !v.is_number_integer()) return;
    json j = base;
    j[json::json_pointer(ptr)] = v.is_boolean() ? "Boolean" : "Integer";
    expect_refused(j.dump(), "MCC-C002", ptr, ptr + " as a placeholder string");
    ++cases;
  });
  EXPECT_GT(cases, 15);
}

// What Graph's schema says about the property a pointer names: {nullable, collection, element}.
struct PropertyFacts {
  bool known = false, nullable = true, collection = false, element = false;
};

PropertyFacts facts_for(const json& types, const std::string& root_type, const std::string& ptr) {
  std::string type = root_type;
  PropertyFacts f;
  std::size_t pos = 1;
  while (pos <= ptr.size()) {
    std::size_t next = ptr.find('/', pos);
    std::string token = ptr.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    pos = next == std::string::npos ? ptr.size() + 1 : next + 1;
    if (f.collection && !f.element && !token.empty() && std::isdigit(static_cast<unsigned char>(token[0]))) {
      f.element = true;
      continue;
    }
    const json* prop = nullptr;
    for (std::string t = type; !t.empty() && types.contains(t);) {
      const json& def = types[t];
      if (def.contains("properties") && def["properties"].contains(token)) {
        prop = &def["properties"][token];
        break;
      }
      t = def.value("base", json()).is_string() ? def["base"].get<std::string>() : "";
    }
    if (prop == nullptr) return PropertyFacts{};
    f = PropertyFacts{true, prop->value("nullable", true), prop->value("collection", false), false};
    type = (*prop)["type"].get<std::string>();
  }
  return f;
}

TEST(Hostile, NullInEveryPosition) {
  const json types = json::parse(read_file(source_dir() / "schemas" / "graph-types.json"))["types"];
  for (const json& base : {sample(), shared_secret_object()}) {
    // The sample links to a certificate payload; compile it with one so that only the null is new.
    int cases = 0;
    each_pointer(base, "", [&](const std::string& ptr, const json&) {
      if (ptr.find('@') != std::string::npos) return;  // annotations are not Graph properties
      json j = base;
      j[json::json_pointer(ptr)] = nullptr;
      Diagnostics d;
      auto p = compile_json(j.dump(), d);
      ++cases;
      for (const auto& x : d.items()) EXPECT_EQ(x.file, "test.json") << ptr << ": " << format_diagnostic(x);
      EXPECT_EQ(p.has_value(), !d.has_errors()) << ptr;
      PropertyFacts f = facts_for(types, "iosikEv2VpnConfiguration", ptr);
      bool must_refuse = f.known && !f.nullable && (f.element || !f.collection);
      if (must_refuse) {
        EXPECT_FALSE(p.has_value()) << ptr << " is not nullable";
        EXPECT_DIAG(d, "MCC-C004", ptr);
      }
    });
    EXPECT_GT(cases, 80);
  }
  json j = shared_secret_object();
  j["@odata.type"] = nullptr;
  expect_refused(j.dump(), "MCC-C002", "/@odata.type", "null type");
}

TEST(Hostile, CollectionsBeyondGraphsMaxima) {
  json j = shared_secret_object();
  j["customData"] = json::array();
  for (int i = 0; i < 26; ++i) j["customData"].push_back({{"key", "k" + std::to_string(i)}, {"value", "v"}});
  expect_refused(j.dump(), "MCC-C006", "/customData", "26 custom data entries");

  j = shared_secret_object();
  json rule = j["onDemandRules"][2];
  j["onDemandRules"] = json::array();
  for (int i = 0; i < 500; ++i) j["onDemandRules"].push_back(rule);
  Diagnostics ok;
  EXPECT_TRUE(compile_json(j.dump(), ok)) << "500 rules are allowed\n" << all_lines(ok);
  j["onDemandRules"].push_back(rule);
  expect_refused(j.dump(), "MCC-C006", "/onDemandRules", "501 on-demand rules");

  // Collections without a documented maximum are bounded by the input size, and fast.
  j = shared_secret_object();
  j["onDemandRules"][0]["ssids"] = json::array();
  for (int i = 0; i < 200000; ++i) j["onDemandRules"][0]["ssids"].push_back("ssid-" + std::to_string(i));
  Diagnostics big;
  auto start = Clock::now();
  (void)compile_json(j.dump(), big);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(60));
}

TEST(Hostile, UnknownUnsupportedAndMissingTypes) {
  struct Case {
    json type;
    const char* code;
    const char* pointer;
  };
  for (const auto& c : std::vector<Case>{
           {"#microsoft.graph.windows10VpnConfiguration", "MCC-R006", ""},
           {"#microsoft.graph.noSuchType", "MCC-R006", ""},
           {"", "MCC-R006", ""},
           {"#", "MCC-R006", ""},
           {std::string(100000, 'x'), "MCC-R006", ""},
           {std::string("#microsoft.graph.iosikEv2VpnConfiguration\0x", 42), "MCC-R006", ""},
           {42, "MCC-C002", "/@odata.type"},
           {json::array({"#microsoft.graph.iosikEv2VpnConfiguration"}), "MCC-C002", "/@odata.type"},
           {json::object(), "MCC-C002", "/@odata.type"},
       }) {
    json j = shared_secret_object();
    j["@odata.type"] = c.type;
    expect_refused(j.dump(), c.code, c.pointer, c.type.dump().substr(0, 60));
  }
  json j = shared_secret_object();
  j.erase("@odata.type");
  expect_refused(j.dump(), "MCC-R005", "", "no type");
  // One bad object in a Graph response is named by its place in the list.
  json list = {{"value", json::array({shared_secret_object(), j})}};
  expect_refused(list.dump(), "MCC-R005", "/value/1", "no type in the second object");
}

// How many findings have `code`.
std::size_t count_code(const Diagnostics& d, std::string_view code) {
  return static_cast<std::size_t>(std::count_if(d.items().begin(), d.items().end(), [&](const Diagnostic& x) { return x.code == code; }));
}

// The finding that counts what was not shown (there must be one).
const Diagnostic& counted(const Diagnostics& d) {
  return *std::find_if(d.items().begin(), d.items().end(), [](const Diagnostic& x) { return x.code == "MCC-R011"; });
}

// A list of a million values that are not Graph objects reports a hundred findings and one
// that counts the rest, whichever way the input is read: holding a million findings took
// 680 MB and printing them 1,000,001 lines.
TEST(Hostile, FindingsAboutAListsValuesStopAtAHundredAndTheRestAreCounted) {
  json list = json::array();
  for (int i = 0; i < 250; ++i) list.push_back(i);
  for (int i = 0; i < 50; ++i) list.push_back(json::object());
  for (int i = 0; i < 30; ++i) list.push_back({{"@odata.type", "#microsoft.graph.windows10VpnConfiguration"}, {"id", std::to_string(i)}});
  const std::string text = list.dump();
  auto expect_counted = [](const Diagnostics& d, const std::string& by_code) {
    EXPECT_EQ(count_code(d, "MCC-R004"), 100u) << all_lines(d);
    ASSERT_EQ(count_code(d, "MCC-R011"), 1u) << all_lines(d);
    const Diagnostic& rest = counted(d);
    EXPECT_EQ(rest.code, "MCC-R011");
    EXPECT_EQ(rest.severity, Severity::error);
    EXPECT_EQ(rest.file, "test.json");
    EXPECT_EQ(format_diagnostic(rest), "test.json: error MCC-R011: " + by_code);
  };
  {
    SCOPED_TRACE("compile");
    Diagnostics d;
    EXPECT_FALSE(compile_json(text, d).has_value());
    // The reader counts what is not an object and has no type; the 30 of another type are
    // past the reader, and are 30 findings of their own.
    expect_counted(d, "200 more findings about the values of this input are not shown, only the first 100 "
                      "(MCC-R004: 150, MCC-R005: 50)");
    EXPECT_EQ(count_code(d, "MCC-R006"), 30u);
  }
  {
    SCOPED_TRACE("scan");
    Diagnostics d;
    EXPECT_EQ(compiler().scan({"test.json", text}, {}, d).size(), 30u);
    expect_counted(d, "200 more findings about the values of this input are not shown, only the first 100 "
                      "(MCC-R004: 150, MCC-R005: 50)");
  }
  {
    SCOPED_TRACE("exactly a hundred: nothing counted");
    Diagnostics d;
    EXPECT_FALSE(compile_json(json(std::vector<int>(100, 1)).dump(), d).has_value());
    EXPECT_EQ(count_code(d, "MCC-R004"), 100u);
    EXPECT_EQ(count_code(d, "MCC-R011"), 0u) << all_lines(d);
  }
  {
    SCOPED_TRACE("objects of another type, and one object given again and again");
    json others = json::array();
    for (int i = 0; i < 120; ++i) others.push_back({{"@odata.type", "#microsoft.graph.windows10VpnConfiguration"}, {"id", std::to_string(i)}});
    Diagnostics d;
    EXPECT_FALSE(compile_json(others.dump(), d).has_value());
    EXPECT_EQ(count_code(d, "MCC-R006"), 100u);
    ASSERT_EQ(count_code(d, "MCC-R011"), 1u) << all_lines(d);
    EXPECT_NE(counted(d).message.find("(MCC-R006: 20)"), std::string::npos) << all_lines(d);
    json again(std::vector<json>(150, shared_secret_object()));
    Diagnostics twice;
    EXPECT_TRUE(compile_json(again.dump(), twice).has_value()) << all_lines(twice);
    EXPECT_EQ(count_code(twice, "MCC-M038"), 100u) << all_lines(twice);
    ASSERT_EQ(count_code(twice, "MCC-R011"), 1u) << all_lines(twice);
    EXPECT_EQ(counted(twice).severity, Severity::note) << all_lines(twice);
    EXPECT_NE(counted(twice).message.find("(MCC-M038: 49)"), std::string::npos) << all_lines(twice);
  }
}

TEST(Hostile, LongAnnotationsDoNotExhaustTheStack) {
  // identityCertificate@odata.bind was matched with std::regex, which recursed per character.
  json j = sample();
  j["identityCertificate@odata.bind"] = "x('" + std::string(300000, 'a') + "')";
  Diagnostics d;
  (void)compile_json(j.dump(), d);
  for (const auto& x : d.items()) EXPECT_EQ(x.file, "test.json");
}

}  // namespace
}  // namespace mcc::test
