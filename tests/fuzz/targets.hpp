// SPDX-License-Identifier: Apache-2.0
#pragma once
// The fuzz entry points, shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and by
// the regression test that replays tests/fuzz/regressions/ (tests/unit/test_fuzz_regressions.cpp).
// Each returns "" when every invariant held, or what broke; a crash or hang is a failure too.
// Header-only so the unit tests need no extra library.

#include <nlohmann/json.hpp>
#include <plist/plist.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/embedded.hpp"
#include "map/engine.hpp"
#include "map/table.hpp"
#include "mobileconfigc/mobileconfigc.hpp"
#include "mobileconfigc/sign.hpp"
#include "base/carriable.hpp"
#include "plist/plist_handle.hpp"
#include "plist/preflight.hpp"
#include "schema/apple_schema.hpp"
#include "link/assemble.hpp"
#include "map/transforms/registry.hpp"

namespace mcc::fuzz {

/// The built-in tables and schemas, loaded once per process.
inline const Compiler& builtin_compiler() {
  static const Compiler c = [] {
    Diagnostics d;
    auto made = Compiler::create(std::nullopt, d);
    if (!made) __builtin_trap();  // the embedded tables are broken: nothing to fuzz
    return std::move(*made);
  }();
  return c;
}

/// Checks what every library result must satisfy, whatever the input.
inline std::string check_diagnostics(const Diagnostics& d, std::string_view file, bool produced) {
  if (produced && d.has_errors()) return "a result was returned together with errors";
  if (!produced && !d.has_errors()) return "no result and no error explains why";
  for (const auto& x : d.items()) {
    if (x.code.size() != 8 || x.code.rfind("MCC-", 0) != 0) return "malformed diagnostic code '" + x.code + "'";
    if (x.file != file) return "diagnostic names file '" + x.file + "'";
    if (!x.pointer.empty() && x.pointer.front() != '/') return "diagnostic pointer '" + x.pointer + "' is not a JSON pointer";
    if (x.message.empty()) return "diagnostic without a message";
  }
  return "";
}

/// A profile must serialize in both formats and read back, unless it holds text a plist
/// cannot carry: then serializing is refused (MCC-P003), and never writes such text.
inline std::string check_round_trip(const Value& root) {
  const bool carriable = find_uncarriable_text(root, 1).empty();
  for (auto format : {PlistFormat::xml, PlistFormat::binary}) {
    Diagnostics d;
    auto bytes = serialize_plist(root, format, "round-trip", d);
    if (!bytes) {
      if (carriable) return "serializing refused a tree that a plist can carry";
      if (d.items().size() != 1 || d.items().front().code != "MCC-P003") return "serializing refused without MCC-P003";
      continue;
    }
    if (!carriable) return "text a plist cannot carry was serialized";
    if (format == PlistFormat::xml && find_uncarriable(*bytes) != std::string::npos)
      return "the XML output holds a character XML cannot carry";
    auto back = parse_plist(*bytes, "round-trip", d);
    if (!back) return "a serialized profile does not parse back";
  }
  return "";
}

/// The depth (dictionary keys not counted) and node count (keys counted) of a libplist tree.
inline plist::Shape libplist_shape(plist_t root) {
  plist::Shape shape;
  std::vector<std::pair<plist_t, int>> todo{{root, 0}};
  while (!todo.empty()) {
    auto [node, depth] = todo.back();
    todo.pop_back();
    ++shape.nodes;
    shape.depth = std::max(shape.depth, depth);
    if (plist_get_node_type(node) == PLIST_ARRAY) {
      plist_array_iter it = nullptr;
      plist_array_new_iter(node, &it);
      for (plist_t item = nullptr; plist_array_next_item(node, it, &item), item != nullptr; item = nullptr)
        todo.emplace_back(item, depth + 1);
      std::free(it);
    } else if (plist_get_node_type(node) == PLIST_DICT) {
      plist_dict_iter it = nullptr;
      plist_dict_new_iter(node, &it);
      char* key = nullptr;
      for (plist_t item = nullptr; plist_dict_next_item(node, it, &key, &item), item != nullptr; item = nullptr) {
        std::free(key);
        ++shape.nodes;
        todo.emplace_back(item, depth + 1);
      }
      std::free(it);
    }
  }
  return shape;
}

/// Trees of more nodes are parsed only once per input, and neither serialized again nor
/// validated: that takes the sanitizers longer than the fuzzers' limit per input (-timeout),
/// and finds nothing a smaller tree of the same shape would not.
inline constexpr std::uint64_t kFuzzLargeTree = 20000;

/// What the preflight (src/plist/preflight.hpp) promises about libplist: what it accepts,
/// libplist builds within the bounds it computed (and reads, when binary); what it calls
/// damaged or cyclic, libplist refuses too (after no more work than the preflight counted).
inline std::string check_preflight(std::string_view bytes, const plist::Preflight& checked) {
  if (bytes.empty() || bytes.size() > (64u << 20)) return "";
  const auto verdict = checked.verdict;
  if (verdict != plist::Verdict::accepted && verdict != plist::Verdict::malformed && verdict != plist::Verdict::cycle) return "";
  if (checked.shape.nodes > kFuzzLargeTree) return "";
  plist_t raw = nullptr;
  plist_from_memory(bytes.data(), static_cast<std::uint32_t>(bytes.size()), &raw);
  plist::Node node(raw);
  if (verdict != plist::Verdict::accepted)
    return raw ? "the preflight calls the bytes damaged (" + checked.reason + "), but libplist reads them" : "";
  if (raw == nullptr)
    return bytes.substr(0, 8) == "bplist00" ? "the preflight accepts a binary plist that libplist cannot read" : "";
  const auto built = libplist_shape(raw);
  if (built.depth > checked.shape.depth || built.nodes > checked.shape.nodes)
    return "libplist built a tree of depth " + std::to_string(built.depth) + " and " + std::to_string(built.nodes) +
           " nodes; the preflight allowed " + std::to_string(checked.shape.depth) + " and " + std::to_string(checked.shape.nodes);
  return "";
}

/// Graph JSON → profile, through the public front door.
inline std::string compile_graph_json(std::string_view bytes) {
  const Compiler& c = builtin_compiler();
  InputFile in{"fuzz.json", std::string(bytes)};
  Diagnostics d;
  auto profile = c.compile({in}, {}, d);
  if (auto broken = check_diagnostics(d, "fuzz.json", profile.has_value()); !broken.empty()) return broken;
  if (profile) {
    if (auto broken = check_round_trip(profile->root); !broken.empty()) return broken;
    auto platform = profile->platform;
    if (!c.validate(profile->root, platform).empty()) return "a compiled profile violates Apple's schema";
  }
  Diagnostics scan_diags;
  for (const auto& info : c.scan(in, {}, scan_diags))
    if (!info.pointer.empty() && info.pointer.front() != '/') return "scan returned a bad pointer";
  return "";
}

/// A realistic object the table fuzzer maps with whatever tables it loaded.
inline constexpr std::string_view kTableFuzzObject = R"json({
 "@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","id":"2f6c1d9a-4b7e-4c3a-9e1f-8a5d3b2c7e10",
 "displayName":"Contoso","description":"d","connectionName":"Contoso VPN","connectionType":"ikEv2",
 "server":{"description":"gw","address":"vpn.contoso.example","isDefaultServer":true},
 "customData":[{"key":"k","value":"v"}],"customKeyValueData":[{"name":"n","value":"v"}],
 "enableSplitTunneling":false,"authenticationMethod":"certificate","enablePerApp":true,
 "safariDomains":["contoso.example"],"associatedDomains":["a.example"],"excludedDomains":["b.example"],
 "onDemandRules":[{"ssids":["Corp"],"action":"disconnect","domainAction":"connectIfNeeded","interfaceTypeMatch":"wiFi"},
  {"action":"evaluateConnection","domainAction":"connectIfNeeded","domains":["intranet.example"],
   "probeRequiredUrl":"https://intranet.example/h","interfaceTypeMatch":"notConfigured"}],
 "providerType":"packetTunnel","disableOnDemandUserOverride":true,"disconnectOnIdle":true,
 "disconnectOnIdleTimerInSeconds":300,"includeAllNetworks":false,"excludeLocalNetworks":true,
 "proxyServer":{"automaticConfigurationScriptUrl":null,"address":"proxy.example","port":8080},
 "childSecurityAssociationParameters":{"securityEncryptionAlgorithm":"aes256Gcm","securityIntegrityAlgorithm":"sha2_256",
  "securityDiffieHellmanGroup":19,"lifetimeInMinutes":480},
 "securityAssociationParameters":{"securityEncryptionAlgorithm":"aes256","securityIntegrityAlgorithm":"sha2_384",
  "securityDiffieHellmanGroup":20,"lifetimeInMinutes":1440},
 "clientAuthenticationType":"userAuthentication","deadPeerDetectionRate":"medium","enableEAP":true,
 "enablePerfectForwardSecrecy":true,"localIdentifier":"deviceFQDN","remoteIdentifier":"vpn.contoso.example",
 "serverCertificateCommonName":"vpn","serverCertificateIssuerCommonName":"CA","serverCertificateType":"ecdsa384",
 "sharedSecret":"s3cret","tlsMaximumVersion":"1.2","tlsMinimumVersion":"1.2","mtuSizeInBytes":1360,
 "allowDefaultSecurityAssociationParameters":false,"allowDefaultChildSecurityAssociationParameters":false,
 "identityCertificate@odata.bind":"https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('8d3e2a71')"})json";

/// One mapping table (as --mappings would load it) replacing the built-in table of the
/// same name; when the set loads, the realistic object is mapped and assembled with it.
inline std::string load_tables(std::string_view bytes) {
  static const std::vector<std::pair<std::string, std::string>> builtin = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& r : embedded::resources())
      if (r.path.rfind("mappings/", 0) == 0 && r.path.size() > 5 && r.path.substr(r.path.size() - 5) == ".json" &&
          r.path != "mappings/schema.json")
        files.emplace_back(std::string(r.path), std::string(r.content));
    return files;
  }();
  auto table_name = [](std::string_view text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_object() && j.contains("table") && j["table"].is_string()) return j["table"].get<std::string>();
    return std::string();
  };
  std::string name = table_name(bytes);
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& f : builtin)
    if (name.empty() || table_name(f.second) != name) files.push_back(f);
  files.emplace_back("fuzz.json", std::string(bytes));

  Diagnostics d;
  auto tables = map::TableSet::load(files, map::transforms::signatures(), d);
  if (!tables) return d.has_errors() ? "" : "tables refused without an error";
  for (const auto& x : d.items())
    if (x.severity == Severity::error) return "tables loaded despite an error";

  // The whole pipeline, wired as Compiler wires it, with the fuzzed table set.
  std::vector<TableText> texts;
  for (const auto& [file, json] : files) texts.push_back({file, json});
  Diagnostics cd;
  auto compiler = Compiler::create(texts, cd);
  if (!compiler) return "";  // the embedded schemas always load: the table set was refused
  for (auto platform : {Platform::ios, Platform::macos}) {
    Diagnostics md;
    CompileOptions options;
    options.platform = platform;
    options.identifier_prefix = "com.example";
    options.now = 0;
    auto profile = compiler->compile({InputFile{"object.json", std::string(kTableFuzzObject)}}, options, md);
    if (!profile) continue;
    if (auto broken = check_round_trip(profile->root); !broken.empty()) return broken;
  }
  return "";
}

/// Plist bytes (the input of validate, inspect and sign) → payload tree → plist again.
inline std::string read_plist(std::string_view bytes) {
  const auto checked = plist::preflight(bytes);
  if (auto broken = check_preflight(bytes, checked); !broken.empty()) return broken;
  Diagnostics d;
  auto v = parse_plist(bytes, "fuzz.plist", d);
  if (auto broken = check_diagnostics(d, "fuzz.plist", v.has_value()); !broken.empty()) return broken;
  (void)looks_like_cms(bytes);
  if (!v || checked.shape.nodes > kFuzzLargeTree) return "";
  if (auto broken = check_round_trip(*v); !broken.empty()) return broken;
  (void)builtin_compiler().validate(*v, Platform::ios);
  (void)builtin_compiler().validate(*v, Platform::macos);
  return "";
}

/// Binary plists: any bytes become one, behind the "bplist00" magic, so that every input
/// exercises the binary reader (its trailer, offset table, references, depth and sharing).
inline std::string read_bplist(std::string_view bytes) {
  if (bytes.substr(0, 8) == "bplist00") return read_plist(bytes);
  return read_plist("bplist00" + std::string(bytes));
}

/// Signed-profile bytes (verify and inspect input) → mcc::verify_profile → the content as a plist.
inline std::string verify_cms(std::string_view bytes) {
  Diagnostics d;
  VerifyResult r = verify_profile(bytes, "fuzz.mobileconfig", VerifyOptions{}, d);
  for (const auto& x : d.items())
    if (x.file != "fuzz.mobileconfig") return "diagnostic names file '" + x.file + "'";
  if (!r.is_signed && !r.content.empty()) return "content extracted from bytes that are not signed";
  if (r.valid() && d.has_errors()) return "a valid signature reported together with errors";
  if (r.is_signed && !r.signature_valid && !d.has_errors()) return "a bad signature without an error";
  if (!r.content.empty()) {
    Diagnostics pd;
    (void)parse_plist(r.content, "fuzz.mobileconfig", pd);
  }
  return "";
}

}  // namespace mcc::fuzz
