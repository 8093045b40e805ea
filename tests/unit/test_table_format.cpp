// SPDX-License-Identifier: Apache-2.0
// The table format (issue 13, "Tables"): explain shows each transform row's arguments;
// enum members carry notes and sources; a payload variant, not a row, chooses another
// PayloadType; a `platforms` row field replaces the platformOnly transform; every table
// validates against mappings/schema.json, whose field names are the loader's; and
// mappings/README.md names what the loader accepts.

#include <nlohmann/json.hpp>

#include "map/table.hpp"
#include "map/transforms/registry.hpp"
#include "support/json_schema.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> table_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "mappings"))
    if (e.path().extension() == ".json" && e.path().filename() != "schema.json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

json schema_json() { return json::parse(read_file(source_dir() / "mappings" / "schema.json")); }

std::string explain_all(const Compiler& c, bool markdown) {
  std::string out;
  for (const auto& t : c.supported_types()) out += *c.explain(t, markdown);
  return out;
}

// A copy of mappings/ to edit, loaded as --mappings would load it.
class FormatDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_scratch_dir("format");
    for (const auto& p : table_files()) fs::copy_file(p, dir_ / p.filename());
  }
  void TearDown() override { fs::remove_all(dir_); }

  void edit(const std::string& table, const std::function<void(json&)>& change) {
    json j = json::parse(read_file(dir_ / (table + ".json")));
    change(j);
    write_file(dir_ / (table + ".json"), j.dump(2));
  }
  std::optional<Compiler> load(Diagnostics& d) { return Compiler::create(dir_.string(), d); }

  // Loads the edited tables, expecting MCC-T001 errors only, one of them containing `text`.
  void expect_refused(const std::string& text) {
    Diagnostics d;
    EXPECT_FALSE(load(d)) << text;
    EXPECT_NE(all_lines(d).find(text), std::string::npos) << all_lines(d);
    for (const auto& x : d.items()) EXPECT_EQ(x.code, "MCC-T001") << format_diagnostic(x);
  }

  fs::path dir_;
};

json& row_where(json& table, const std::string& field, const std::string& value) {
  for (auto& r : table["rows"])
    if (r.value(field, "") == value) return r;
  throw std::runtime_error("no row with " + field + " " + value);
}

// ---- 1. explain prints each transform row's arguments ----

TEST(TableFormat, ExplainPrintsEveryArgumentOfEveryTransformRow) {
  const std::string text = explain_all(compiler(), false);
  std::size_t checked = 0;
  for (const auto& [name, t] : map::transforms::registry()) {
    if (text.find("[transform " + name + "]") == std::string::npos) continue;  // no built-in row uses it
    for (const auto& a : t.args) {
      // name (type; required | default X) = value
      const std::string head = a.name + " (";
      const std::string kind = a.required ? "; required) = " : "; default " + a.fallback.dump() + ") = ";
      EXPECT_NE(text.find(head), std::string::npos) << name << " " << a.name;
      EXPECT_NE(text.find(kind), std::string::npos) << name << " " << a.name << " " << kind;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20u);
  // The values rows give, and a default a row leaves to the declaration, are told apart.
  EXPECT_NE(text.find("bits (an object of integers; required) = {\"digitalSignature\":1,\"keyEncipherment\":4}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fill (one of PayloadUUID, sha1Fingerprint; default \"PayloadUUID\") = \"PayloadUUID\" (the default)"),
            std::string::npos);
  EXPECT_NE(text.find("role (a string; default \"uuid\") = \"vpnuuid\"\n"), std::string::npos);
  // Markdown (the README's mapping reference) carries them too.
  const std::string md = explain_all(compiler(), true);
  EXPECT_NE(md.find("transform vpnSubtype<br>about (a string; default \"\") = \"/connectionType\""), std::string::npos);
}

// ---- 2. enum members with a note and a source ----

TEST(TableFormat, VpnSubtypeIsOneEnumRowWithMemberNotes) {
  json t = json::parse(read_file(source_dir() / "mappings" / "appleVpnConnectionType.json"));
  std::vector<json> subtype_rows;
  for (const auto& r : t["rows"])
    if (r.value("to", "") == "VPNSubType") subtype_rows.push_back(r);
  // One enum for the known apps, one transform for the connection types whose app is not known.
  ASSERT_EQ(subtype_rows.size(), 2u);
  ASSERT_TRUE(subtype_rows[0]["enum"].is_array());
  std::size_t with_value = 0;
  for (const auto& m : subtype_rows[0]["enum"]) {
    EXPECT_TRUE(m.contains("note")) << m.dump();
    if (!m["value"].is_null()) {
      ++with_value;
      EXPECT_EQ(m.value("source", ""), "mapping-facts §1") << m.dump();
    }
  }
  EXPECT_EQ(with_value, 12u);
  EXPECT_EQ(subtype_rows[1].value("transform", ""), "vpnSubtype");

  const std::string text = *compiler().explain("iosVpnConfiguration", false);
  EXPECT_NE(text.find("/connectionType → VPNSubType  [alwaysOn → (omitted), checkPointCapsuleVpn → "
                      "com.checkpoint.CheckPoint-VPN.vpnplugin"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("      ciscoAnyConnect: Cisco Legacy AnyConnect (app 4.0.5x and older). Inferred: Apple's 2022 VPN "
                      "yaml example list"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("      microsoftTunnel: Microsoft Tunnel, whose client is the Microsoft Defender app. Documented: "),
            std::string::npos);
  EXPECT_NE(text.find("(source: mapping-facts §1)\n"), std::string::npos);
}

// Every connection type whose app is known gets its identifier from the one row (the golden
// files hold the whole profiles); the others get none from it.
TEST(TableFormat, EnumMembersMapAsTheTwelveRowsDid) {
  const std::map<std::string, std::string> expected = {
      {"ciscoAnyConnect", "com.cisco.anyconnect.applevpn.plugin"}, {"ciscoAnyConnectV2", "com.cisco.anyconnect"},
      {"pulseSecure", "net.pulsesecure.PulseSecure.vpnplugin"},   {"f5EdgeClient", "com.f5.F5-Edge-Client.vpnplugin"},
      {"f5Access2018", "com.f5.access.ios"}, {"dellSonicWallMobileConnect", "com.sonicwall.SonicWALL-SSLVPN.vpnplugin"},
      {"checkPointCapsuleVpn", "com.checkpoint.CheckPoint-VPN.vpnplugin"},
      {"citrixSso", "com.citrix.NetScalerGateway.ios.app"},
      {"paloAltoGlobalProtect", "com.paloaltonetworks.GlobalProtect.vpnplugin"},
      {"paloAltoGlobalProtectV2", "com.paloaltonetworks.globalprotect.vpn"},
      {"zscalerPrivateAccess", "com.zscaler.zscaler"}, {"microsoftTunnel", "com.microsoft.scmx"},
      {"ciscoIPSec", ""}, {"customVpn", "com.example.vpn"}};
  for (const auto& [type, subtype] : expected) {
    json in = {{"@odata.type", "#microsoft.graph.iosVpnConfiguration"}, {"id", "x"}, {"displayName", "v"},
               {"connectionName", "v"}, {"connectionType", type}, {"authenticationMethod", "usernameAndPassword"},
               {"server", {{"address", "vpn.example.com"}}}, {"identifier", "com.example.vpn"}};
    Diagnostics d;
    auto p = compile_json(in.dump(), d);
    ASSERT_TRUE(p) << type << "\n" << all_lines(d);
    const Value* got = p->root.find("PayloadContent")->as_array()[0].find("VPNSubType");
    EXPECT_EQ(got ? got->as_string() : "", subtype) << type;
  }
}

TEST_F(FormatDir, LongFormEnumMembersAreCheckedAndMapLikeTheShortForm) {
  // The always-on exception actions map members to whole dictionaries: in the long form too.
  const std::string sample = read_file(source_dir() / "samples" / "ios-ikev2-alwayson.json");
  Diagnostics before_d;
  auto before = compiler().compile({InputFile{"s.json", sample}}, {}, before_d);
  ASSERT_TRUE(before) << all_lines(before_d);
  edit("appleVpnAlwaysOnConfiguration", [](json& t) {
    for (auto& r : t["rows"]) {
      if (!r.contains("enum")) continue;
      json members = json::array();
      for (const auto& [k, v] : r["enum"].items()) members.push_back({{"member", k}, {"value", v}, {"note", "n"}});
      r["enum"] = members;
    }
  });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  auto after = c->compile({InputFile{"s.json", sample}}, {}, d);
  ASSERT_TRUE(after) << all_lines(d);
  EXPECT_EQ(serialize_plist(after->root, PlistFormat::xml), serialize_plist(before->root, PlistFormat::xml));

  edit("vpnOnDemandRule", [](json& t) {
    row_where(t, "from", "/action")["enum"] = json::array({{{"member", "connect"}, {"value", "Connect"}},
                                                            {{"member", "connect"}, {"value", "Disconnect"}}});
  });
  expect_refused("/rows/0/enum/1: error MCC-T001: invalid mapping table: the member 'connect' is listed twice");
  edit("vpnOnDemandRule", [](json& t) { row_where(t, "from", "/action")["enum"] = json::array({{{"member", "connect"}}}); });
  expect_refused("an enum member has a 'member' (a string) and a 'value'");
  edit("vpnOnDemandRule", [](json& t) {
    row_where(t, "from", "/action")["enum"] = json::array({{{"member", "connect"}, {"value", "Connect"}, {"notes", "x"}}});
  });
  expect_refused("unknown enum member field 'notes'");
  edit("vpnOnDemandRule", [](json& t) { row_where(t, "from", "/action")["enum"] = "Connect"; });
  expect_refused("'enum' must be an object of {member: value} or an array of {member, value, note, source}");
}

// ---- 3. a payload variant chooses the PayloadType ----

TEST(TableFormat, NoRowWritesPayloadType) {
  for (const auto& p : table_files()) {
    const json table = json::parse(read_file(p));  // kept alive: the loop reads into it
    for (const auto& r : table.value("rows", json::array())) EXPECT_NE(r.value("to", ""), "PayloadType") << p;
  }
  const std::string text = *compiler().explain("iosVpnConfiguration", false);
  EXPECT_NE(text.find("  (payload variant) → PayloadType  [= com.apple.vpn.managed.applayer]  (per-app VPN is the "
                      "App-Layer VPN payload"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{when /enablePerApp is true}"), std::string::npos);
}

TEST(TableFormat, PerAppVpnIsTheAppLayerPayload) {
  json in = json::parse(read_file(source_dir() / "samples" / "ios-perapp-anyconnect.json"));
  for (bool per_app : {true, false}) {
    in["enablePerApp"] = per_app;
    Diagnostics d;
    auto p = compile_json(in.dump(), d);
    ASSERT_TRUE(p) << all_lines(d);
    const Value& payload = p->root.find("PayloadContent")->as_array()[0];
    EXPECT_EQ(payload.find("PayloadType")->as_string(),
              per_app ? "com.apple.vpn.managed.applayer" : "com.apple.vpn.managed");
    EXPECT_EQ(payload.find("VPNUUID") != nullptr, per_app);
  }
}

TEST_F(FormatDir, TheTypesOwnVariantComesBeforeAnIncludedOne) {
  // The included table's variant now names the plain VPN payload, which has no per-app keys;
  // the type's own variant, listed first, must win.
  edit("appleVpnConfiguration", [](json& t) { t["variants"][0]["type"] = "com.apple.vpn.managed"; });
  edit("iosVpnConfiguration", [](json& t) {
    t["variants"] = json::array({{{"when", {{"/enablePerApp", true}}}, {"type", "com.apple.vpn.managed.applayer"}}});
  });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  auto p = c->compile({InputFile{"s.json", read_file(source_dir() / "samples" / "ios-perapp-anyconnect.json")}}, {}, d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(p->root.find("PayloadContent")->as_array()[0].find("PayloadType")->as_string(),
            "com.apple.vpn.managed.applayer");
}

TEST_F(FormatDir, MalformedVariantsAreRefused) {
  edit("appleVpnConfiguration", [](json& t) { t["variants"][0].erase("when"); });
  expect_refused("/variants/0: error MCC-T001: invalid mapping table: a variant needs a 'when' or 'unless' condition");
  edit("appleVpnConfiguration", [](json& t) {
    t["variants"][0]["when"] = {{"/enablePerApp", true}};
    t["variants"][0]["payloadType"] = "x";
  });
  expect_refused("unknown variant field 'payloadType'");
  edit("appleVpnConfiguration", [](json& t) { t["variants"] = json::object(); });
  expect_refused("'variants' must be an array");
}

// ---- 4. a `platforms` row field, no platformOnly transform ----

TEST_F(FormatDir, PlatformsReplacesThePlatformOnlyTransform) {
  EXPECT_EQ(map::transforms::registry().count("platformOnly"), 0u);
  EXPECT_NE(compiler().explain("iosikEv2VpnConfiguration", false)->find(
                "/enableAlwaysOnConfiguration → VPNType  [= AlwaysOn]  (mapping-facts §1 (alwaysOn) and §6: always-on is "
                "VPNType AlwaysOn with an AlwaysOn dictionary)  {on ios only (elsewhere an error: Apple's always-on VPN"),
            std::string::npos)
      << *compiler().explain("iosikEv2VpnConfiguration", false);

  edit("vpnProxyServer", [](json& t) {
    t["rows"].push_back({{"from", "/port"}, {"transform", "platformOnly"}, {"args", {{"platforms", {"ios"}}}}});
  });
  expect_refused("unknown transform 'platformOnly'");
}

TEST_F(FormatDir, APlatformsRowIsAnErrorElsewhereAndWritesWhereListed) {
  // The proxy's address, as if Apple had it on macOS only.
  edit("vpnProxyServer", [](json& t) {
    auto& r = row_where(t, "from", "/address");
    r["platforms"] = {"macos"};
    r["unmapped"] = "a test says so";
  });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  json in = json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  in["proxyServer"] = {{"address", "proxy.example.com"}, {"port", 8080}};
  CompileOptions ios;
  ios.platform = Platform::ios;
  auto p = c->compile({InputFile{"in.json", in.dump()}}, ios, d);
  EXPECT_FALSE(p);
  EXPECT_NE(all_lines(d).find("in.json: /proxyServer/address: error MCC-M001: value \"proxy.example.com\" has no equivalent "
                              "for Proxies.HTTPProxy on ios: a test says so"),
            std::string::npos)
      << all_lines(d);

  Diagnostics mac_d;
  CompileOptions macos;
  macos.platform = Platform::macos;
  auto mac = c->compile({InputFile{"in.json", in.dump()}}, macos, mac_d);
  ASSERT_TRUE(mac) << all_lines(mac_d);
  EXPECT_EQ(mac->root.find("PayloadContent")->as_array()[0].find("Proxies")->find("HTTPProxy")->as_string(),
            "proxy.example.com");
}

TEST_F(FormatDir, MalformedPlatformsAreRefused) {
  edit("vpnProxyServer", [](json& t) { t["rows"][0]["platforms"] = {"windows"}; });
  expect_refused("a platform is ios or macos, not 'windows'");
  edit("vpnProxyServer", [](json& t) { t["rows"][0]["platforms"] = json::array(); });
  expect_refused("'platforms' lists at least one platform");
  edit("vpnProxyServer", [](json& t) { t["rows"][0]["platforms"] = "ios"; });
  expect_refused("MCC-T001");
  edit("iosikEv2VpnConfiguration", [](json& t) {
    t["rows"].push_back({{"from", "/x"}, {"none", "y"}, {"platforms", {"ios"}}});
  });
  expect_refused("'platforms' belongs on a row that writes a key, not on an include, none or notice row");
  edit("iosikEv2VpnConfiguration", [](json& t) {
    t["rows"].push_back({{"from", "/x"}, {"notice", "y"}, {"platforms", {"ios"}}});
  });
  expect_refused("'platforms' belongs on a row that writes a key, not on an include, none or notice row");
}

// ---- 5. mappings/schema.json: every table validates; its names are the loader's ----

TEST(TableSchema, EveryTableValidates) {
  const JsonSchema schema(schema_json());
  std::size_t n = 0;
  for (const auto& p : table_files()) {
    ++n;
    for (const auto& problem : schema.problems(json::parse(read_file(p)))) ADD_FAILURE() << p.filename() << problem;
  }
  EXPECT_GE(n, 20u);
}

json& transform_args(json& table, const std::string& transform) {
  for (auto& r : table["rows"])
    if (r.value("transform", "") == transform) return r["args"];
  throw std::runtime_error("no " + transform + " row");
}

// The validator is not vacuous: what the loader refuses, the schema refuses too.
TEST(TableSchema, TheSchemaRefusesWhatTheLoaderRefuses) {
  const JsonSchema schema(schema_json());
  const json base = json::parse(read_file(source_dir() / "mappings" / "appleScepCertificateProfile.json"));
  const std::vector<std::pair<std::string, std::function<void(json&)>>> breaks = {
      {"unknown row field", [](json& t) { t["rows"][0]["frm"] = "/x"; }},
      {"unknown table field", [](json& t) { t["rowz"] = json::array(); }},
      {"two kinds", [](json& t) { t["rows"][4]["value"] = 1; t["rows"][4]["none"] = "x"; }},
      {"unknown transform", [](json& t) { t["rows"][0]["transform"] = "platformOnly"; }},
      {"missing required argument", [](json& t) { transform_args(t, "flagBits").erase("bits"); }},
      {"argument of the wrong type", [](json& t) { transform_args(t, "flagBits")["bits"]["x"] = "1"; }},
      {"unknown argument", [](json& t) { transform_args(t, "scepChallenge")["variabel"] = "x"; }},
      {"argument outside its values", [](json& t) { transform_args(t, "certificateLink")["fill"] = "md5"; }},
      {"unknown platform", [](json& t) { t["rows"][4]["platforms"] = {"windows"}; }},
      {"no platform", [](json& t) { t["rows"][4]["platforms"] = json::array(); }},
      {"platforms on an include", [](json& t) { t["rows"].push_back({{"include", "x"}, {"platforms", {"ios"}}}); }},
      {"enum member without value", [](json& t) { t["rows"][4]["enum"] = json::array({{{"member", "a"}}}); }},
      {"enum member field", [](json& t) { t["rows"][4]["enum"] = json::array({{{"member", "a"}, {"value", 1}, {"x", 1}}}); }},
      {"variant without condition", [](json& t) { t["variants"] = json::array({{{"type", "com.apple.x"}}}); }},
      {"variant field", [](json& t) { t["variants"] = json::array({{{"type", "x"}, {"when", {{"/a", 1}}}, {"role", "y"}}}); }},
      {"condition pointer", [](json& t) { t["rows"][4]["when"] = {{"a", 1}}; }},
      {"coercion", [](json& t) { t["rows"][4]["as"] = "integer"; }},
  };
  EXPECT_TRUE(schema.problems(base).empty());
  for (const auto& [what, change] : breaks) {
    json t = base;
    change(t);
    EXPECT_FALSE(schema.problems(t).empty()) << what;
  }
}

// Field names, coercions, transforms and every transform's arguments: schema.json and the
// loader (and the transform registry) name the same ones, so neither drifts from the other.
TEST(TableSchema, SchemaAndLoaderAcceptTheSameNames) {
  json s = schema_json();  // not const: a missing member reads as null, not undefined behaviour
  auto names = [](json& properties) {
    std::set<std::string> out;
    for (const auto& [k, v] : properties.items()) out.insert(k);
    return out;
  };
  const auto& fields = map::table_format_fields();
  EXPECT_EQ(fields.at("table"), names(s["properties"]));
  EXPECT_EQ(fields.at("payload"), names(s["properties"]["payload"]["properties"]));
  EXPECT_EQ(fields.at("row"), names(s["$defs"]["row"]["properties"]));
  EXPECT_EQ(fields.at("variant"), names(s["$defs"]["variant"]["properties"]));
  EXPECT_EQ(fields.at("enumMember"), names(s["$defs"]["enumMember"]["properties"]));
  EXPECT_EQ(fields.size(), 5u);

  std::set<std::string> coercions = {""};
  for (const auto& c : s["$defs"]["row"]["properties"]["as"]["enum"]) coercions.insert(c.get<std::string>());
  EXPECT_EQ(coercions, map::table_coercions());

  const auto& registry = map::transforms::registry();
  std::set<std::string> registered;
  for (const auto& [name, t] : registry) registered.insert(name);
  std::set<std::string> in_enum;
  for (const auto& n : s["$defs"]["row"]["properties"]["transform"]["enum"]) in_enum.insert(n.get<std::string>());
  EXPECT_EQ(in_enum, registered);
  EXPECT_EQ(names(s["$defs"]["transformArgs"]), registered);

  const std::map<map::ArgType, std::string> type_ref = {
      {map::ArgType::string, "#/$defs/argType/string"},
      {map::ArgType::boolean, "#/$defs/argType/boolean"},
      {map::ArgType::string_array, "#/$defs/argType/stringArray"},
      {map::ArgType::string_object, "#/$defs/argType/stringObject"},
      {map::ArgType::nullable_string_object, "#/$defs/argType/nullableStringObject"},
      {map::ArgType::integer_object, "#/$defs/argType/integerObject"}};
  for (const auto& [name, t] : registry) {
    json& declared = s["$defs"]["transformArgs"][name];
    std::set<std::string> arg_names, required;
    for (const auto& a : t.args) {
      arg_names.insert(a.name);
      if (a.required) required.insert(a.name);
      json& prop = declared["properties"][a.name];
      if (a.one_of.empty()) EXPECT_EQ(prop.value("$ref", ""), type_ref.at(a.type)) << name << " " << a.name;
      else EXPECT_EQ(prop["enum"], json(a.one_of)) << name << " " << a.name;
    }
    EXPECT_EQ(names(declared["properties"]), arg_names) << name;
    EXPECT_EQ(declared.value("required", std::set<std::string>()), required) << name;
    EXPECT_EQ(declared["additionalProperties"], false) << name;
    // The row schema sends this transform's args to that declaration (and requires them when
    // an argument is required).
    bool routed = false;
    for (auto& rule : s["$defs"]["row"]["allOf"]) {
      if (rule["if"].value("properties", json::object()).value("transform", json::object()).value("const", "") != name)
        continue;
      routed = true;
      EXPECT_EQ(rule["then"]["properties"]["args"]["$ref"], "#/$defs/transformArgs/" + name);
      EXPECT_EQ(rule["then"].contains("required"), !required.empty()) << name;
    }
    EXPECT_TRUE(routed) << name;
  }
}

// The loader knows a row field by its name alone, whatever else the row holds: each name it
// lists is taken (no "unknown row field"), and names that differ from one of them by a
// letter, a case or a length, or that share its length and first letter, are not.
TEST(TableFormat, TheLoaderKnowsEveryRowFieldAndNothingNearIt) {
  auto unknown_field_reported = [](const std::string& field) {
    json row = {{"from", "/a"}, {"to", "A"}};
    row[field] = "x";
    const json table = {{"table", "t"}, {"rows", json::array({row})}};
    Diagnostics d;
    (void)map::TableSet::load({{"t.json", table.dump()}}, map::transforms::signatures(), d);
    for (const auto& diag : d.items())
      if (diag.message.find("unknown row field") != std::string::npos) return true;
    return false;
  };
  const auto& fields = map::table_format_fields().at("row");
  for (const auto& f : fields) {
    EXPECT_FALSE(unknown_field_reported(f)) << f;
    std::string upper = f, longer = f + "s", shorter = f.substr(0, f.size() - 1), other = f;
    upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
    other.back() = other.back() == 'z' ? 'y' : 'z';
    for (const auto& near : {upper, longer, shorter, other})
      if (!fields.count(near)) EXPECT_TRUE(unknown_field_reported(near)) << near;
  }
  EXPECT_TRUE(unknown_field_reported(""));
}

// ---- 6. mappings/README.md describes what the loader accepts ----

TEST(TableFormat, MappingsReadmeNamesEveryFieldAndTransform) {
  const std::string readme = read_file(source_dir() / "mappings" / "README.md");
  for (const auto& [place, names] : map::table_format_fields())
    for (const auto& n : names)
      if (n != "$schema") EXPECT_NE(readme.find("`" + n + "`"), std::string::npos) << place << " field " << n;
  for (const auto& c : map::table_coercions())
    if (!c.empty()) EXPECT_NE(readme.find("`" + c + "`"), std::string::npos) << c;
  for (const auto& [name, t] : map::transforms::registry()) {
    const auto at = readme.find("| `" + name + "` |");
    ASSERT_NE(at, std::string::npos) << name;
    const std::string line = readme.substr(at, readme.find('\n', at) - at);
    for (const auto& a : t.args) EXPECT_NE(line.find("`" + a.name + "`"), std::string::npos) << name << " " << a.name;
  }
  EXPECT_EQ(readme.find("platformOnly"), std::string::npos);
}

}  // namespace
}  // namespace mcc::test
