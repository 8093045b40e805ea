// SPDX-License-Identifier: Apache-2.0
// Issue 16 items 8-10, through the binary: --out-dir makes its directory, --quiet,
// --warnings-as-errors, --identifier-prefix checked, no binary output on a terminal unless
// `-o -`, colour only on a terminal and never with NO_COLOR, reproducible signatures
// (SOURCE_DATE_EPOCH, --signing-time) and `verify` against the system trust store.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "support/test_support.hpp"
#include "test_cms_pki.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

// Sets an environment variable for one test, and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class Conventions : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_scratch_dir("conventions");
    ::unsetenv("SOURCE_DATE_EPOCH");
    ::unsetenv("NO_COLOR");
  }
  void TearDown() override { fs::remove_all(dir_); }
  RunResult run(const std::string& args) { return run_binary(args, dir_); }
  std::string p(const std::string& name) const { return (dir_ / name).string(); }
  static std::string sample() { return (source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json").string(); }
  // The sample compiles with warnings (MCC-M008, MCC-M010); this object compiles without any.
  std::string clean_input() {
    write_file(dir_ / "clean.json", R"({"@odata.type": "#microsoft.graph.iosikEv2VpnConfiguration", "id": "c1",
      "displayName": "Clean", "connectionName": "Clean", "connectionType": "ikEv2", "server": {"address": "vpn.example.org"},
      "authenticationMethod": "sharedSecret", "sharedSecret": "s3cret-shared", "remoteIdentifier": "vpn.example.org",
      "localIdentifier": "empty"})");
    return p("clean.json");
  }
  void write_pki() { pki::write_files(dir_); }

  // Runs `command` (a shell command line) on a pseudo-terminal, as a user at a terminal
  // would; returns what the terminal showed and the exit status. `script` keeps its
  // typescript in the scratch directory.
  RunResult on_terminal(const std::string& command) {
    write_file(dir_ / "cmd.sh", command + "\n");
    const std::string cmd = "cd " + dir_.string() + " && script -qefc 'sh " + p("cmd.sh") + "' " + p(".typescript") +
                            " </dev/null >" + p(".tty") + " 2>&1";
    const int status = std::system(cmd.c_str());
    RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir_ / ".tty"), ""};
    for (const char* f : {".tty", ".typescript", "cmd.sh"}) fs::remove(dir_ / f);
    return r;
  }
  fs::path dir_;
};

// ---- item 8 ----------------------------------------------------------------------------

TEST_F(Conventions, OutDirIsCreatedWithItsParents) {
  auto r = run("compile " + sample() + " --out-dir " + p("a/b/c"));
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(fs::is_directory(dir_ / "a" / "b" / "c"));
  EXPECT_FALSE(fs::is_empty(dir_ / "a" / "b" / "c"));
  // A file in the way is still an error, not replaced.
  write_file(dir_ / "file", "x");
  auto blocked = run("compile " + sample() + " --out-dir " + p("file/sub"));
  EXPECT_EQ(blocked.code, 1);
  EXPECT_NE(blocked.err.find("error MCC-O001"), std::string::npos) << blocked.err;
  EXPECT_EQ(read_file(dir_ / "file"), "x");
  // decompile --out-dir too.
  ASSERT_EQ(run("compile " + sample() + " -o " + p("one.mobileconfig")).code, 0);
  auto back = run("decompile " + p("one.mobileconfig") + " --out-dir " + p("x/y"));
  EXPECT_EQ(back.code, 0) << back.err;
  EXPECT_TRUE(fs::is_directory(dir_ / "x" / "y"));
}

TEST_F(Conventions, QuietSilencesWarningsAndWroteLinesButNotErrors) {
  const std::string in = sample();
  auto loud = run("compile " + in + " -o " + p("loud.mobileconfig"));
  ASSERT_EQ(loud.code, 0) << loud.err;
  ASSERT_NE(loud.err.find("warning MCC-"), std::string::npos) << loud.err;
  ASSERT_NE(loud.err.find("wrote "), std::string::npos) << loud.err;

  auto quiet = run("compile --quiet " + in + " -o " + p("quiet.mobileconfig"));
  EXPECT_EQ(quiet.code, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_TRUE(fs::exists(dir_ / "quiet.mobileconfig"));
  auto batch = run("compile -q " + in + " --out-dir " + p("out"));
  EXPECT_EQ(batch.code, 0) << batch.err;
  EXPECT_EQ(batch.err, "");

  auto error = run("compile -q " + p("missing.json") + " -o " + p("x.mobileconfig"));
  EXPECT_EQ(error.code, 1);
  EXPECT_NE(error.err.find("error MCC-R001"), std::string::npos) << error.err;
}

TEST_F(Conventions, WarningsAsErrorsExitsOneWhenAWarningWasGiven) {
  const std::string in = sample();
  auto r = run("compile --warnings-as-errors " + in + " -o " + p("w.mobileconfig"));
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("error MCC-U003: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("warnings-as-errors"), std::string::npos) << r.err;
  // Also when --quiet hides the warnings; also in a batch.
  EXPECT_EQ(run("compile -q --warnings-as-errors " + in + " -o " + p("w.mobileconfig")).code, 1);
  EXPECT_EQ(run("compile --warnings-as-errors " + in + " --out-dir " + p("out")).code, 1);
  // No warning: exit 0.
  auto clean = run("compile --warnings-as-errors " + clean_input() + " -o " + p("c.mobileconfig"));
  EXPECT_EQ(clean.code, 0) << clean.err;
  EXPECT_EQ(clean.err.find("MCC-U003"), std::string::npos) << clean.err;
  // verify of an unsigned profile warns (MCC-S013).
  EXPECT_EQ(run("verify --warnings-as-errors " + p("c.mobileconfig")).code, 1);
}

TEST_F(Conventions, IdentifierPrefixMustBeReverseDns) {
  for (const std::string good : {"org.example", "com.contoso.lab-1", "A.b2"}) {
    auto r = run("compile " + sample() + " --identifier-prefix " + good + " -o " + p("ok.mobileconfig"));
    EXPECT_EQ(r.code, 0) << good << ": " << r.err;
  }
  for (const std::string bad : {"example", "org..example", ".org.example", "org.example.", "org example", "org/example",
                                "'org.ex\xC3\xA4mple'", "''"}) {
    auto r = run("compile " + sample() + " --identifier-prefix " + (bad.empty() ? "''" : "\"" + bad + "\"") + " -o " +
                 p("bad.mobileconfig"));
    EXPECT_EQ(r.code, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--identifier-prefix"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("expected a reverse-DNS identifier such as org.example"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "bad.mobileconfig"));
  }
}

// Inside on_terminal: makes `term` in the scratch directory, a node of the controlling
// terminal (5, 0: what /dev/tty is), which there is the pseudo-terminal `script` opened. No
// test names a device node of the machine: the tool, run as root, must never be pointed at
// those. (A copy of the pseudo-terminal's own node would not do: Linux opens a pts device
// only through its devpts file system.)
const std::string kMakeTerminalNode = "mknod term c 5 0 && ";

TEST_F(Conventions, BinaryOutputReachesATerminalOnlyThroughDashO) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not installed";
  if (::geteuid() != 0) GTEST_SKIP() << "making a terminal node (mknod) needs root";
  write_pki();
  const std::string bin = MCC_BINARY;
  auto to_terminal_node = [&](const std::string& args) {
    fs::remove(dir_ / "term");
    auto r = on_terminal(kMakeTerminalNode + bin + " " + args + " -o term");
    EXPECT_TRUE(fs::is_character_file(dir_ / "term")) << "the terminal node was not made: " << r.out;
    return r;
  };
  // A signed profile named to the terminal by a path: refused, nothing written.
  auto refused = to_terminal_node("compile " + sample() + " --sign-p12 signer-nopass.p12");
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("MCC-U001: refusing to write binary output to a terminal"), std::string::npos)
      << refused.out;
  auto binary = to_terminal_node("compile " + sample() + " --format binary");
  EXPECT_EQ(binary.code, 2) << binary.out;
  EXPECT_EQ(binary.out.find("bplist"), std::string::npos);
  // `-o -` asks for it: written.
  auto asked = on_terminal(bin + " compile " + sample() + " --format binary -o -");
  EXPECT_EQ(asked.code, 0) << asked.out;
  EXPECT_NE(asked.out.find("bplist00"), std::string::npos);
  // XML is text: written to the terminal by any name.
  auto xml = to_terminal_node("compile " + sample());
  EXPECT_EQ(xml.code, 0) << xml.out;
  EXPECT_NE(xml.out.find("<plist"), std::string::npos);
  // Not a terminal: a FIFO named by a path is written as before.
  ASSERT_EQ(::mkfifo(p("fifo").c_str(), 0600), 0);
  const std::string piped = "cd " + dir_.string() + " && { cat fifo > got & " + bin + " compile " + sample() +
                            " --format binary -o fifo; status=$?; wait; exit $status; }";
  const int status = std::system(piped.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(read_file(dir_ / "got").rfind("bplist00", 0), 0u);
  // sign and encrypt alike.
  ASSERT_EQ(run("compile " + sample() + " -o " + p("u.mobileconfig")).code, 0);
  auto sign = to_terminal_node("sign u.mobileconfig --sign-p12 signer-nopass.p12");
  EXPECT_EQ(sign.code, 2) << sign.out;
  EXPECT_NE(sign.out.find("MCC-U001"), std::string::npos) << sign.out;
}

TEST_F(Conventions, ColourOnlyOnATerminalAndNeverWithNoColor) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) is not installed";
  ASSERT_EQ(run("compile " + sample() + " -o " + p("u.mobileconfig")).code, 0);
  const std::string bin = MCC_BINARY;
  // verify of an unsigned profile: a warning (MCC-S013); a missing file: an error.
  auto tty = on_terminal(bin + " verify u.mobileconfig; " + bin + " verify missing.mobileconfig");
  EXPECT_NE(tty.out.find("\033[1;35mwarning\033[0m MCC-S013"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("\033[1;31merror\033[0m MCC-"), std::string::npos) << tty.out;
  auto plain = on_terminal("NO_COLOR=1 " + bin + " verify u.mobileconfig");
  EXPECT_EQ(plain.out.find('\033'), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("warning MCC-S013"), std::string::npos) << plain.out;
  // An empty NO_COLOR does not count (no-color.org).
  auto empty = on_terminal("NO_COLOR= " + bin + " verify u.mobileconfig");
  EXPECT_NE(empty.out.find("\033[1;35mwarning"), std::string::npos) << empty.out;
  // Not a terminal: plain.
  auto piped = run("verify " + p("u.mobileconfig"));
  EXPECT_EQ(piped.err.find('\033'), std::string::npos) << piped.err;
  EXPECT_NE(piped.err.find("warning MCC-S013"), std::string::npos) << piped.err;
}

// ---- item 9 ----------------------------------------------------------------------------

TEST_F(Conventions, RsaSignaturesAreByteIdenticalUnderSourceDateEpoch) {
  write_pki();
  ASSERT_EQ(run("compile " + sample() + " -o " + p("u.mobileconfig")).code, 0);
  {
    ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
    for (const char* out : {"a.mobileconfig", "b.mobileconfig"}) {
      auto r = run("sign " + p("u.mobileconfig") + " --sign-p12 " + p("signer-nopass.p12") + " -o " + p(out));
      ASSERT_EQ(r.code, 0) << r.err;
      EXPECT_EQ(r.err.find("MCC-U002"), std::string::npos) << r.err;
    }
    EXPECT_EQ(std::system(("cmp -s " + p("a.mobileconfig") + " " + p("b.mobileconfig")).c_str()), 0);
    auto v = run("verify --no-system-ca " + p("a.mobileconfig"));
    EXPECT_NE(v.out.find("signed at:  2023-11-14T22:13:20Z"), std::string::npos) << v.out;
    // compile --sign-p12 signs the same way.
    for (const char* out : {"c1.mobileconfig", "c2.mobileconfig"})
      ASSERT_EQ(run("compile " + sample() + " --sign-p12 " + p("signer-nopass.p12") + " -o " + p(out)).code, 0);
    EXPECT_EQ(read_file(dir_ / "c1.mobileconfig"), read_file(dir_ / "c2.mobileconfig"));
  }
  // --signing-time wins over SOURCE_DATE_EPOCH; RFC 3339 and seconds name the same time.
  ScopedEnv epoch("SOURCE_DATE_EPOCH", "1");
  ASSERT_EQ(run("sign " + p("u.mobileconfig") + " --sign-p12 " + p("signer-nopass.p12") +
                " --signing-time 2023-11-14T23:13:20+01:00 -o " + p("t1.mobileconfig"))
                .code,
            0);
  ASSERT_EQ(run("sign " + p("u.mobileconfig") + " --sign-p12 " + p("signer-nopass.p12") +
                " --signing-time 1700000000 -o " + p("t2.mobileconfig"))
                .code,
            0);
  EXPECT_EQ(read_file(dir_ / "t1.mobileconfig"), read_file(dir_ / "a.mobileconfig"));
  EXPECT_EQ(read_file(dir_ / "t2.mobileconfig"), read_file(dir_ / "a.mobileconfig"));
  // A time that is neither: a usage error.
  for (const std::string bad :
       {"yesterday", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-11-14T22:13:20", "-5", "99999999999999"}) {
    auto r = run("sign " + p("u.mobileconfig") + " --sign-p12 " + p("signer-nopass.p12") + " --signing-time " + bad +
                 " -o " + p("bad.mobileconfig"));
    EXPECT_EQ(r.code, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("expected an RFC 3339 time"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "bad.mobileconfig"));
}

TEST_F(Conventions, AnEcSignatureUnderAFixedTimeSaysItIsNotReproducible) {
  write_pki();
  ASSERT_EQ(run("compile " + sample() + " -o " + p("u.mobileconfig")).code, 0);
  ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
  auto r = run("sign " + p("u.mobileconfig") + " --sign-cert " + p("ec.pem") + " --sign-key " + p("ec.key") + " -o " +
               p("ec.mobileconfig"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("note MCC-U002: the signing time is fixed, but an EC"), std::string::npos) << r.err;
  auto v = run("verify --no-system-ca " + p("ec.mobileconfig"));
  EXPECT_NE(v.out.find("signed at:  2023-11-14T22:13:20Z"), std::string::npos) << v.out;
}

// ---- item 10 ---------------------------------------------------------------------------

TEST_F(Conventions, VerifyUsesTheSystemTrustStoreUnlessCaOrNoSystemCa) {
  write_pki();
  ASSERT_EQ(run("compile " + sample() + " --sign-p12 " + p("signer-nopass.p12") + " -o " + p("s.mobileconfig")).code,
            0);
  fs::create_directories(dir_ / "empty-dir");
  ScopedEnv cert_dir("SSL_CERT_DIR", p("empty-dir"));
  {
    // The store holds the test root: trusted, and the report names the anchor and the store.
    ScopedEnv cert_file("SSL_CERT_FILE", p("root.pem"));
    auto v = run("verify " + p("s.mobileconfig"));
    EXPECT_EQ(v.code, 0) << v.out << v.err;
    EXPECT_NE(v.out.find("trust:      chains to a trust anchor from the system trust store (" + p("root.pem") + ", " +
                         p("empty-dir") + ")"),
              std::string::npos)
        << v.out;
    EXPECT_NE(v.out.find("anchor:     CN=Test Root CA"), std::string::npos) << v.out;
    // --no-system-ca: integrity only.
    auto off = run("verify --no-system-ca " + p("s.mobileconfig"));
    EXPECT_EQ(off.code, 0) << off.err;
    EXPECT_NE(off.out.find("trust:      not checked"), std::string::npos) << off.out;
    // --ca replaces the store: another root does not trust the signer, though the store would.
    auto other = run("verify --ca " + p("other-root.pem") + " " + p("s.mobileconfig"));
    EXPECT_EQ(other.code, 1) << other.out;
    EXPECT_NE(other.err.find("error MCC-S012"), std::string::npos) << other.err;
  }
  // A store without the root: not trusted, exit 1.
  ScopedEnv cert_file("SSL_CERT_FILE", p("other-root.pem"));
  auto v = run("verify " + p("s.mobileconfig"));
  EXPECT_EQ(v.code, 1) << v.out;
  EXPECT_NE(v.out.find("does not chain to a trust anchor from the system trust store"), std::string::npos) << v.out;
  EXPECT_NE(v.err.find("error MCC-S012"), std::string::npos) << v.err;
  // --ca with the right root still works.
  auto ca = run("verify --ca " + p("root.pem") + " " + p("s.mobileconfig"));
  EXPECT_EQ(ca.code, 0) << ca.err;
  EXPECT_NE(ca.out.find("anchor:     CN=Test Root CA"), std::string::npos) << ca.out;
}

}  // namespace
}  // namespace mcc::test
