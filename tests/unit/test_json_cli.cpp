// SPDX-License-Identifier: Apache-2.0
// `--json` (issue 16 item 7) as a script drives it: the binary run with and without --json,
// its standard output parsed, the content checked against what the human form says, and
// every document checked against the schema that ships in docs/json/.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

#include "support/test_support.hpp"
#include "test_cms_pki.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// ---- the schema, checked with the keywords docs/json/mobileconfigc.schema.json uses ----------
// (type, const, enum, required, dependentRequired, properties, items, oneOf, minimum, $ref):
// a structural check, without a JSON Schema library.

const json& schema() {
  static const json s = json::parse(read_file(source_dir() / "docs" / "json" / "mobileconfigc.schema.json"));
  return s;
}

bool has_type(const json& v, const std::string& type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_boolean();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  ADD_FAILURE() << "the schema names an unknown type " << type;
  return false;
}

void check(const json& s, const json& v, const std::string& at, std::vector<std::string>& errors) {
  static const std::set<std::string> kKnown = {"$schema", "$id", "$defs", "title", "description", "$ref", "type",
                                               "const", "enum", "required", "dependentRequired", "properties",
                                               "items", "oneOf", "minimum"};
  for (auto it = s.begin(); it != s.end(); ++it)
    if (!kKnown.count(it.key())) ADD_FAILURE() << "the schema uses " << it.key() << ", which this check does not know";
  if (s.contains("$ref")) {
    const std::string ref = s["$ref"];
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
    check(schema().at(json::json_pointer(ref.substr(1))), v, at, errors);
  }
  if (s.contains("type")) {
    const json types = s["type"].is_array() ? s["type"] : json::array({s["type"]});
    bool ok = false;
    for (const auto& t : types) ok = ok || has_type(v, t.get<std::string>());
    if (!ok) errors.push_back(at + ": not of type " + s["type"].dump());
  }
  if (s.contains("const") && v != s["const"]) errors.push_back(at + ": not " + s["const"].dump());
  if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end())
    errors.push_back(at + ": " + v.dump() + " not one of " + s["enum"].dump());
  if (s.contains("minimum") && v.is_number() && v.get<double>() < s["minimum"].get<double>())
    errors.push_back(at + ": below the minimum");
  if (s.contains("oneOf")) {
    int matching = 0;
    for (const auto& option : s["oneOf"]) {
      std::vector<std::string> mine;
      check(option, v, at, mine);
      matching += mine.empty();
    }
    if (matching != 1) errors.push_back(at + ": matches " + std::to_string(matching) + " of oneOf");
  }
  if (v.is_object()) {
    for (const auto& key : s.value("required", json::array()))
      if (!v.contains(key.get<std::string>())) errors.push_back(at + ": no " + key.get<std::string>());
    const json dependent = s.value("dependentRequired", json::object());
    for (auto it = dependent.begin(); it != dependent.end(); ++it)
      if (v.contains(it.key()))
        for (const auto& key : it.value())
          if (!v.contains(key.get<std::string>())) errors.push_back(at + ": " + it.key() + " without " + key.get<std::string>());
    if (s.contains("properties"))
      for (auto it = v.begin(); it != v.end(); ++it)
        if (s["properties"].contains(it.key())) check(s["properties"][it.key()], it.value(), at + "/" + it.key(), errors);
  }
  if (v.is_array() && s.contains("items"))
    for (std::size_t i = 0; i < v.size(); ++i) check(s["items"], v[i], at + "/" + std::to_string(i), errors);
}

std::vector<std::string> schema_errors(const json& document) {
  std::vector<std::string> errors;
  check(schema(), document, "", errors);
  return errors;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// ---- the binary ----------------------------------------------------------------------------

class JsonCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("json"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs `args --json`: one document on standard output, nothing on standard error, valid
  // against the schema, its exit_code the process's; and the exit code that of `args` alone.
  json run_json(const std::string& args, int expected_code, RunResult* human = nullptr) {
    RunResult plain = run_binary(args, dir_);
    if (human) *human = plain;
    RunResult r = run_binary(args + " --json", dir_);
    EXPECT_EQ(plain.code, expected_code) << args << "\n" << plain.err;
    EXPECT_EQ(r.code, plain.code) << args << ": --json changed the exit code\n" << r.out << r.err;
    EXPECT_EQ(r.err, "") << args;
    json doc = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << "not one JSON document: " << r.out;
    if (doc.is_discarded()) return json::object();
    // Written member by member, and exactly as nlohmann::json writes the whole document.
    EXPECT_EQ(r.out, nlohmann::ordered_json::parse(r.out).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    EXPECT_EQ(doc.value("exit_code", -1), r.code);
    EXPECT_EQ(doc.value("version", 0), 1);
    const auto errors = schema_errors(doc);
    EXPECT_TRUE(errors.empty()) << args << " gave a document the schema refuses:\n" << joined(errors) << r.out;
    return doc;
  }

  // The diagnostics as the one-line form prints them: "file: /pointer: severity CODE: message".
  static std::vector<std::string> as_lines(const json& diagnostics) {
    std::vector<std::string> lines;
    for (const auto& d : diagnostics) {
      std::string line;
      if (!d["file"].get<std::string>().empty()) line += d["file"].get<std::string>() + ": ";
      if (!d["pointer"].get<std::string>().empty()) line += d["pointer"].get<std::string>() + ": ";
      lines.push_back(line + d["severity"].get<std::string>() + " " + d["code"].get<std::string>() + ": " +
                      d["message"].get<std::string>());
    }
    return lines;
  }
  static std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  static const json* find_diagnostic(const json& doc, const std::string& code, const std::string& pointer) {
    for (const auto& d : doc["diagnostics"])
      if (d["code"] == code && d["pointer"] == pointer) return &d;
    return nullptr;
  }

  fs::path dir_;
};

TEST_F(JsonCli, CompileFailureGivesItsDiagnosticsAsObjectsWithTheTextOfTheLines) {
  const std::string input = (source_dir() / "tests/golden/fail/ikev2-inconsistent-settings/input.json").string();
  RunResult human;
  json doc = run_json("compile " + input + " -o " + path("x.mobileconfig"), 1, &human);
  EXPECT_EQ(doc["command"], "compile");
  EXPECT_TRUE(doc["profile"].is_null());
  EXPECT_FALSE(fs::exists(path("x.mobileconfig")));
  const json* d = find_diagnostic(doc, "MCC-M001", "/connectionType");
  ASSERT_NE(d, nullptr) << doc.dump(2);
  EXPECT_EQ((*d)["severity"], "error");
  EXPECT_EQ((*d)["file"], input);
  d = find_diagnostic(doc, "MCC-M004", "/tlsMinimumVersion");
  ASSERT_NE(d, nullptr) << doc.dump(2);
  EXPECT_EQ((*d)["severity"], "warning");
  // The same findings, in the same order, with the same text as the lines on standard error.
  EXPECT_EQ(as_lines(doc["diagnostics"]), lines_of(human.err));
}

TEST_F(JsonCli, CompileSuccessNamesTheProfileAndKeepsWarningsEvenWithQuiet) {
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  json doc = run_json("compile " + input + " -o " + path("x.mobileconfig") + " --quiet", 0);
  ASSERT_TRUE(doc["profile"].is_object()) << doc.dump(2);
  EXPECT_EQ(doc["profile"]["file"], path("x.mobileconfig"));
  EXPECT_EQ(doc["profile"]["payloads"], 1);
  EXPECT_EQ(doc["profile"]["platform"], "ios");
  EXPECT_EQ(doc["profile"]["signed"], false);
  EXPECT_TRUE(fs::exists(path("x.mobileconfig")));
  ASSERT_NE(find_diagnostic(doc, "MCC-M008", "/localIdentifier"), nullptr) << doc.dump(2);
  EXPECT_EQ(doc["diagnostics"][0]["severity"], "warning");

  // --warnings-as-errors: exit 1, and the document holds the finding that says why.
  doc = run_json("compile " + input + " -o " + path("y.mobileconfig") + " --warnings-as-errors", 1);
  EXPECT_EQ(doc["exit_code"], 1);
  EXPECT_EQ(doc["diagnostics"].back()["code"], "MCC-U003") << doc.dump(2);
}

TEST_F(JsonCli, CompileToStandardOutputRefusesJson) {
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  RunResult r = run_binary("compile " + input + " -o - --json", dir_);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("--json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("standard output"), std::string::npos) << r.err;
}

TEST_F(JsonCli, BatchManifestTellsWhereEachObjectOfAListResponseWent) {
  json vpn = json::parse(read_file(source_dir() / "samples/ios-ikev2-certificate-ondemand.json"));
  json other = {{"@odata.type", "#microsoft.graph.windows10GeneralConfiguration"}, {"id", "w-1"}, {"displayName", "Windows"}};
  write_file(dir_ / "list.json", json{{"value", {vpn, vpn, other}}}.dump());
  write_file(dir_ / "broken.json", "{\"@odata.type\": \"#microsoft.graph.iosikEv2VpnConfiguration\", ");
  json doc = run_json("compile " + path("list.json") + " " + path("broken.json") + " --out-dir " + path("out") + " --force", 1);
  EXPECT_EQ(doc["out_dir"], path("out"));
  const json& objects = doc["objects"];
  ASSERT_EQ(objects.size(), 4u) << doc.dump(2);

  EXPECT_EQ(objects[0]["file"], path("list.json"));
  EXPECT_EQ(objects[0]["pointer"], "/value/0");
  EXPECT_EQ(objects[0]["type"], "iosikEv2VpnConfiguration");
  EXPECT_EQ(objects[0]["id"], vpn["id"]);
  EXPECT_EQ(objects[0]["display_name"], vpn["displayName"]);
  EXPECT_EQ(objects[0]["status"], "written");
  const std::string output = objects[0]["output"];
  EXPECT_EQ(fs::path(output).parent_path(), fs::path(path("out")));
  EXPECT_TRUE(fs::is_regular_file(output)) << output;

  EXPECT_EQ(objects[1]["pointer"], "/value/1");
  EXPECT_EQ(objects[1]["status"], "copy");
  EXPECT_TRUE(objects[1]["output"].is_null());
  const json* given_twice = find_diagnostic(doc, "MCC-M038", "/value/1");
  ASSERT_NE(given_twice, nullptr) << doc.dump(2);
  EXPECT_EQ((*given_twice)["severity"], "note");

  EXPECT_EQ(objects[2]["type"], "windows10GeneralConfiguration");
  EXPECT_EQ(objects[2]["status"], "skipped");
  EXPECT_EQ(objects[2]["reason"], "not a supported graph type");

  EXPECT_EQ(objects[3]["file"], path("broken.json"));
  EXPECT_EQ(objects[3]["status"], "failed");
  EXPECT_TRUE(objects[3]["type"].is_null());

  EXPECT_EQ(doc["summary"], (json{{"written", 1}, {"skipped", 2}, {"failed", 1}, {"warnings", 2}})) << doc.dump(2);
  std::size_t errors = 0;
  for (const auto& d : doc["diagnostics"]) errors += d["severity"] == "error";
  EXPECT_GE(errors, 1u) << "the broken input's error is in the document";
  // Only the profile: no manifest or report file is written next to it.
  EXPECT_EQ(std::distance(fs::directory_iterator(path("out")), fs::directory_iterator()), 1);
}

TEST_F(JsonCli, BatchManifestSaysWhetherEachProfileIsEncryptedAndSigned) {
  pki::write_files(dir_);
  const json vpn = json::parse(read_file(source_dir() / "samples/ios-ikev2-certificate-ondemand.json"));
  const json other = {{"@odata.type", "#microsoft.graph.windows10GeneralConfiguration"}, {"id", "w-1"}};
  write_file(dir_ / "list.json", json{{"value", {vpn, other}}}.dump());
  const std::string batch = "compile " + path("list.json") + " --force --out-dir " + path("out");

  json doc = run_json(batch, 0);
  EXPECT_EQ(doc["objects"][0]["encrypted"], false) << doc.dump(2);
  EXPECT_EQ(doc["objects"][0]["signed"], false);
  EXPECT_TRUE(doc["objects"][1]["encrypted"].is_null()) << "skipped: no profile to describe";
  EXPECT_TRUE(doc["objects"][1]["signed"].is_null());

  doc = run_json(batch + " --sign-cert " + path("signer.pem") + " --sign-key " + path("signer.key"), 0);
  EXPECT_EQ(doc["objects"][0]["encrypted"], false) << doc.dump(2);
  EXPECT_EQ(doc["objects"][0]["signed"], true);

  // A device identity that can receive a content key (RSA, no key usage: any).
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + path("device.key") + " -out " +
                         path("device.pem") + " -days 2 -subj /CN=device >/dev/null 2>&1")
                            .c_str()),
            0);
  doc = run_json(batch + " --encrypt-for " + path("device.pem") + " --sign-cert " + path("signer.pem") + " --sign-key " +
                     path("signer.key"),
                 0);
  EXPECT_EQ(doc["objects"][0]["encrypted"], true) << doc.dump(2);
  EXPECT_EQ(doc["objects"][0]["signed"], true);
  const std::string profile = read_file(doc["objects"][0]["output"].get<std::string>());
  EXPECT_EQ(profile.find("<key>PayloadContent</key>"), std::string::npos) << "the payloads are not in clear text";
}

TEST_F(JsonCli, VerifySaysSignerChainTrustDigestAndSigningTime) {
  pki::write_files(dir_);
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  ASSERT_EQ(run_binary("compile " + input + " -o " + path("p.mobileconfig") + " --sign-cert " + path("signer.pem") +
                           " --sign-key " + path("signer.key") + " --sign-chain " + path("intermediate.pem") +
                           " --signing-time 2026-01-02T03:04:05Z",
                       dir_)
                .code,
            0);

  json doc = run_json("verify " + path("p.mobileconfig") + " --ca " + path("root.pem"), 0);
  EXPECT_EQ(doc["command"], "verify");
  EXPECT_EQ(doc["signed"], true);
  EXPECT_EQ(doc["verified"], true);
  EXPECT_EQ(doc["signature_valid"], true);
  EXPECT_EQ(doc["signer"]["subject"], "CN=Profile Signer RSA,O=mobileconfigc tests");
  ASSERT_EQ(doc["chain"].size(), 3u) << doc.dump(2);
  EXPECT_EQ(doc["chain"][0], doc["signer"]);
  EXPECT_EQ(doc["trust"]["checked"], true);
  EXPECT_EQ(doc["trust"]["anchors"], "ca");
  EXPECT_EQ(doc["trust"]["ca_files"], json::array({path("root.pem")}));
  EXPECT_EQ(doc["trust"]["chained"], true);
  EXPECT_EQ(doc["trust"]["anchor"], doc["chain"][2]);
  EXPECT_EQ(doc["trust"]["anchor"]["self_signed"], true);
  EXPECT_EQ(doc["digest_algorithm"], "SHA-256");
  EXPECT_EQ(doc["digest_accepted"], true);
  EXPECT_EQ(doc["signature_algorithm"], "rsaEncryption");
  EXPECT_EQ(doc["signing_time"], "2026-01-02T03:04:05Z");

  doc = run_json("verify " + path("p.mobileconfig") + " --no-system-ca", 0);
  EXPECT_EQ(doc["trust"]["anchors"], "none");
  EXPECT_EQ(doc["trust"]["checked"], false);
  EXPECT_TRUE(doc["trust"]["anchor"].is_null());

  // The wrong anchor: not verified, exit 1 as without --json, and the finding is in the document.
  doc = run_json("verify " + path("p.mobileconfig") + " --ca " + path("other-root.pem"), 1);
  EXPECT_EQ(doc["verified"], false);
  EXPECT_EQ(doc["trust"]["chained"], false);
  EXPECT_FALSE(doc["diagnostics"].empty());

  // The system store (here one made empty for the test) is named.
  ::setenv("SSL_CERT_FILE", path("no-such-store.pem").c_str(), 1);
  ::setenv("SSL_CERT_DIR", path("no-such-dir").c_str(), 1);
  doc = run_json("verify " + path("p.mobileconfig"), 1);
  ::unsetenv("SSL_CERT_FILE");
  ::unsetenv("SSL_CERT_DIR");
  EXPECT_EQ(doc["trust"]["anchors"], "system");
  EXPECT_EQ(doc["trust"]["store"]["file"], path("no-such-store.pem"));

  // Unsigned: reported, not verified; exit 0 unless --require-signed, as without --json.
  ASSERT_EQ(run_binary("compile " + input + " -o " + path("plain.mobileconfig"), dir_).code, 0);
  doc = run_json("verify " + path("plain.mobileconfig"), 0);
  EXPECT_EQ(doc["signed"], false);
  EXPECT_EQ(doc["verified"], false);
  EXPECT_TRUE(doc["signer"].is_null());
  doc = run_json("verify " + path("plain.mobileconfig") + " --require-signed", 1);
  EXPECT_EQ(doc["diagnostics"][0]["severity"], "error");
}

TEST_F(JsonCli, InspectUsesTheSameCertificateShapeAsVerifyAndKeepsNesting) {
  pki::write_files(dir_);
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  ASSERT_EQ(run_binary("compile " + input + " -o " + path("p.mobileconfig") + " --sign-cert " + path("signer.pem") +
                           " --sign-key " + path("signer.key"),
                       dir_)
                .code,
            0);
  json inspected = run_json("inspect " + path("p.mobileconfig"), 0);
  json verified = run_json("verify " + path("p.mobileconfig") + " --no-system-ca", 0);
  EXPECT_EQ(inspected["command"], "inspect");
  EXPECT_EQ(inspected["signature"]["signer"], verified["signer"]);
  EXPECT_EQ(inspected["signature"]["digest_algorithm"], verified["digest_algorithm"]);
  ASSERT_EQ(inspected["payloads"].size(), 1u);
  const json& settings = inspected["payloads"][0]["settings"];
  // Whole values: a dictionary holds dictionaries and arrays, not "A.B[0].C" paths.
  ASSERT_TRUE(settings.contains("AlwaysOn")) << settings.dump(2);
  EXPECT_TRUE(settings["AlwaysOn"]["TunnelConfigurations"].is_array());
  EXPECT_TRUE(settings["AlwaysOn"]["TunnelConfigurations"][0]["IKESecurityAssociationParameters"].is_object());
  for (auto it = settings.begin(); it != settings.end(); ++it) EXPECT_EQ(it.key().find('.'), std::string::npos) << it.key();
  EXPECT_EQ(inspected["payloads"][0]["certificates"], json::array());

  // A trusted root's certificate is decoded, in the shape verify uses.
  ASSERT_EQ(run_binary("compile " + (source_dir() / "samples/contoso-vpn-scep-root.json").string() + " -o " +
                           path("root.mobileconfig"),
                       dir_)
                .code,
            0);
  inspected = run_json("inspect " + path("root.mobileconfig"), 0);
  std::size_t decoded = 0;
  for (const auto& p : inspected["payloads"]) {
    if (p["PayloadType"] != "com.apple.security.root") continue;
    ASSERT_EQ(p["certificates"].size(), 1u) << p.dump(2);
    EXPECT_EQ(p["certificates"][0]["setting"], "PayloadContent");
    const json& c = p["certificates"][0]["certificate"];
    EXPECT_EQ(c["self_signed"], true);
    EXPECT_NE(c["subject"].get<std::string>().find("CN="), std::string::npos) << c.dump(2);
    EXPECT_EQ(c["sha256"].get<std::string>().size(), 64u);
    ++decoded;
  }
  EXPECT_EQ(decoded, 1u) << inspected.dump(2);
}

TEST_F(JsonCli, ValidateGivesTheFindingsWithCodes) {
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  ASSERT_EQ(run_binary("compile " + input + " -o " + path("good.mobileconfig"), dir_).code, 0);
  json doc = run_json("validate " + path("good.mobileconfig"), 0);
  EXPECT_EQ(doc["command"], "validate");
  EXPECT_EQ(doc["valid"], true);
  EXPECT_EQ(doc["platform"], "ios");

  // A string where Apple's schema has a dictionary.
  std::string bad = read_file(path("good.mobileconfig"));
  const std::string key = "<key>AlwaysOn</key>";
  const auto at = bad.find(key);
  ASSERT_NE(at, std::string::npos);
  const auto end = bad.find("</dict>\n\t\t\t<key>", at);
  ASSERT_NE(end, std::string::npos);
  bad.replace(at + key.size(), end + 7 - at - key.size(), "\n\t\t\t<string>always</string>");
  write_file(dir_ / "bad.mobileconfig", bad);
  RunResult human;
  doc = run_json("validate " + path("bad.mobileconfig"), 1, &human);
  EXPECT_EQ(doc["valid"], false);
  bool found = false;
  for (const auto& d : doc["diagnostics"])
    if (d["severity"] == "error" && d["pointer"].get<std::string>().find("AlwaysOn") != std::string::npos) {
      found = true;
      EXPECT_EQ(d["code"].get<std::string>().rfind("MCC-", 0), 0u);
    }
  EXPECT_TRUE(found) << doc.dump(2);
  EXPECT_EQ(as_lines(doc["diagnostics"]), lines_of(human.err));

  // An input error before the check: the document still comes, with the finding.
  doc = run_json("validate " + path("missing.mobileconfig"), 1);
  ASSERT_EQ(doc["diagnostics"].size(), 1u);
  EXPECT_EQ(doc["diagnostics"][0]["severity"], "error");
}

TEST_F(JsonCli, SecretsStayOutOfTheDocuments) {
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  ASSERT_EQ(run_binary("compile " + input + " -o " + path("p.mobileconfig"), dir_).code, 0);
  // A shared secret in a VPN payload: inspect redacts it unless asked.
  std::string profile = read_file(path("p.mobileconfig"));
  const auto at = profile.find("<key>AuthenticationMethod</key>");
  ASSERT_NE(at, std::string::npos);
  profile.insert(at, "<key>SharedSecret</key>\n<string>json-secret-1234</string>\n");
  write_file(dir_ / "s.mobileconfig", profile);
  RunResult r = run_binary("inspect " + path("s.mobileconfig") + " --json", dir_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("json-secret-1234"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<redacted>"), std::string::npos);
  r = run_binary("inspect " + path("s.mobileconfig") + " --json --show-secrets", dir_);
  EXPECT_NE(r.out.find("json-secret-1234"), std::string::npos);

  // A --var value never shows in compile's document, which names the variable only.
  r = run_binary("compile " + (source_dir() / "samples/contoso-vpn-scep-root.json").string() + " -o " +
                     path("v.mobileconfig") + " --scep-challenge json-challenge-5678 --json",
                 dir_);
  EXPECT_EQ(r.out.find("json-challenge-5678"), std::string::npos) << r.out;
  EXPECT_FALSE(json::parse(r.out, nullptr, false).is_discarded());
}

// A file name that is not UTF-8 is escaped as its line has it; the document stays valid JSON.
TEST_F(JsonCli, NamesThatAreNotUtf8GiveAValidDocument) {
  const std::string input = (source_dir() / "samples/ios-ikev2-alwayson.json").string();
  const std::string name = path("bad\xff.mobileconfig");
  ASSERT_EQ(run_binary("compile " + input + " -o " + path("p.mobileconfig"), dir_).code, 0);
  fs::copy_file(path("p.mobileconfig"), name);
  json doc = run_json("inspect " + name, 0);
  EXPECT_EQ(doc["file"], path("bad\\xff.mobileconfig"));
  doc = run_json("validate " + name + "x", 1);
  ASSERT_EQ(doc["diagnostics"].size(), 1u);
  EXPECT_EQ(doc["diagnostics"][0]["file"], path("bad\\xff.mobileconfigx"));
}

// The format is documented where a script author looks: the README links docs/json.md, which
// links the schema; each command's --help (and so its man page) offers --json.
TEST_F(JsonCli, FormatIsDocumentedAndOfferedByEachReportingCommand) {
  const std::string readme = read_file(source_dir() / "README.md");
  EXPECT_NE(readme.find("](docs/json.md)"), std::string::npos);
  EXPECT_NE(readme.find("### Machine-readable output"), std::string::npos);
  const std::string doc = read_file(source_dir() / "docs" / "json.md");
  EXPECT_NE(doc.find("](json/mobileconfigc.schema.json)"), std::string::npos);
  for (const char* command : {"compile", "verify", "validate", "inspect"}) {
    EXPECT_NE(doc.find(std::string("## `") + command + "`"), std::string::npos) << command;
    EXPECT_TRUE(schema()["$defs"].contains(command)) << command;
    RunResult help = run_binary(std::string("help ") + command, dir_);
    EXPECT_NE(help.out.find("--json"), std::string::npos) << command << "\n" << help.out;
    EXPECT_NE(readme.find(std::string("mobileconfigc ") + command + " "), std::string::npos);
  }
}

// The check above is not vacuous: it refuses what the schema forbids.
TEST(JsonSchema, StructuralCheckRefusesBrokenDocuments) {
  const json good = {{"version", 1},
                     {"command", "validate"},
                     {"exit_code", 1},
                     {"file", "p.mobileconfig"},
                     {"platform", "ios"},
                     {"valid", false},
                     {"diagnostics",
                      {{{"file", "p"}, {"pointer", "/a"}, {"severity", "error"}, {"code", "MCC-C001"}, {"message", "m"}}}}};
  EXPECT_TRUE(schema_errors(good).empty()) << joined(schema_errors(good));
  json bad = good;
  bad["diagnostics"][0].erase("code");
  EXPECT_FALSE(schema_errors(bad).empty());
  bad = good;
  bad["diagnostics"][0]["severity"] = "fatal";
  EXPECT_FALSE(schema_errors(bad).empty());
  bad = good;
  bad.erase("valid");
  EXPECT_FALSE(schema_errors(bad).empty());
  bad = good;
  bad["version"] = 2;
  EXPECT_FALSE(schema_errors(bad).empty());
  bad = good;
  bad["command"] = "explain";
  EXPECT_FALSE(schema_errors(bad).empty());
}

}  // namespace
}  // namespace mcc::test
