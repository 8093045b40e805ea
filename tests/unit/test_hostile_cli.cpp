// SPDX-License-Identifier: Apache-2.0
// Hostile input and hostile file-system situations through the real binary: exit 1 with a
// diagnostic naming the file, no output file, an existing output untouched, inputs never
// modified, and no temporary file left behind, even when the process is interrupted.

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "cli/io.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

class HostileCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_scratch_dir("hostile"); }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult run(const std::string& args) { return run_binary(args, dir_); }

  // No temporary output files anywhere in the test directory.
  void expect_no_temporaries() {
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << "left " << e.path();
  }

  std::string sample() const { return read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"); }
  fs::path dir_;
};

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  if (pos == std::string::npos) ADD_FAILURE() << "sample lacks " << from;
  else text.replace(pos, from.size(), to);
  return text;
}

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_F(HostileCli, EveryHostileInputIsRefusedWithoutTouchingTheOutput) {
  struct Case {
    const char* name;
    std::string bytes;
    const char* code;
  };
  std::string garbage;
  for (int i = 0; i < 65536; ++i) garbage += static_cast<char>((i * 2654435761u) >> 24);
  std::string text = sample();
  std::vector<Case> cases = {
      {"empty.json", "", "MCC-R003"},
      {"garbage.bin", garbage, "MCC-R"},
      {"truncated.json", text.substr(0, text.size() / 3), "MCC-R003"},
      {"array.json", "[1,2,3]", "MCC-R004"},
      {"scalar.json", "\"just a string\"", "MCC-R004"},
      {"deep.json", nested(100000), "MCC-R007"},
      {"huge.json", std::string((64u << 20) + 1, ' '), "MCC-R007"},
      {"bad-utf8.json", "{\"displayName\":\"\xFF\xFE\xFD\"}", "MCC-R003"},
      {"nul.json", std::string("{\"displayName\":\"a\0b\"}", 22), "MCC-R003"},
      {"duplicate.json", "{\"a\":1,\"a\":1}", "MCC-R008"},
      {"unsupported.json", "{\"@odata.type\":\"#microsoft.graph.windows10VpnConfiguration\"}", "MCC-R006"},
      {"untyped.json", "{\"id\":\"x\"}", "MCC-R005"},
      {"placeholder.json", replaced(text, "\"mtuSizeInBytes\": 1360", "\"mtuSizeInBytes\": \"Integer\""), "MCC-C002"},
      {"duplicate-after-edit.json", text.substr(0, text.rfind('}')) + ",\"mtuSizeInBytes\":1300}", "MCC-R008"},
  };
  fs::path out = dir_ / "out.mobileconfig";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fs::path in = dir_ / c.name;
    write_file(in, c.bytes);
    fs::remove(out);
    auto start = std::chrono::steady_clock::now();
    auto r = run("compile " + in.string() + " -o " + out.string());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find(in.string() + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.code), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    write_file(out, "previous");
    EXPECT_EQ(run("compile " + in.string() + " -o " + out.string()).code, 1);
    EXPECT_EQ(read_file(out), "previous");
    EXPECT_EQ(read_file(in), c.bytes) << "the input changed";
  }
  expect_no_temporaries();
}

// Twenty thousand numbers in a list, written to a file and piped in, to one profile and to a
// folder: a hundred findings and one that counts the rest, not a line each. (Small enough for
// the sanitizer build; a million took 684 MB and 5.8 s before the limit, bench/RESULTS.md.)
TEST_F(HostileCli, AListOfTwentyThousandNumbersReportsAHundredAndACount) {
  std::string text = "[";
  for (int i = 0; i < 20000; ++i) text += i == 0 ? "1" : ",1";
  text += "]";
  fs::path in = dir_ / "ones.json";
  write_file(in, text);
  auto lines_of = [](const std::string& err) { return std::count(err.begin(), err.end(), '\n'); };
  for (const std::string& to : {std::string("-o ") + (dir_ / "out.mobileconfig").string(), "--out-dir " + (dir_ / "out").string()}) {
    for (bool piped : {false, true}) {
      SCOPED_TRACE(to + (piped ? ", piped" : ""));
      auto r = piped ? run_binary("compile - " + to, dir_, text) : run("compile " + in.string() + " " + to);
      EXPECT_EQ(r.code, 1) << r.err.substr(0, 2000);
      EXPECT_LE(lines_of(r.err), 103) << r.err.substr(0, 2000);
      EXPECT_NE(r.err.find(": error MCC-R011: 19900 more findings about the values of this input are not shown, only "
                           "the first 100 (MCC-R004: 19900)"),
                std::string::npos)
          << r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0);
      EXPECT_FALSE(fs::exists(dir_ / "out.mobileconfig"));
      if (fs::exists(dir_ / "out")) EXPECT_TRUE(fs::is_empty(dir_ / "out"));
    }
  }
  expect_no_temporaries();
}

TEST_F(HostileCli, CheckAndMapErrorsLeaveTheOutputAlone) {
  std::string text = sample();
  fs::path in = dir_ / "in.json", out = dir_ / "out.mobileconfig";
  for (const char* bad : {"\"connectionName\": null", "\"mtuSizeInBytes\": 9000", "\"connectionType\": \"ciscoAnyConnect\""}) {
    SCOPED_TRACE(bad);
    write_file(in, text.substr(0, text.rfind('}')) + "," + bad + "}");
    write_file(out, "previous");
    auto r = run("compile " + in.string() + " -o " + out.string());
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(read_file(out), "previous");
  }
  expect_no_temporaries();
}

TEST_F(HostileCli, OutputsThatCannotBeWritten) {
  fs::path in = dir_ / "in.json";
  write_file(in, sample());
  fs::path file = dir_ / "a-file";
  write_file(file, "x");
  fs::create_directories(dir_ / "a-directory");
  for (const fs::path& out : {dir_ / "missing" / "p.mobileconfig", file / "p.mobileconfig", dir_ / "a-directory",
                              fs::path("/proc/self/p.mobileconfig")}) {
    SCOPED_TRACE(out.string());
    auto r = run("compile " + in.string() + " -o " + out.string());
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("MCC-O001"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(fs::is_directory(dir_ / "a-directory"));
  EXPECT_EQ(read_file(file), "x");
  if (::geteuid() != 0) {  // root writes anywhere; the permission check only means something for users
    fs::create_directories(dir_ / "read-only");
    fs::permissions(dir_ / "read-only", fs::perms::owner_read | fs::perms::owner_exec);
    auto r = run("compile " + in.string() + " -o " + (dir_ / "read-only" / "p.mobileconfig").string());
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("MCC-O001"), std::string::npos) << r.err;
    fs::permissions(dir_ / "read-only", fs::perms::owner_all);
  }
  expect_no_temporaries();
}

TEST_F(HostileCli, InputsAreNeverModified) {
  fs::path in = dir_ / "in.json", out = dir_ / "out.mobileconfig";
  write_file(in, sample());
  fs::permissions(in, fs::perms::owner_read | fs::perms::group_read);
  struct stat before {};
  ASSERT_EQ(::stat(in.c_str(), &before), 0);
  ASSERT_EQ(run("compile " + in.string() + " -o " + out.string()).code, 0);
  ASSERT_EQ(run("compile " + in.string() + " --format binary -o " + out.string()).code, 0);
  struct stat after {};
  ASSERT_EQ(::stat(in.c_str(), &after), 0);
  EXPECT_EQ(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  EXPECT_EQ(before.st_mode, after.st_mode);
  EXPECT_EQ(read_file(in), sample());
}

TEST_F(HostileCli, OutputNamingAnInputIsRefused) {
  fs::path in = dir_ / "in.json", other = dir_ / "other.json";
  write_file(in, sample());
  write_file(other, sample());
  fs::create_symlink(in, dir_ / "link.json");
  fs::create_hard_link(in, dir_ / "hard.json");
  fs::create_directories(dir_ / "sub");
  for (const std::string& out : {(dir_ / "link.json").string(), (dir_ / "hard.json").string(),
                                 (dir_ / "sub" / ".." / "in.json").string(), (dir_ / "." / "in.json").string()}) {
    SCOPED_TRACE(out);
    auto r = run("compile " + other.string() + " " + in.string() + " -o " + out);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("MCC-O002"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(in), sample());
  }
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.json"));
}

TEST_F(HostileCli, InterruptRemovesTheTemporaryFile) {
  // What write_atomic does between mkstemp and rename, interrupted by each signal in turn.
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    SCOPED_TRACE(sig);
    fs::path tmp = dir_ / (".out.mobileconfig.tmp." + std::to_string(sig));
    write_file(tmp, "partial");
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      cli::TempFileGuard guard(tmp.string());
      ::raise(sig);
      ::_exit(0);  // not reached: the signal terminates the process
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status));
    if (WIFSIGNALED(status)) EXPECT_EQ(WTERMSIG(status), sig) << "the signal must still end the process";
    EXPECT_FALSE(fs::exists(tmp));
  }
  // A released guard leaves the (renamed-away) name alone.
  fs::path kept = dir_ / "kept";
  write_file(kept, "x");
  { cli::TempFileGuard guard(kept.string()); }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::raise(SIGTERM);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(fs::exists(kept));
}

TEST_F(HostileCli, SecretsStayOutOfStderr) {
  std::string text = sample();
  std::string secret = "Qm4SECRETzz8";
  fs::path in = dir_ / "in.json", out = dir_ / "out.mobileconfig";
  std::string with_secret = text.substr(0, text.rfind('}')) + ",\"sharedSecret\":\"" + secret + "\"}";
  with_secret.replace(with_secret.find("\"sharedSecret\": null,"), 21, "");
  for (const std::string& bytes : {with_secret.substr(0, with_secret.find(secret) + 8),
                                   with_secret.substr(0, with_secret.rfind('}')) + ",\"mtuSizeInBytes\":1}",
                                   with_secret + "x"}) {
    write_file(in, bytes);
    auto r = run("compile " + in.string() + " -o " + out.string());
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(r.err.find(secret.substr(0, 8)), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace mcc::test
