// SPDX-License-Identifier: Apache-2.0
// Loading mapping tables from a directory (--mappings): bad tables are refused with
// MCC-T001, and the coverage check notices a property that lost its row.

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"
#include "map/transforms/inverse.hpp"
#include "map/transforms/registry.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TableDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_scratch_dir("tables");
    for (const auto& e : fs::directory_iterator(source_dir() / "mappings"))
      if (e.path().extension() == ".json") fs::copy_file(e.path(), dir_ / e.path().filename());
  }
  void TearDown() override { fs::remove_all(dir_); }

  void edit(const std::string& table, const std::function<void(json&)>& change) {
    json j = json::parse(read_file(dir_ / (table + ".json")));
    change(j);
    write_file(dir_ / (table + ".json"), j.dump(2));
  }

  std::optional<Compiler> load(Diagnostics& d) { return Compiler::create(dir_.string(), d); }

  fs::path dir_;
};

TEST_F(TableDir, UnchangedCopyLoadsAndIsComplete) {
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  EXPECT_TRUE(c->uncovered_properties().empty());
}

TEST_F(TableDir, CoverageNoticesAMissingRow) {
  edit("iosikEv2Connection", [](json& j) {
    auto& rows = j["rows"];
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const json& r) { return r.value("from", "") == "/mtuSizeInBytes"; }),
               rows.end());
  });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  auto gaps = c->uncovered_properties();
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_NE(gaps[0].find("/mtuSizeInBytes"), std::string::npos) << gaps[0];
}

TEST_F(TableDir, CoverageNoticesARowReadingNothing) {
  edit("vpnProxyServer", [](json& j) { j["rows"].push_back({{"from", "/adress"}, {"to", "HTTPProxy"}}); });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  auto gaps = c->uncovered_properties();
  ASSERT_FALSE(gaps.empty());
  EXPECT_NE(gaps[0].find("/adress"), std::string::npos) << gaps[0];
}

TEST_F(TableDir, UnknownRowFieldIsRefused) {
  edit("vpnProxyServer", [](json& j) { j["rows"][0]["frm"] = "/x"; });
  Diagnostics d;
  EXPECT_FALSE(load(d));
  EXPECT_DIAG(d, "MCC-T001", "/rows/0");
}

TEST_F(TableDir, UnknownTransformIsRefused) {
  edit("vpnProxyServer", [](json& j) { j["rows"].push_back({{"from", "/port"}, {"to", "HTTPPort"}, {"transform", "doMagic"}}); });
  Diagnostics d;
  EXPECT_FALSE(load(d));
  EXPECT_NE(all_lines(d).find("unknown transform 'doMagic'"), std::string::npos) << all_lines(d);
}

TEST_F(TableDir, DanglingTableReferenceIsRefused) {
  edit("iosikEv2VpnConfiguration", [](json& j) { j["rows"].push_back({{"include", "noSuchTable"}}); });
  Diagnostics d;
  EXPECT_FALSE(load(d));
  EXPECT_NE(all_lines(d).find("no table named 'noSuchTable'"), std::string::npos) << all_lines(d);
}

// Includes that nest into more steps than rows (each of nine tables includes the next 30
// times; the last holds no row, or one) are refused at load: 30^8 steps were followed before.
TEST_F(TableDir, IncludesNestingIntoTooManyStepsAreRefused) {
  for (const bool leaf_row : {false, true}) {
    for (int i = 0; i < 9; ++i) {
      json rows = json::array();
      if (i < 8) {
        for (int k = 0; k < 30; ++k) rows.push_back({{"include", "nest" + std::to_string(i + 1)}});
      } else if (leaf_row) {
        rows.push_back({{"from", "/a"}, {"to", "A"}});
      }
      write_file(dir_ / ("nest" + std::to_string(i) + ".json"),
                 json{{"table", "nest" + std::to_string(i)}, {"rows", rows}}.dump());
    }
    Diagnostics d;
    EXPECT_FALSE(load(d)) << leaf_row;
    EXPECT_NE(all_lines(d).find("includes expand to more than 20000 rows and includes"), std::string::npos)
        << all_lines(d);
  }
}

TEST_F(TableDir, EditedTableChangesTheOutput) {
  edit("iosikEv2Connection", [](json& j) {
    for (auto& r : j["rows"])
      if (r.value("from", "") == "/deadPeerDetectionRate") r["enum"]["medium"] = "High";
  });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  std::string input = read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json");
  auto p = c->compile({InputFile{"s.json", input}}, {}, d);
  ASSERT_TRUE(p) << all_lines(d);
  auto ike = p->root.find("PayloadContent")->as_array()[0].find("IKEv2");
  EXPECT_EQ(ike->find("DeadPeerDetectionRate")->as_string(), "High");
}

// ---- transform arguments: checked against each transform's declaration at load time ----

// The row of `table` whose transform is `transform`.
json& transform_row(json& table, const std::string& transform, std::size_t* index = nullptr) {
  auto& rows = table["rows"];
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].value("transform", "") == transform) {
      if (index) *index = i;
      return rows[i];
    }
  throw std::runtime_error("no " + transform + " row");
}

// A flagBits row without its bits once terminated the process (out_of_range, exit 134).
TEST_F(TableDir, FlagBitsWithoutBitsIsRefusedAtLoad) {
  std::size_t index = 0;
  edit("appleScepCertificateProfile", [&](json& j) { transform_row(j, "flagBits", &index)["args"] = json::object(); });
  Diagnostics d;
  EXPECT_FALSE(load(d));
  ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
  EXPECT_EQ(d.items()[0].pointer, "/rows/" + std::to_string(index) + "/args");
  EXPECT_NE(d.items()[0].file.find("appleScepCertificateProfile.json"), std::string::npos);
  EXPECT_EQ(d.items()[0].message, "invalid mapping table: transform flagBits: the argument 'bits' (an object of integers) is required");

  const std::string scep = (source_dir() / "samples" / "contoso-vpn-scep-root.json").string();
  auto r = run_binary("compile " + scep + " -o " + (dir_ / "out.mobileconfig").string() + " --mappings " + dir_.string(), dir_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("error MCC-T001: invalid mapping table: transform flagBits: the argument 'bits'"), std::string::npos)
      << r.err;
}

// Every transform's every argument: a value of the wrong JSON type is refused, and so is
// leaving out a required one; the diagnostic names the table, the row and the argument.
TEST_F(TableDir, EveryTransformArgumentIsCheckedAtLoad) {
  const std::string base = read_file(dir_ / "vpnProxyServer.json");
  int checked = 0;
  for (const auto& [name, transform] : map::transforms::registry()) {
    for (const auto& arg : transform.args) {
      for (bool drop : {false, true}) {
        if (drop && !arg.required) continue;
        json table = json::parse(base);
        json args = json::object();
        for (const auto& other : transform.args)
          if (other.required) args[other.name] = other.type == map::ArgType::string_array ? json::array() : json::object();
        if (drop) args.erase(arg.name);
        else args[arg.name] = 12345;  // no argument is a number
        table["rows"].push_back({{"to", "HTTPPort"}, {"transform", name}, {"args", args}});
        const std::string row = "/rows/" + std::to_string(table["rows"].size() - 1);
        write_file(dir_ / "vpnProxyServer.json", table.dump());
        Diagnostics d;
        EXPECT_FALSE(load(d)) << name << " " << arg.name;
        ASSERT_EQ(d.items().size(), 1u) << all_lines(d);
        const Diagnostic& x = d.items()[0];
        EXPECT_EQ(x.code, "MCC-T001");
        EXPECT_NE(x.file.find("vpnProxyServer.json"), std::string::npos) << x.file;
        EXPECT_EQ(x.pointer, drop ? row + "/args" : row + "/args/" + arg.name) << format_diagnostic(x);
        EXPECT_NE(x.message.find("transform " + name + ": the argument '" + arg.name + "'"), std::string::npos) << x.message;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 25);
  write_file(dir_ / "vpnProxyServer.json", base);
}

TEST_F(TableDir, UnknownArgumentsAndValuesOutsideTheDeclarationAreRefused) {
  edit("appleVpnConnection", [](json& j) {
    auto& link = transform_row(j, "certificateLink");
    link["args"]["fill"] = "md5Fingerprint";
    link["args"]["propertee"] = "x";
  });
  edit("appleScepCertificateProfile", [](json& j) { transform_row(j, "flagBits")["args"]["bits"]["digitalSignature"] = "1"; });
  Diagnostics d;
  EXPECT_FALSE(load(d));
  const std::string all = all_lines(d);
  EXPECT_NE(all.find("/args/propertee: error MCC-T001: invalid mapping table: transform certificateLink: unknown argument "
                     "'propertee' (it takes: property, purpose, fill, optional, targetRoles)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("/args/fill: error MCC-T001: invalid mapping table: transform certificateLink: the argument 'fill' "
                     "must be one of PayloadUUID, sha1Fingerprint, not \"md5Fingerprint\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("/args/bits: error MCC-T001: invalid mapping table: transform flagBits: the argument 'bits' must be "
                     "an object of integers"),
            std::string::npos)
      << all;
}

// Optional arguments a row leaves out take their declared fallback: a table that spells
// out nothing optional compiles to the same profile.
TEST_F(TableDir, OptionalArgumentsTakeTheirFallbacks) {
  const std::string scep = read_file(source_dir() / "samples" / "contoso-vpn-scep-root.json");
  Diagnostics before_diags;
  auto before = load(before_diags)->compile({InputFile{"s.json", scep}}, {}, before_diags);
  ASSERT_TRUE(before) << all_lines(before_diags);
  edit("appleVpnConnectionType", [](json& j) {
    for (auto& r : j["rows"])
      if (r.value("transform", "") == "keyValueDict" && r["args"]["key"] == "key") r["args"] = json::object();
  });
  edit("appleScepCertificateProfile", [](json& j) {
    auto& san = transform_row(j, "subjectAltNames")["args"];
    san.erase("typeField");
    san.erase("nameField");
  });
  Diagnostics d;
  auto c = load(d);
  ASSERT_TRUE(c) << all_lines(d);
  auto after = c->compile({InputFile{"s.json", scep}}, {}, d);
  ASSERT_TRUE(after) << all_lines(d);
  EXPECT_EQ(serialize_plist(after->root, PlistFormat::xml), serialize_plist(before->root, PlistFormat::xml));
}

// Nothing else a --mappings table can hold throws out of the library: wrong JSON types
// anywhere in a row are MCC-T001 too.
TEST_F(TableDir, MistypedRowFieldsAreRefusedNotThrown) {
  const std::vector<std::pair<std::string, json>> fields = {
      {"with", 5},          {"with", {{"a", 1}}}, {"except", {1}},   {"enumNotes", {{"a", 1}}}, {"enumNotes", "x"},
      {"when", 5},          {"when", {{"x", 1}}}, {"unless", "x"},    {"from", 5},                {"to", true},
      {"secret", "yes"},    {"args", 5},          {"enum", "x"},      {"transform", 5},           {"include", 5},
      {"quietWhenSkipped", 1}, {"scope", 1},     {"scope", "global"}, {"as", "x"},             {"none", 1}};
  const std::string base = read_file(dir_ / "vpnProxyServer.json");
  for (const auto& [field, value] : fields) {
    json table = json::parse(base);
    table["rows"][0][field] = value;
    write_file(dir_ / "vpnProxyServer.json", table.dump());
    Diagnostics d;
    EXPECT_FALSE(load(d)) << field << " " << value.dump();
    EXPECT_TRUE(d.has_errors()) << field;
    for (const auto& x : d.items()) EXPECT_EQ(x.code, "MCC-T001") << format_diagnostic(x);
  }
  write_file(dir_ / "vpnProxyServer.json", base);
}

// A profile-scope row writes one top-level key: a path there once made the schema check
// index a payload that does not exist (std::out_of_range, exit 134).
TEST_F(TableDir, ProfileScopeRowsWriteOneKey) {
  for (const std::string to : {"PayloadContent[9].x", "PayloadContent[x", "A.B"}) {
    edit("iosikEv2VpnConfiguration", [&](json& j) { j["rows"].push_back({{"value", 1}, {"to", to}, {"scope", "profile"}}); });
    const std::string sample = (source_dir() / "samples" / "ios-ikev2-alwayson.json").string();
    auto r = run_binary("compile " + sample + " -o " + (dir_ / "out.mobileconfig").string() + " --mappings " + dir_.string(), dir_);
    EXPECT_EQ(r.code, 1) << to << "\n" << r.err;
    EXPECT_NE(r.err.find("error MCC-T001: invalid mapping table: a 'scope: profile' row writes one top-level key"),
              std::string::npos)
        << r.err;
    edit("iosikEv2VpnConfiguration", [](json& j) { j["rows"].erase(j["rows"].size() - 1); });
  }
}

// decompile inverts every transform row or reports why it cannot: a transform added to the
// registry without either would leave its keys with "no inverse for transform".
TEST(Tables, EveryTransformDeclaresAnInverseOrWhyItIsLossy) {
  const auto& inverses = map::transforms::inverse_registry();
  for (const auto& [name, transform] : map::transforms::registry()) {
    auto it = inverses.find(name);
    ASSERT_NE(it, inverses.end()) << name << " has neither an inverse nor a reason";
    EXPECT_TRUE(it->second.inverse != nullptr || !it->second.lossy.empty()) << name;
  }
  for (const auto& [name, spec] : inverses) EXPECT_EQ(map::transforms::registry().count(name), 1u) << name << " is not a transform";
}

TEST(Tables, MissingDirectoryIsAnError) {
  Diagnostics d;
  EXPECT_FALSE(Compiler::create("/nonexistent/mappings", d));
  EXPECT_DIAG(d, "MCC-T002", "");
}

}  // namespace
}  // namespace mcc::test
