// compile --out-dir: one profile per supported object, stable names, skips, --force, --jobs.

#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "cli/batch.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

TEST(OutputStem, SafeStableAndReadable) {
  EXPECT_EQ(cli::output_stem("Contoso VPN (iOS)", "t", "2f6c1d9a-4b7e-4c3a"), "Contoso-VPN-iOS-2f6c1d9a");
  EXPECT_EQ(cli::output_stem("../../etc/passwd", "t", "abc"), "etc-passwd-abc");
  EXPECT_EQ(cli::output_stem("", "iosikEv2VpnConfiguration", "1234567890"), "iosikEv2VpnConfiguration-12345678");
  EXPECT_EQ(cli::output_stem("日本語", "t", "ab"), "profile-ab");
  EXPECT_LE(cli::output_stem(std::string(500, 'a'), "t", "ab").size(), 70u);
}

class Batch : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mcc-batch-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "in" / "nested");
    fs::create_directories(root_ / "out");
    auto vpn = nlohmann::json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
    auto second = vpn;
    second["id"] = "5a5a5a5a-0000-4000-8000-000000000001";
    second["displayName"] = "Second VPN";
    nlohmann::json list = {{"@odata.context", "x"}, {"value", {vpn, second, {{"@odata.type", "#microsoft.graph.windows10VpnConfiguration"}, {"id", "w"}}}}};
    write_file(root_ / "in" / "list.json", list.dump());
    write_file(root_ / "in" / "nested" / "metadata.json", R"({"exportedBy":"tool"})");
  }
  void TearDown() override { fs::remove_all(root_); }

  int run(const std::string& args) {
    std::string cmd = std::string(MCC_BINARY) + " " + args + " >" + (root_ / "stdout").string() + " 2>" + (root_ / "stderr").string();
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string err() { return read_file(root_ / "stderr"); }
  std::vector<std::string> outputs() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root_ / "out")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path root_;
};

TEST_F(Batch, OneProfilePerSupportedObject) {
  ASSERT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "out").string()), 0) << err();
  EXPECT_EQ(outputs(), (std::vector<std::string>{"Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig", "Second-VPN-5a5a5a5a.mobileconfig"}));
  EXPECT_NE(err().find("skipped: windows10VpnConfiguration is not a supported graph type"), std::string::npos) << err();
  EXPECT_NE(err().find("metadata.json: skipped: not a graph object"), std::string::npos) << err();
  EXPECT_NE(err().find("2 written, 2 skipped, 0 failed"), std::string::npos) << err();
  // Diagnostics point into the list file, not into a cut-out copy.
  EXPECT_NE(err().find("list.json: /value/1/identityCertificate"), std::string::npos) << err();
}

TEST_F(Batch, ExistingOutputsNeedForce) {
  ASSERT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "out").string()), 0);
  write_file(root_ / "out" / "Second-VPN-5a5a5a5a.mobileconfig", "keep me");
  EXPECT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "out").string()), 1);
  EXPECT_EQ(read_file(root_ / "out" / "Second-VPN-5a5a5a5a.mobileconfig"), "keep me");
  EXPECT_EQ(run("compile " + (root_ / "in").string() + " --force --out-dir " + (root_ / "out").string()), 0) << err();
  EXPECT_NE(read_file(root_ / "out" / "Second-VPN-5a5a5a5a.mobileconfig"), "keep me");
}

TEST_F(Batch, ParallelOutputEqualsSerialOutput) {
  ASSERT_EQ(run("compile " + (root_ / "in").string() + " --jobs 1 --out-dir " + (root_ / "out").string()), 0);
  std::string serial = read_file(root_ / "out" / "Second-VPN-5a5a5a5a.mobileconfig");
  fs::remove_all(root_ / "out");
  fs::create_directories(root_ / "out");
  ASSERT_EQ(run("compile " + (root_ / "in").string() + " --jobs 2 --out-dir " + (root_ / "out").string()), 0);
  EXPECT_EQ(read_file(root_ / "out" / "Second-VPN-5a5a5a5a.mobileconfig"), serial);
}

TEST_F(Batch, FailuresDoNotStopTheOthers) {
  write_file(root_ / "in" / "broken.json", R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","mtuSizeInBytes":"x"})");
  EXPECT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "out").string()), 1);
  EXPECT_EQ(outputs().size(), 2u);
  EXPECT_NE(err().find("2 written, 2 skipped, 1 failed"), std::string::npos) << err();
}

TEST_F(Batch, OutputDirectoryMustExistAndModesExcludeEachOther) {
  EXPECT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "missing").string()), 1);
  EXPECT_EQ(run("compile " + (root_ / "in" / "list.json").string() + " -o x --out-dir " + (root_ / "out").string()), 2);
}

}  // namespace
}  // namespace mcc::test
