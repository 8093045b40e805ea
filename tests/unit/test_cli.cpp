// SPDX-License-Identifier: Apache-2.0
// The command line as a user drives it: exit codes, files, standard streams.

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("cli"); }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult run(const std::string& args, const std::string& stdin_text = "") { return run_binary(args, dir_, stdin_text); }

  std::string sample() const { return (source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json").string(); }
  fs::path dir_;
};

TEST_F(Cli, VersionAndHelp) {
  auto v = run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find(std::string("mobileconfigc ") + version()), std::string::npos) << v.out;
  auto h = run("--help");
  EXPECT_EQ(h.code, 0);
  for (const char* cmd : {"compile", "sign", "verify", "inspect", "explain", "validate"}) EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
  EXPECT_EQ(run("compile --help").code, 0);
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("").code, 2);
  EXPECT_EQ(run("frobnicate").code, 2);
  EXPECT_EQ(run("compile " + sample()).code, 2) << "no -o";
  EXPECT_EQ(run("compile " + sample() + " -o x --format yaml").code, 2);
}

TEST_F(Cli, CompilesToAFile) {
  fs::path out = dir_ / "vpn.mobileconfig";
  auto r = run("compile " + sample() + " -o " + out.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("wrote " + out.string()), std::string::npos) << r.err;
  std::string xml = read_file(out);
  EXPECT_EQ(xml.rfind("<?xml", 0), 0u);
  EXPECT_EQ(run("validate " + out.string()).code, 0);
}

TEST_F(Cli, BinaryFormat) {
  fs::path out = dir_ / "vpn.mobileconfig";
  ASSERT_EQ(run("compile " + sample() + " --format binary -o " + out.string()).code, 0);
  EXPECT_EQ(read_file(out).rfind("bplist00", 0), 0u);
  EXPECT_EQ(run("validate " + out.string()).code, 0);
}

TEST_F(Cli, StdinToStdout) {
  auto r = run("compile - -o -", read_file(sample()));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("<string>IKEv2</string>"), std::string::npos);
}

TEST_F(Cli, BadInputExitsOneAndWritesNothing) {
  fs::path bad = dir_ / "bad.json", out = dir_ / "out.mobileconfig";
  write_file(bad, "{\"@odata.type\": \"#microsoft.graph.iosikEv2VpnConfiguration\", ");
  auto r = run("compile " + bad.string() + " -o " + out.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(bad.string() + ": error MCC-R003"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // An existing output is left exactly as it was.
  write_file(out, "previous");
  EXPECT_EQ(run("compile " + bad.string() + " -o " + out.string()).code, 1);
  EXPECT_EQ(read_file(out), "previous");
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << "left a temporary file";
}

TEST_F(Cli, MissingInputAndOutputDirectory) {
  EXPECT_EQ(run("compile " + (dir_ / "nope.json").string() + " -o " + (dir_ / "o").string()).code, 1);
  auto r = run("compile " + sample() + " -o " + (dir_ / "no" / "such" / "dir.mobileconfig").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("MCC-O001"), std::string::npos) << r.err;
}

TEST_F(Cli, RefusesToOverwriteAnInput) {
  fs::path copy = dir_ / "in.json";
  write_file(copy, read_file(sample()));
  auto r = run("compile " + copy.string() + " -o " + copy.string());
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(read_file(copy), read_file(sample()));
}

TEST_F(Cli, Explain) {
  auto r = run("explain iosikEv2VpnConfiguration");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("/mtuSizeInBytes → IKEv2.MTU"), std::string::npos);
  EXPECT_EQ(run("explain noSuchType").code, 1);
  EXPECT_EQ(run("explain --all --markdown").code, 0);
}

TEST_F(Cli, ValidateReportsProblems) {
  fs::path p = dir_ / "p.mobileconfig";
  write_file(p, R"(<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>PayloadType</key><string>Configuration</string></dict></plist>)");
  auto r = run("validate " + p.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(p.string() + ": /PayloadIdentifier: error MCC-V001: PayloadIdentifier is required\n"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("satisfies"), std::string::npos) << r.out;
}

// The SCEP challenge is a secret: it can come from a file (not visible in the process
// list), lands in the payload, and is never printed.
TEST_F(Cli, ScepChallengeFromAFile) {
  const fs::path scep = source_dir() / "samples" / "contoso-vpn-scep-root.json";
  write_file(dir_ / "challenge.txt", "Ch4llenge-From-File\n");
  fs::path out = dir_ / "s.mobileconfig";
  auto r = run("compile " + scep.string() + " --scep-challenge-file " + (dir_ / "challenge.txt").string() + " -o " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_file(out).find("<string>Ch4llenge-From-File</string>"), std::string::npos);
  EXPECT_EQ(r.err.find("Ch4llenge"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("MCC-M013"), std::string::npos) << "a challenge was given: " << r.err;
  EXPECT_EQ(run("compile " + scep.string() + " --scep-challenge-file " + (dir_ / "none.txt").string() + " -o " + out.string()).code, 1);
  EXPECT_EQ(run("compile " + scep.string() + " --scep-challenge x --scep-challenge-file " + (dir_ / "challenge.txt").string() +
                " -o " + out.string()).code, 2);
}

// --vpn-subtype supplies the VPN app's bundle identifier where no known one exists, and
// says so when it replaces the object's own identifier.
TEST_F(Cli, VpnSubtypeOption) {
  const fs::path golden = source_dir() / "tests" / "golden";
  const std::string netmotion = (golden / "fail" / "ios-vpn-netmotion-without-identifier" / "input.json").string();
  fs::path out = dir_ / "v.mobileconfig";
  EXPECT_EQ(run("compile " + netmotion + " -o " + out.string()).code, 1);
  auto r = run("compile " + netmotion + " --vpn-subtype com.example.mobility -o " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(read_file(out).find("<string>com.example.mobility</string>"), std::string::npos);
  const std::string custom = (golden / "pass" / "ios-vpn-customVpn" / "input.json").string();
  auto c = run("compile " + custom + " --vpn-subtype com.example.other -o " + out.string());
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.err.find("warning MCC-M029: the chosen VPN subtype com.example.other replaces"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find(" (chosen with --vpn-subtype)\n"), std::string::npos) << c.err;
  EXPECT_NE(read_file(out).find("<string>com.example.other</string>"), std::string::npos);
}

TEST_F(Cli, LinkOption) {
  const fs::path g = source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile";
  const std::string inputs = (g / "input1-vpn.json").string() + " " + (g / "input2-scep.json").string();
  fs::path out = dir_ / "l.mobileconfig";
  auto ok = run("compile " + inputs + " --link 'Contoso IKEv2 VPN (iOS)=Contoso VPN identity (SCEP)' -o " + out.string());
  EXPECT_EQ(ok.code, 0) << ok.err;
  auto unknown = run("compile " + inputs + " --link 'Contoso IKEv2 VPN (iOS)=Nobody' -o " + out.string());
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("error MCC-M019"), std::string::npos) << unknown.err;
  EXPECT_EQ(run("compile " + inputs + " --link novalue -o " + out.string()).code, 2);
  EXPECT_EQ(run("compile " + inputs + " --link a=b --out-dir " + dir_.string()).code, 2);
}

// A one-shot command's C++ allocations come from a 4 MiB region until it is full, then from
// mimalloc (src/cli/startup_arena.cpp). Sixty VPNs in one profile allocate some 7 MB there
// (~105 KB each beyond the first's 1.2 MB, measured), so this compile runs on past the region
// and frees blocks from both. The profile is the one the library makes in this process.
TEST_F(Cli, ACompileThatOutgrowsTheStartUpArenaMakesTheLibrarysProfile) {
  const auto sample_json = nlohmann::json::parse(read_file(sample()));
  std::vector<InputFile> inputs;
  std::string args;
  for (int i = 0; i < 60; ++i) {
    auto object = sample_json;
    object["id"] = "5f2c8a10-0000-4000-8000-" + std::string(10, '0') + std::to_string(10 + i);
    object["displayName"] = "VPN " + std::to_string(i);
    const fs::path file = dir_ / ("vpn" + std::to_string(i) + ".json");
    const std::string text = object.dump(1);
    write_file(file, text);
    inputs.push_back({file.string(), text});
    args += " " + file.string();
  }
  const fs::path out = dir_ / "many.mobileconfig";
  auto r = run("compile" + args + " -o " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("(60 payloads, ios)"), std::string::npos) << r.err;

  Diagnostics d;
  auto profile = compile_inputs(inputs, {}, d);
  ASSERT_TRUE(profile) << all_lines(d);
  EXPECT_EQ(read_file(out), serialize_plist(profile->root, PlistFormat::xml));
}

}  // namespace
}  // namespace mcc::test
