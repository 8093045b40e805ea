// SPDX-License-Identifier: Apache-2.0
// decompile: profiles back to Graph objects through the same tables (issue 15).

#include <algorithm>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "mobileconfigc/decompile.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<fs::path> golden_pass_cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "tests" / "golden" / "pass"))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

CompileOptions options_from(const fs::path& args_file) {
  CompileOptions o;
  if (!fs::exists(args_file)) return o;
  auto j = json::parse(read_file(args_file));
  for (const auto& [k, v] : j.items()) {
    if (k == "platform") o.platform = parse_platform(v.get<std::string>()).value_or(Platform::ios);
    else if (k == "identifier_prefix") o.identifier_prefix = v.get<std::string>();
    else if (k == "type") o.graph_type = v.get<std::string>();
    else if (k == "vars") o.variables = v.get<std::map<std::string, std::string>>();
    else if (k == "scep_challenge") o.scep_challenge = v.get<std::string>();
    else if (k == "scep_url_index") o.scep_url_index = v.get<std::size_t>();
    else if (k == "vpn_subtype") o.vpn_subtype = v.get<std::string>();
  }
  return o;
}

std::vector<InputFile> case_inputs(const fs::path& dir) {
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("input", 0) == 0) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<InputFile> inputs;
  for (const auto& p : paths) inputs.push_back({p.string(), read_file(p)});
  return inputs;
}

std::string xml_of(const CompiledProfile& p) { return serialize_plist(p.root, PlistFormat::xml); }

std::optional<DecompileResult> decompile_text(const std::string& name, const std::string& bytes, Diagnostics& d,
                                              DecompileOptions options = {}) {
  return decompile(compiler(), InputFile{name, bytes}, options, d);
}

// The keys decompiling reports as not carried (pointer: reason), for messages.
std::string not_carried(const DecompileResult& r) {
  std::string out;
  for (const auto& k : r.keys)
    if (k.status != KeyReport::Status::carried && k.status != KeyReport::Status::identity)
      out += k.pointer + (k.status == KeyReport::Status::apple_default ? " (Apple's default)" : "") + ": " + k.reason + "\n";
  return out;
}

class RoundTrip : public ::testing::TestWithParam<fs::path> {};

// compile(decompile(compile(input))) == compile(input), byte for byte, for every golden
// pass case: the ids come back from our own PayloadIdentifiers, so even the identity keys
// are equal. The SCEP challenge is the one key Intune cannot carry: the recompile is given
// the same --scep-challenge (or variables), as Intune would supply its own.
TEST_P(RoundTrip, GoldenCaseCompilesBackIdentically) {
  const fs::path dir = GetParam();
  CompileOptions options = options_from(dir / "args.json");
  Diagnostics d1;
  auto p1 = compile_inputs(case_inputs(dir), options, d1);
  ASSERT_TRUE(p1) << all_lines(d1);
  const std::string xml1 = xml_of(*p1);

  Diagnostics d2;
  auto graph = decompile_text("p1.mobileconfig", xml1, d2);
  ASSERT_TRUE(graph) << all_lines(d2);
  for (const auto& k : graph->keys)
    if (k.status == KeyReport::Status::not_carried || k.status == KeyReport::Status::error)
      EXPECT_TRUE(k.pointer.size() > 10 && k.pointer.substr(k.pointer.size() - 10) == "/Challenge") << k.pointer << ": " << k.reason;

  // The decompiled list holds only the chosen SCEP URL: no index is needed to pick it again.
  CompileOptions again = options;
  again.scep_url_index.reset();
  Diagnostics d3;
  auto p2 = compile_inputs({InputFile{"decompiled.json", graph_list_json(graph->objects)}}, again, d3);
  ASSERT_TRUE(p2) << all_lines(d3) << graph_list_json(graph->objects);
  EXPECT_EQ(xml1, xml_of(*p2)) << graph_list_json(graph->objects) << not_carried(*graph);

  // The IntuneManagement folder reads back, file by file in payload order, to the same profile.
  std::vector<InputFile> files;
  for (const auto& [rel, bytes] : intune_management_files(graph->objects)) {
    EXPECT_EQ(bytes.substr(0, 3), "\xEF\xBB\xBF") << rel;
    EXPECT_EQ(rel.rfind("DeviceConfiguration/", 0), 0u) << rel;
    EXPECT_EQ(bytes.find("@odata.bind"), std::string::npos) << rel;
    files.push_back({rel, bytes});
  }
  Diagnostics d4;
  auto p3 = compile_inputs(files, again, d4);
  ASSERT_TRUE(p3) << all_lines(d4);
  EXPECT_EQ(xml1, xml_of(*p3));
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.filename().string();
  std::replace_if(name.begin(), name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Golden, RoundTrip, ::testing::ValuesIn(golden_pass_cases()), case_name);

// Every leaf key of the profile is in the report exactly once.
void expect_every_key_once(const Value& v, const std::string& pointer, const DecompileResult& r, bool top) {
  if (v.is(Value::Kind::dict) && !v.as_dict().empty()) {
    for (const auto& m : v.as_dict()) {
      if (top && m.key == "PayloadContent") {
        for (std::size_t i = 0; i < m.value.as_array().size(); ++i)
          expect_every_key_once(m.value.as_array()[i], "/PayloadContent/" + std::to_string(i), r, false);
        continue;
      }
      std::string token;
      for (char c : m.key) token += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
      expect_every_key_once(m.value, pointer + "/" + token, r, false);
    }
    return;
  }
  if (v.is(Value::Kind::array) && !v.as_array().empty() &&
      std::all_of(v.as_array().begin(), v.as_array().end(), [](const Value& e) { return e.is(Value::Kind::dict); })) {
    for (std::size_t i = 0; i < v.as_array().size(); ++i) expect_every_key_once(v.as_array()[i], pointer + "/" + std::to_string(i), r, false);
    return;
  }
  auto n = std::count_if(r.keys.begin(), r.keys.end(), [&](const KeyReport& k) { return k.pointer == pointer; });
  EXPECT_EQ(n, 1) << pointer;
}

// A hand-written strongSwan-style profile: what Intune cannot carry is reported with its
// key path and reason, what it can is carried, and the report names every key.
TEST(Decompile, ForeignProfileReportsEveryKey) {
  const std::string profile = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
  <key>IKEv2</key><dict>
    <key>AuthenticationMethod</key><string>SharedSecret</string>
    <key>SharedSecret</key><string>s3cr3t-never-printed</string>
    <key>RemoteAddress</key><string>vpn.example.com</string>
    <key>RemoteIdentifier</key><string>vpn.example.com</string>
    <key>LocalIdentifier</key><string></string>
    <key>AuthName</key><string>alice</string>
    <key>MTU</key><integer>1300</integer>
    <key>DeadPeerDetectionRate</key><string>High</string>
  </dict>
  <key>PayloadDisplayName</key><string>Lab VPN</string>
  <key>PayloadIdentifier</key><string>org.example.vpn</string>
  <key>PayloadType</key><string>com.apple.vpn.managed</string>
  <key>PayloadUUID</key><string>0F3A1C2E-1111-4222-8333-444455556666</string>
  <key>PayloadVersion</key><integer>1</integer>
  <key>UserDefinedName</key><string>Lab</string>
  <key>VPNType</key><string>IKEv2</string>
</dict></array>
<key>PayloadDisplayName</key><string>Lab VPN</string>
<key>PayloadIdentifier</key><string>org.example</string>
<key>PayloadOrganization</key><string>Example</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>9B0E2C1A-AAAA-4BBB-8CCC-DDDDEEEEFFFF</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>)";
  Diagnostics d;
  auto r = decompile_text("lab.mobileconfig", profile, d);
  ASSERT_TRUE(r) << all_lines(d);
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(r->objects[0].graph_type, "iosikEv2VpnConfiguration");
  auto obj = json::parse(r->objects[0].json);
  EXPECT_EQ(obj["authenticationMethod"], "sharedSecret");
  EXPECT_EQ(obj["server"]["address"], "vpn.example.com");
  EXPECT_EQ(obj["localIdentifier"], "empty");
  EXPECT_EQ(obj["mtuSizeInBytes"], 1300);
  EXPECT_EQ(obj["deadPeerDetectionRate"], "high");
  EXPECT_EQ(obj["connectionName"], "Lab");
  EXPECT_EQ(obj["displayName"], "Lab VPN");
  // Deterministic: derived from the profile's and the payload's UUIDs.
  Diagnostics again;
  EXPECT_EQ(decompile_text("lab.mobileconfig", profile, again)->objects[0].id, r->objects[0].id);
  EXPECT_TRUE(has_diag(d, "MCC-D003", "/PayloadContent/0/IKEv2/AuthName")) << all_lines(d);
  EXPECT_TRUE(has_diag(d, "MCC-D003", "/PayloadOrganization")) << all_lines(d);
  EXPECT_TRUE(has_diag(d, "MCC-D011", "")) << all_lines(d);
  EXPECT_EQ(all_lines(d).find("s3cr3t-never-printed"), std::string::npos);
  Value root = *parse_plist(profile, "lab", d);
  expect_every_key_once(root, "", *r, true);
}

// A key no Graph property carries is a loss (D003) unless it holds Apple's documented
// default, which leaving it out means (D005, a note); a key the compile back adds is a
// warning when its value is not that default, since the device then behaves otherwise.
TEST(Decompile, ApplesDefaultsTellHarmlessFromChangingKeys) {
  const std::string profile = read_file(source_dir() / "tests/golden/pass/ikev2-machine-certificate/expected.mobileconfig");
  auto with_top_key = [&](const std::string& xml) {
    std::string p = profile;
    const std::string at = "<key>PayloadDisplayName</key>";
    p.insert(p.rfind(at), xml);
    return p;
  };
  for (const bool disallowed : {false, true}) {
    Diagnostics d;
    auto r = decompile_text("x.mobileconfig", with_top_key(std::string("<key>PayloadRemovalDisallowed</key>") + (disallowed ? "<true/>" : "<false/>")), d);
    ASSERT_TRUE(r) << all_lines(d);
    auto k = std::find_if(r->keys.begin(), r->keys.end(), [](const KeyReport& k) { return k.pointer == "/PayloadRemovalDisallowed"; });
    ASSERT_NE(k, r->keys.end());
    EXPECT_EQ(k->status, disallowed ? KeyReport::Status::not_carried : KeyReport::Status::apple_default);
    EXPECT_TRUE(has_diag(d, disallowed ? "MCC-D003" : "MCC-D005", "/PayloadRemovalDisallowed")) << all_lines(d);
  }
  // Without OnDemandEnabled the rules are off; Intune writes it as 1 whenever there are rules.
  std::string no_switch = profile;
  const std::regex on_demand(R"(<key>OnDemandEnabled</key>\s*<integer>1</integer>\s*)");
  ASSERT_TRUE(std::regex_search(no_switch, on_demand));
  no_switch = std::regex_replace(no_switch, on_demand, "");
  Diagnostics d;
  auto r = decompile_text("x.mobileconfig", no_switch, d);
  ASSERT_TRUE(r) << all_lines(d);
  const Diagnostic* added = nullptr;
  for (const auto& x : d.items())
    if (x.code == "MCC-D009" && x.pointer.find("/IKEv2/OnDemandEnabled") != std::string::npos) added = &x;
  ASSERT_NE(added, nullptr) << all_lines(d);
  EXPECT_EQ(added->severity, Severity::warning) << format_diagnostic(*added);
  EXPECT_NE(added->message.find("Apple's default 0"), std::string::npos) << added->message;
}

// A key only one row writes must not decide the connection type by its row's condition
// before VPNType and VPNSubType do: IPv4.OverridePrimary (a Cisco IPsec row) in a vendor
// per-app VPN (as Workspace ONE writes it) left it ciscoIPSec and lost every vendor key.
TEST(Decompile, ConditionsOfOneRowDoNotOverruleTheProfilesOwnType) {
  const std::string profile = R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
  <key>IPv4</key><dict><key>OverridePrimary</key><integer>0</integer></dict>
  <key>PayloadDisplayName</key><string>Vendor VPN</string>
  <key>PayloadIdentifier</key><string>org.example.vpn</string>
  <key>PayloadType</key><string>com.apple.vpn.managed.applayer</string>
  <key>PayloadUUID</key><string>87F9CC33-0DD5-4931-B224-371263EE511F</string>
  <key>PayloadVersion</key><integer>1</integer>
  <key>UserDefinedName</key><string>Vendor</string>
  <key>VPN</key><dict>
    <key>AuthenticationMethod</key><string>Password</string>
    <key>RemoteAddress</key><string>vpn.example.com</string>
  </dict>
  <key>VPNSubType</key><string>com.example.vpn</string>
  <key>VPNType</key><string>VPN</string>
</dict></array>
<key>PayloadIdentifier</key><string>org.example</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>195C2047-813F-423E-B8C6-56A47A721B6E</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>)";
  Diagnostics d;
  auto r = decompile_text("vendor.mobileconfig", profile, d);
  ASSERT_TRUE(r) << all_lines(d);
  auto obj = json::parse(r->objects.at(0).json);
  EXPECT_EQ(obj["connectionType"], "customVpn") << obj.dump(2);
  EXPECT_EQ(obj["identifier"], "com.example.vpn");
  EXPECT_EQ(obj["server"]["address"], "vpn.example.com");
  EXPECT_TRUE(has_diag(d, "MCC-D005", "/PayloadContent/0/IPv4/OverridePrimary")) << all_lines(d);
}

// A value Graph has no member for is an error with the key path, and nothing is produced.
TEST(Decompile, ValueWithoutGraphEquivalentIsAnError) {
  CompileOptions o;
  Diagnostics d;
  auto p = compile_json(R"({"@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration", "id": "a1", "displayName": "x",
      "connectionType": "ikEv2", "authenticationMethod": "certificate", "server": {"address": "vpn.example.com"},
      "remoteIdentifier": "r", "localIdentifier": "empty", "connectionName": "c", "deadPeerDetectionRate": "low"})", d, o);
  ASSERT_TRUE(p) << all_lines(d);
  std::string xml = serialize_plist(p->root, PlistFormat::xml);
  const std::string from = "<string>Low</string>";
  ASSERT_NE(xml.find(from), std::string::npos);
  xml.replace(xml.find(from), from.size(), "<string>Sometimes</string>");
  Diagnostics d2;
  EXPECT_FALSE(decompile_text("x.mobileconfig", xml, d2));
  EXPECT_TRUE(has_diag(d2, "MCC-D001", "/PayloadContent/0/IKEv2/DeadPeerDetectionRate")) << all_lines(d2);
}

// Every transform declares an inverse or why it is lossy (checked through the public
// behaviour: every golden case above round-trips); here: a profile that is not one.
TEST(Decompile, NotAProfileIsACleanError) {
  Diagnostics d;
  EXPECT_FALSE(decompile_text("x", "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict/></plist>", d));
  EXPECT_TRUE(has_diag(d, "MCC-D012", "")) << all_lines(d);
  Diagnostics d2;
  EXPECT_FALSE(decompile_text("y", "not a plist at all", d2));
  EXPECT_TRUE(d2.has_errors());
}

// decompile shares the map layer with compile: a --mappings copy without a copy row
// carries the key in neither direction; the same table with the row carries it both ways.
TEST(Decompile, AddingACopyRowWorksInBothDirections) {
  fs::path scratch = make_scratch_dir("decompile-mappings");
  fs::path with = scratch / "with", without = scratch / "without";
  fs::create_directories(with);
  fs::create_directories(without);
  for (const auto& e : fs::directory_iterator(source_dir() / "mappings")) {
    fs::copy_file(e.path(), with / e.path().filename());
    std::string text = read_file(e.path());
    if (e.path().filename() == "iosikEv2Connection.json") {
      // The row, to the next row (it spans several lines: conditions, note, source).
      const std::string row = R"(    { "from": "/tlsMinimumVersion", "to": "TLSMinimumVersion",)";
      auto at = text.find(row);
      ASSERT_NE(at, std::string::npos);
      auto next = text.find("\n    {", at);
      ASSERT_NE(next, std::string::npos);
      text.replace(at, next + 1 - at, R"(    { "from": "/tlsMinimumVersion", "none": "test: not mapped" },)" "\n");
    }
    write_file(without / e.path().filename(), text);
  }
  const std::string object = R"({"@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration", "id": "t1", "displayName": "t",
      "connectionType": "ikEv2", "authenticationMethod": "certificate", "server": {"address": "vpn.example.com"},
      "remoteIdentifier": "r", "localIdentifier": "empty", "connectionName": "c", "tlsMinimumVersion": "1.2"})";
  for (const auto& [dir, carried] : {std::pair{with, true}, std::pair{without, false}}) {
    Diagnostics d;
    auto c = Compiler::create(dir.string(), d);
    ASSERT_TRUE(c) << all_lines(d);
    // The profile is the one the built-in tables make, which has the key.
    Diagnostics d1;
    auto p = compile_json(object, d1);
    ASSERT_TRUE(p) << all_lines(d1);
    Diagnostics d2;
    auto r = decompile(*c, InputFile{"t.mobileconfig", serialize_plist(p->root, PlistFormat::xml)}, {}, d2);
    ASSERT_TRUE(r) << all_lines(d2);
    auto it = std::find_if(r->keys.begin(), r->keys.end(), [](const KeyReport& k) { return k.pointer == "/PayloadContent/0/IKEv2/TLSMinimumVersion"; });
    ASSERT_NE(it, r->keys.end());
    EXPECT_EQ(it->status == KeyReport::Status::carried, carried) << it->reason;
    EXPECT_EQ(json::parse(r->objects[0].json).contains("tlsMinimumVersion"), carried);
    EXPECT_EQ(has_diag(d2, "MCC-D003", "/PayloadContent/0/IKEv2/TLSMinimumVersion"), !carried) << all_lines(d2);
  }
  fs::remove_all(scratch);
}

// The command: a list response to -o, IntuneManagement's folder to --out-dir, usage errors.
TEST(DecompileCli, WritesGraphListAndIntuneManagementFolder) {
  fs::path scratch = make_scratch_dir("decompile-cli");
  fs::path golden = source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile" / "expected.mobileconfig";
  auto r = run_binary("decompile " + golden.string() + " -o " + (scratch / "out.json").string(), scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  auto list = json::parse(read_file(scratch / "out.json"));
  ASSERT_EQ(list["value"].size(), 3u);
  bool bound = false;
  for (const auto& o : list["value"]) {
    EXPECT_TRUE(o.contains("id"));
    for (const auto& [k, v] : o.items())
      if (k.find("@odata.bind") != std::string::npos) bound = true;
  }
  EXPECT_TRUE(bound) << list.dump(2);
  // An existing output is kept unless --force.
  auto again = run_binary("decompile " + golden.string() + " -o " + (scratch / "out.json").string(), scratch);
  EXPECT_EQ(again.code, 1);
  auto usage = run_binary("decompile " + golden.string() + " --format intunemanagement", scratch);
  EXPECT_EQ(usage.code, 2);
  auto im = run_binary("decompile " + golden.string() + " --format intunemanagement --out-dir " + scratch.string(), scratch);
  ASSERT_EQ(im.code, 0) << im.err;
  std::size_t files = 0, refs = 0;
  for (const auto& e : fs::directory_iterator(scratch / "DeviceConfiguration")) {
    ++files;
    std::string text = read_file(e.path());
    ASSERT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
    auto obj = json::parse(text.substr(3));
    for (const auto& [k, v] : obj.items()) {
      if (k.rfind("#CustomRef_", 0) != 0) continue;
      ++refs;
      EXPECT_NE(v.get<std::string>().find("|:|#microsoft.graph."), std::string::npos);
      std::string prop = k.substr(11);
      ASSERT_TRUE(obj.contains(prop + "@odata.associationLink"));
      EXPECT_NE(obj[prop + "@odata.associationLink"].get<std::string>().find(obj["id"].get<std::string>()), std::string::npos);
    }
  }
  EXPECT_EQ(files, 3u);
  EXPECT_GE(refs, 1u);
  fs::remove_all(scratch);
}

// Issue 15 item 4: --as custom wraps any profile, as it is, in the Graph object Intune takes
// for profiles without a native type; the payload is the profile's bytes.
const std::string kWifiProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict>
  <key>SSID_STR</key><string>Contoso Guest</string>
  <key>EncryptionType</key><string>WPA2</string>
  <key>Password</key><string>wifi-secret-never-printed</string>
  <key>PayloadIdentifier</key><string>org.example.wifi</string>
  <key>PayloadType</key><string>com.apple.wifi.managed</string>
  <key>PayloadUUID</key><string>1A2B3C4D-1111-4222-8333-444455556666</string>
  <key>PayloadVersion</key><integer>1</integer>
</dict></array>
<key>PayloadDescription</key><string>Guest Wi-Fi</string>
<key>PayloadDisplayName</key><string>Contoso Wi-Fi</string>
<key>PayloadIdentifier</key><string>org.example</string>
<key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>9B0E2C1A-AAAA-4BBB-8CCC-DDDDEEEEFFFF</string>
<key>PayloadVersion</key><integer>1</integer>
</dict></plist>)";

TEST(DecompileCli, AsCustomWrapsTheProfileAsItIsAndPrivately) {
  fs::path scratch = make_scratch_dir("decompile-custom");
  write_file(scratch / "wifi.mobileconfig", kWifiProfile);
  // Natively, a Wi-Fi payload has no table: it is reported, and nothing is produced.
  auto native = run_binary("decompile " + (scratch / "wifi.mobileconfig").string() + " -o " + (scratch / "native.json").string(), scratch);
  EXPECT_NE(native.err.find("com.apple.wifi.managed"), std::string::npos) << native.err;

  auto r = run_binary("decompile --as custom " + (scratch / "wifi.mobileconfig").string() + " -o " + (scratch / "out.json").string(), scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("wifi.mobileconfig: note MCC-D011"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wifi-secret-never-printed"), std::string::npos) << r.err;
  EXPECT_EQ(fs::status(scratch / "out.json").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
      << "the payload carries the Wi-Fi password";
  auto list = json::parse(read_file(scratch / "out.json"));
  ASSERT_EQ(list["value"].size(), 1u);
  const json& o = list["value"][0];
  EXPECT_EQ(o["@odata.type"], "#microsoft.graph.iosCustomConfiguration");
  EXPECT_EQ(o["displayName"], "Contoso Wi-Fi");
  EXPECT_EQ(o["payloadName"], "Contoso Wi-Fi");
  EXPECT_EQ(o["description"], "Guest Wi-Fi");
  EXPECT_EQ(o["payloadFileName"], "wifi.mobileconfig");
  EXPECT_FALSE(o.contains("deploymentChannel"));
  auto payload = decode_base64(o["payload"].get<std::string>());
  ASSERT_TRUE(payload);
  EXPECT_EQ(std::string(payload->begin(), payload->end()), kWifiProfile);
  // The id comes from the profile's PayloadUUID: the same profile, the same id, wherever it is.
  fs::create_directories(scratch / "copy");
  write_file(scratch / "copy" / "renamed.xml", kWifiProfile);
  Diagnostics d;
  auto again = wrap_as_custom(InputFile{(scratch / "copy" / "renamed.xml").string(), kWifiProfile}, {}, d);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->objects[0].id, o["id"]);
  EXPECT_EQ(json::parse(again->objects[0].json)["payloadFileName"], "renamed.xml");

  // macOS: from --platform or a PayloadScope, with the channel PayloadScope says.
  std::string user_scoped = kWifiProfile;
  user_scoped.insert(user_scoped.find("<key>PayloadType</key><string>Configuration"), "<key>PayloadScope</key><string>User</string>\n");
  Diagnostics m;
  auto mac = wrap_as_custom(InputFile{"user.mobileconfig", user_scoped}, {}, m);
  ASSERT_TRUE(mac) << all_lines(m);
  EXPECT_TRUE(m.empty()) << all_lines(m);
  auto mac_object = json::parse(mac->objects[0].json);
  EXPECT_EQ(mac_object["@odata.type"], "#microsoft.graph.macOSCustomConfiguration");
  EXPECT_EQ(mac_object["deploymentChannel"], "userChannel");
  DecompileOptions macos;
  macos.platform = Platform::macos;
  auto device = wrap_as_custom(InputFile{"wifi.mobileconfig", kWifiProfile}, macos, m);
  ASSERT_TRUE(device);
  EXPECT_EQ(json::parse(device->objects[0].json)["deploymentChannel"], "deviceChannel");

  // Not a profile: a clean error, nothing written.
  write_file(scratch / "junk.mobileconfig", "not a plist");
  auto junk = run_binary("decompile --as custom " + (scratch / "junk.mobileconfig").string() + " -o " + (scratch / "junk.json").string(), scratch);
  EXPECT_EQ(junk.code, 1);
  EXPECT_FALSE(fs::exists(scratch / "junk.json"));
  fs::remove_all(scratch);
}

// A decompiled object may carry the profile's secrets (an IKEv2 shared secret becomes
// sharedSecret): the output is written 0600, as a profile holding one is.
TEST(DecompileCli, ObjectsCarryingASecretAreWrittenPrivately) {
  fs::path scratch = make_scratch_dir("decompile-secret");
  fs::path golden = source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile" / "expected.mobileconfig";
  auto r = run_binary("decompile " + golden.string() + " -o " + (scratch / "out.json").string(), scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(fs::status(scratch / "out.json").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
      << "the SCEP payload's challenge";
  fs::remove_all(scratch);
}

// A pkcs12 payload (an identity embedded by hand, by Apple Configurator or by --identity-p12)
// becomes a PKCS certificate profile: Graph has no place for the certificate, so its keys are
// reported with what to do instead, the password never shown, and the VPN still links to it.
TEST(DecompileCli, EmbeddedIdentityIsReportedAndTheVpnStillLinksToIt) {
  if (!fs::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
  fs::path scratch = make_scratch_dir("decompile-pkcs12");
  const std::string d = scratch.string();
  const std::string pass = "p12-Secret-4711";
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + d + "/id.key -out " + d +
                         "/id.pem -days 30 -subj /CN=alice 2>/dev/null >/dev/null && openssl pkcs12 -export -inkey " + d +
                         "/id.key -in " + d + "/id.pem -passout pass:" + pass + " -out " + d + "/id.p12")
                            .c_str()),
            0);
  write_file(scratch / "pass.txt", pass + "\n");
  write_file(scratch / "pkcs.json", R"({"@odata.type": "#microsoft.graph.iosPkcsCertificateProfile",
    "id": "5a1c0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", "displayName": "Lab identity", "subjectNameFormat": "custom",
    "subjectNameFormatString": "CN=alice", "certificateValidityPeriodValue": 1, "certificateValidityPeriodScale": "years"})");
  std::string vpn = read_file(source_dir() / "tests/golden/pass/ios-vpn-scep-root-one-profile/input1-vpn.json");
  const std::string scep_id = "8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58";
  ASSERT_NE(vpn.find(scep_id), std::string::npos);
  vpn.replace(vpn.find(scep_id), scep_id.size(), "5a1c0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d");
  write_file(scratch / "vpn.json", vpn);
  const std::string identity = " --identity-p12 " + d + "/id.p12 --identity-passphrase-file " + d + "/pass.txt";
  auto r = run_binary("compile " + d + "/pkcs.json " + d + "/vpn.json" + identity + " -o " + d + "/lab.mobileconfig", scratch);
  ASSERT_EQ(r.code, 0) << r.err;

  r = run_binary("decompile " + d + "/lab.mobileconfig -o " + d + "/out.json", scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find(pass), std::string::npos) << r.err;
  const std::string text = read_file(scratch / "out.json");
  EXPECT_EQ(text.find(pass), std::string::npos) << text;
  auto list = json::parse(text);
  json pkcs, ikev2;
  for (const auto& o : list["value"]) (o["@odata.type"] == "#microsoft.graph.iosPkcsCertificateProfile" ? pkcs : ikev2) = o;
  ASSERT_EQ(pkcs["id"], "5a1c0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d") << text;
  EXPECT_EQ(pkcs["displayName"], "Lab identity");
  EXPECT_NE(ikev2.value("identityCertificate@odata.bind", "").find("5a1c0b2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"), std::string::npos) << text;
  // The three keys of the identity, each reported with the options that put one back.
  std::size_t reported = 0;
  for (std::size_t at = r.err.find("MCC-D003"); at != std::string::npos; at = r.err.find("MCC-D003", at + 1)) {
    const std::string line = r.err.substr(r.err.rfind('\n', at) + 1, r.err.find('\n', at) - r.err.rfind('\n', at) - 1);
    if (line.find("needs an identity given to it; give --identity-p12") != std::string::npos) ++reported;
  }
  EXPECT_EQ(reported, 3u) << r.err;

  // Given the identity again, the objects compile back into the same identity payload.
  r = run_binary("compile " + d + "/out.json" + identity + " -o " + d + "/back.mobileconfig", scratch);
  ASSERT_EQ(r.code, 0) << r.err;
  Diagnostics diags;
  auto profile = parse_plist(read_file(scratch / "back.mobileconfig"), "back", diags);
  ASSERT_TRUE(profile) << all_lines(diags);
  const std::string p12 = read_file(scratch / "id.p12");
  bool embedded = false;
  for (const auto& p : profile->find("PayloadContent")->as_array())
    if (const Value* data = p.find("PayloadContent"); data && data->is(Value::Kind::data))
      embedded = embedded || std::string(data->as_data().bytes.begin(), data->as_data().bytes.end()) == p12;
  EXPECT_TRUE(embedded) << "the identity is embedded again";
  fs::remove_all(scratch);
}

// Two profiles of one name from two folders, or two objects of one display name from two
// profiles: every output gets its own file (the second was refused: "it exists").
TEST(DecompileCli, NamesAreUniqueAcrossProfiles) {
  fs::path scratch = make_scratch_dir("decompile-names");
  fs::path golden = source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile" / "expected.mobileconfig";
  for (const char* dir : {"a", "b"}) {
    fs::create_directories(scratch / dir);
    fs::copy_file(golden, scratch / dir / "vpn.mobileconfig");
  }
  const std::string both = (scratch / "a" / "vpn.mobileconfig").string() + " " + (scratch / "b" / "vpn.mobileconfig").string();
  auto graph = run_binary("decompile " + both + " --out-dir " + (scratch / "graph").string(), scratch);
  ASSERT_EQ(graph.code, 0) << graph.err;
  EXPECT_TRUE(fs::exists(scratch / "graph" / "vpn.json"));
  EXPECT_TRUE(fs::exists(scratch / "graph" / "vpn-2.json"));

  auto im = run_binary("decompile " + both + " --format intunemanagement --out-dir " + (scratch / "im").string(), scratch);
  ASSERT_EQ(im.code, 0) << im.err;
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(scratch / "im" / "DeviceConfiguration")) names.insert(e.path().filename().string());
  EXPECT_EQ(names.size(), 6u) << "three objects from each profile, each its own file";
  fs::remove_all(scratch);
}

// The value at a JSON pointer of a plist value (dictionary keys, array indices).
const Value* at(const Value& root, const std::string& pointer) {
  const Value* cur = &root;
  std::size_t pos = 0;
  while (cur && pos < pointer.size()) {
    std::size_t next = pointer.find('/', pos + 1);
    std::string token = pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
    if (cur->is(Value::Kind::dict)) cur = cur->find(token);
    else if (cur->is(Value::Kind::array) && std::stoul(token) < cur->as_array().size()) cur = &cur->as_array()[std::stoul(token)];
    else cur = nullptr;
    pos = next == std::string::npos ? pointer.size() : next;
  }
  return cur;
}

// The one payload of `type` in a profile; nullptr when there is none or several.
const Value* only_of_type(const Value& profile, const std::string& type) {
  const Value* found = nullptr;
  for (const auto& p : profile.find("PayloadContent")->as_array())
    if (const Value* t = p.find("PayloadType"); t && t->is(Value::Kind::string) && t->as_string() == type) {
      if (found) return nullptr;
      found = &p;
    }
  return found;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Equal as a device reads them: true and 1 alike.
bool same_value(const Value& a, const Value& b) {
  if (auto x = a.device_number(), y = b.device_number(); x && y) return *x == *y;
  return a == b;
}

// A signed profile's content (the corpus holds one), else the bytes.
std::string signed_content_or(const std::string& bytes) {
  Diagnostics ignored;  // the corpus's signature is old; only its content matters here
  VerifyResult v = verify_profile(bytes, "corpus", {}, ignored);
  return v.is_signed && !v.content.empty() ? v.content : bytes;
}

// Real profiles (../shared/corpus, when present): each decompiles or fails with clean
// errors; every key is in the report once; compiling the result back gives the same value
// for every key reported as carried (recomputed here, not taken from the report).
TEST(DecompileCorpus, EveryProfileDecompilesOrFailsCleanly) {
  fs::path corpus = source_dir().parent_path() / "shared" / "corpus" / "mobileconfig";
  if (!fs::exists(corpus)) GTEST_SKIP() << "no ../shared/corpus";
  std::size_t ok = 0, refused = 0;
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.path().extension() != ".mobileconfig") continue;
    std::string name = e.path().filename().string();
    std::string bytes = read_file(e.path());
    Diagnostics d;
    auto r = decompile_text(name, bytes, d);
    std::size_t carried = 0, reported = 0;
    if (!r) {
      ++refused;
      EXPECT_TRUE(d.has_errors()) << name;
      for (const auto& x : d.items()) EXPECT_EQ(format_diagnostic(x).find('\n'), std::string::npos);
      std::cout << "decompile corpus: " << name << ": error\n" << all_lines(d);
      continue;
    }
    ++ok;
    std::set<std::string> pointers;
    for (const auto& k : r->keys) {
      (k.status == KeyReport::Status::carried ? carried : reported) += 1;
      EXPECT_TRUE(pointers.insert(k.pointer).second) << name << ": " << k.pointer << " is reported twice";
    }
    std::cout << "decompile corpus: " << name << ": " << r->objects.size() << " objects, " << carried << " keys carried\n" << not_carried(*r);
    Diagnostics dc;
    auto back = compile_inputs({InputFile{"back.json", graph_list_json(r->objects)}}, {.platform = r->platform}, dc);
    EXPECT_TRUE(back || r->objects.empty()) << name << all_lines(dc);
    if (!back) continue;
    // Every carried key has the profile's value in the compiled-back profile: payloads are
    // matched by type (where a type occurs once on both sides), and a value naming a payload
    // (a PayloadUUID reference) is left aside, since payload UUIDs are regenerated.
    Diagnostics dp;
    auto original = parse_plist(signed_content_or(bytes), name, dp);
    ASSERT_TRUE(original) << name;
    std::set<std::string> uuids;
    for (const auto& p : original->find("PayloadContent")->as_array())
      if (const Value* u = p.find("PayloadUUID"); u && u->is(Value::Kind::string)) uuids.insert(upper(u->as_string()));
    std::size_t compared = 0;
    for (const auto& k : r->keys) {
      if (k.status != KeyReport::Status::carried) continue;
      const Value* mine = at(*original, k.pointer);
      const Value* again = nullptr;
      std::string rest = k.pointer;
      if (rest.rfind("/PayloadContent/", 0) == 0) {
        const std::size_t slash = rest.find('/', 16);
        const std::size_t index = std::stoul(rest.substr(16, slash - 16));
        const Value& payload = original->find("PayloadContent")->as_array()[index];
        const Value* b = only_of_type(back->root, payload.find("PayloadType")->as_string());
        if (b == nullptr || only_of_type(*original, payload.find("PayloadType")->as_string()) == nullptr) continue;
        again = slash == std::string::npos ? b : at(*b, rest.substr(slash));
      } else {
        again = at(back->root, rest);
      }
      ASSERT_NE(mine, nullptr) << name << ": " << k.pointer;
      if (mine->is(Value::Kind::string) && uuids.count(upper(mine->as_string()))) continue;
      EXPECT_TRUE(again != nullptr && same_value(*mine, *again)) << name << ": " << k.pointer << " is reported carried but compiles back "
                                                                   << (again ? "to another value" : "without the key");
      ++compared;
    }
    EXPECT_GT(compared, 0u) << name;
  }
  std::cout << "decompile corpus: " << ok << " decompiled, " << refused << " refused with errors\n";
  EXPECT_GT(ok + refused, 0u);
}

}  // namespace
}  // namespace mcc::test
