// Loading mapping tables from a directory (--mappings): bad tables are refused with
// MCC-T001, and the coverage check notices a property that lost its row.

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

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

TEST(Tables, MissingDirectoryIsAnError) {
  Diagnostics d;
  EXPECT_FALSE(Compiler::create("/nonexistent/mappings", d));
  EXPECT_DIAG(d, "MCC-T002", "");
}

}  // namespace
}  // namespace mcc::test
