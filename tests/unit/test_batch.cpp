// SPDX-License-Identifier: Apache-2.0
// compile --out-dir: one profile per supported object, stable names, skips, --force, --jobs.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <nlohmann/json.hpp>

#include "cli/batch.hpp"
#include "cli/batch_inputs.hpp"
#include "read/encoding.hpp"
#include "read/reader.hpp"
#include "support/measured_run.hpp"
#include "mobileconfigc/batch.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

namespace fs = std::filesystem;

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

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
    root_ = make_scratch_dir("batch");
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
    last_ = run_binary(args, root_);
    return last_.code;
  }
  const std::string& err() const { return last_.err; }
  std::vector<std::string> outputs() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root_ / "out")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path root_;
  RunResult last_{-1, "", ""};
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
  EXPECT_NE(err().find("Second-VPN-5a5a5a5a.mobileconfig: error MCC-O001: cannot write output: file exists (use --force to overwrite)"),
            std::string::npos) << err();
  EXPECT_EQ(outputs().size(), 2u) << "the refused profile's temporary file is gone";
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

TEST_F(Batch, ProgressBarOnlyOnATerminal) {
  const std::string batch = "compile " + (root_ / "in").string() + " --jobs 1 --out-dir " + (root_ / "out").string();
  ASSERT_EQ(run(batch), 0);
  EXPECT_EQ(err().find('\r'), std::string::npos) << "no progress output when stderr is a file";
  // util-linux `script` runs the command on a pseudo-terminal and copies what it shows.
  if (std::system("script -qec true /dev/null >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1) or no pseudo-terminal";
  auto on_terminal = [&](const std::string& extra) {
    fs::remove_all(root_ / "out");
    fs::create_directories(root_ / "out");
    std::string cmd = "script -qec '" + std::string(MCC_BINARY) + " " + batch + extra + "' /dev/null >" +
                      (root_ / "tty").string() + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return read_file(root_ / "tty");
  };
  std::string shown = on_terminal("");
  EXPECT_NE(shown.find("\r[###############...............] 1/2 (50%)"), std::string::npos) << shown;
  // The bar is erased before the summary, which stands on a clean line.
  EXPECT_NE(shown.find("\r\033[K2 written, 2 skipped, 0 failed"), std::string::npos) << shown;
  std::string quiet = on_terminal(" --no-progress");
  EXPECT_EQ(quiet.find("1/2 (50%)"), std::string::npos) << quiet;
  EXPECT_NE(quiet.find("2 written, 2 skipped, 0 failed"), std::string::npos) << quiet;
}

TEST_F(Batch, JobsChangeNeitherNamesNorMessages) {
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    std::sort(out.begin(), out.end());  // profiles finish in any order with several jobs
    return out;
  };
  ASSERT_EQ(run("compile " + (root_ / "in").string() + " --jobs 1 --out-dir " + (root_ / "out").string()), 0);
  auto serial_names = outputs();
  auto serial_messages = lines(err());
  fs::remove_all(root_ / "out");
  fs::create_directories(root_ / "out");
  ASSERT_EQ(run("compile " + (root_ / "in").string() + " --jobs 3 --out-dir " + (root_ / "out").string()), 0);
  EXPECT_EQ(outputs(), serial_names);
  EXPECT_EQ(lines(err()), serial_messages);
  EXPECT_FALSE(serial_messages.empty());
}

TEST_F(Batch, FailuresDoNotStopTheOthers) {
  write_file(root_ / "in" / "broken.json", R"({"@odata.type":"#microsoft.graph.iosikEv2VpnConfiguration","mtuSizeInBytes":"x"})");
  EXPECT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "out").string()), 1);
  EXPECT_EQ(outputs().size(), 2u);
  EXPECT_NE(err().find("2 written, 2 skipped, 1 failed"), std::string::npos) << err();
}

// A missing output directory is made, as mkdir -p does (issue 16 item 8); a file in its way is an error.
TEST_F(Batch, OutputDirectoryIsMadeUnlessAFileIsInTheWayAndModesExcludeEachOther) {
  write_file(root_ / "a-file", "x");
  EXPECT_EQ(run("compile " + (root_ / "in").string() + " --out-dir " + (root_ / "a-file" / "sub").string()), 1);
  EXPECT_EQ(read_file(root_ / "a-file"), "x");
  EXPECT_EQ(run("compile " + (root_ / "in" / "list.json").string() + " -o x --out-dir " + (root_ / "out").string()), 2);
}

// Writes `text` into the FIFO `path` as soon as a reader has opened it, after calling `first`
// (on the writer's thread); gives up after 30 seconds without a reader instead of hanging.
std::thread fifo_writer(const fs::path& path, const std::string& text, std::function<void()> first = {}) {
  return std::thread([path, text, first] {
    for (int tries = 0; tries < 3000; ++tries) {
      int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (first) first();
      ::fcntl(fd, F_SETFL, 0);  // blocking writes from here on
      for (std::size_t at = 0; at < text.size();) {
        ssize_t n = ::write(fd, text.data() + at, text.size() - at);
        if (n <= 0) break;
        at += static_cast<std::size_t>(n);
      }
      ::close(fd);
      return;
    }
  });
}

// Inputs that can be read only once: a FIFO, a process substitution (/dev/fd/N), standard
// input. Each gives the profiles its regular-file twin gives.
TEST_F(Batch, FifoPipeAndStandardInputAreReadOnce) {
  ASSERT_EQ(run("compile " + (root_ / "in" / "list.json").string() + " --out-dir " + (root_ / "out").string()), 0) << err();
  const auto expected = outputs();
  std::map<std::string, std::string> bytes;
  for (const auto& name : expected) bytes[name] = read_file(root_ / "out" / name);
  const std::string list = read_file(root_ / "in" / "list.json");
  auto same_profiles = [&](const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, expected);
    for (const auto& name : names) EXPECT_EQ(read_file(dir / name), bytes[name]) << name;
  };

  // A FIFO, written once.
  const fs::path fifo = root_ / "list.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer = fifo_writer(fifo, list);
  fs::create_directories(root_ / "from-fifo");
  EXPECT_EQ(run("compile " + fifo.string() + " --out-dir " + (root_ / "from-fifo").string()), 0) << err();
  writer.join();
  EXPECT_NE(err().find(fifo.string() + ": /value/2: skipped: windows10VpnConfiguration"), std::string::npos) << err();
  same_profiles(root_ / "from-fifo");

  // Process substitution: a pipe named /dev/fd/N.
  fs::create_directories(root_ / "from-pipe");
  const std::string cmd = "bash -c 'exec \"$0\" compile <(cat \"$1\") --out-dir \"$2\"' " + std::string(MCC_BINARY) + " " +
                          (root_ / "in" / "list.json").string() + " " + (root_ / "from-pipe").string() + " 2>" +
                          (root_ / "pipe.err").string();
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_file(root_ / "pipe.err");
  EXPECT_NE(read_file(root_ / "pipe.err").find("2 written, 1 skipped, 0 failed"), std::string::npos) << read_file(root_ / "pipe.err");
  fs::remove(root_ / "pipe.err");
  same_profiles(root_ / "from-pipe");

  // Standard input, here with a byte order mark.
  fs::create_directories(root_ / "from-stdin");
  last_ = run_binary("compile - --out-dir " + (root_ / "from-stdin").string(), root_, "\xEF\xBB\xBF" + list);
  EXPECT_EQ(last_.code, 0) << err();
  EXPECT_NE(err().find("<stdin>: /value/2: skipped"), std::string::npos) << err();
  same_profiles(root_ / "from-stdin");
}

// An input that never ends (a character device like /dev/zero, made here) is read up to the
// size limit and refused, instead of filling memory until the process dies.
TEST_F(Batch, EndlessInputIsRefusedAtTheSizeLimit) {
  const fs::path zero = root_ / "zero";
  if (::mknod(zero.c_str(), S_IFCHR | 0600, ::makedev(1, 5)) != 0) GTEST_SKIP() << "cannot make a device node here (not root?)";
  EXPECT_EQ(run("compile " + zero.string() + " --out-dir " + (root_ / "out").string()), 1);
  EXPECT_NE(err().find(zero.string() + ": error MCC-R007: input too large: more than 67108864 bytes; at most 67108864 are accepted"),
            std::string::npos) << err();
}

// A regular file is read again in pass 2, at each object's place: a file that changed since
// pass 1 read it is reported for each of its objects, not compiled from what is there now.
// Objects pass 1 kept parsed are compiled as it read them; one read again in pass 2 (its text
// is larger than the plan's budget for parsed objects) must be what pass 1 read.
TEST_F(Batch, FileChangedBetweenThePassesIsReported) {
  const fs::path list = root_ / "in" / "list.json", fifo = root_ / "later.fifo";
  auto json = nlohmann::json::parse(read_file(list));
  json["value"][0]["description"] = std::string(BatchPlan::kParsedBudget + 1, 'x');
  write_file(list, json.dump());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // With one job, pass 1 reads the inputs in order: when it opens the FIFO, it has read the list.
  std::thread writer = fifo_writer(fifo, read_file(root_ / "in" / "nested" / "metadata.json"),
                                   [&] { write_file(list, read_file(list) + "\n"); });
  EXPECT_EQ(run("compile " + list.string() + " " + fifo.string() + " --jobs 1 --out-dir " + (root_ / "out").string()), 1);
  writer.join();
  EXPECT_EQ(occurrences(err(), list.string() + ": error MCC-R001: cannot read file: the file changed while the batch ran"), 1u)
      << err();
  EXPECT_EQ(outputs(), std::vector<std::string>{"Second-VPN-5a5a5a5a.mobileconfig"}) << err();
}

// --force never replaces an input: not one named like its output in the output directory,
// nor another name (a hard link) of an input file.
TEST_F(Batch, ForceNeverReplacesAnInput) {
  const std::string second = nlohmann::json::parse(read_file(root_ / "in" / "list.json"))["value"][1].dump();
  const fs::path named_like_output = root_ / "out" / "Second-VPN-5a5a5a5a.mobileconfig";
  write_file(named_like_output, second);
  EXPECT_EQ(run("compile " + named_like_output.string() + " --force --out-dir " + (root_ / "out").string()), 1);
  EXPECT_EQ(read_file(named_like_output), second);
  EXPECT_NE(err().find(named_like_output.string() + ": error MCC-O002: refusing to overwrite an input file"), std::string::npos) << err();
  EXPECT_NE(err().find("0 written, 0 skipped, 1 failed"), std::string::npos) << err();
  // The same through another spelling of the directory.
  const std::string spelled = (root_ / "out" / "." / "Second-VPN-5a5a5a5a.mobileconfig").string();
  EXPECT_EQ(run("compile " + spelled + " --force --out-dir " + (root_ / "in" / ".." / "out").string()), 1);
  EXPECT_NE(err().find("MCC-O002"), std::string::npos) << err();
  EXPECT_EQ(read_file(named_like_output), second);

  // A hard link to an input, with the output's name; the other objects are still written.
  fs::remove(named_like_output);
  fs::create_hard_link(root_ / "in" / "list.json", named_like_output);
  const std::string list = read_file(root_ / "in" / "list.json");
  EXPECT_EQ(run("compile " + (root_ / "in" / "list.json").string() + " --force --out-dir " + (root_ / "out").string()), 1);
  EXPECT_NE(err().find(named_like_output.string() + ": error MCC-O002: refusing to overwrite an input file"), std::string::npos) << err();
  EXPECT_NE(err().find("1 written, 1 skipped, 1 failed"), std::string::npos) << err();
  EXPECT_EQ(read_file(root_ / "in" / "list.json"), list);
  EXPECT_EQ(fs::hard_link_count(root_ / "in" / "list.json"), 2u);
  EXPECT_TRUE(fs::exists(root_ / "out" / "Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig"));
}

// A Graph list response of `count` copies of the sample VPN with a username and password
// ("Branch i VPN", ids 00000000-…, 00000001-…), written to `path` as it is made: the measured
// process starts as a copy of the test's, which must not hold the list. The TLS range belongs
// to EAP-TLS (user authentication with certificates, issue 14 item 6): with a username and
// password, `with_tls_range` keeps it, ignored with a warning for each of its two properties.
void write_branch_vpns(const fs::path& path, int count, bool with_tls_range) {
  auto vpn = nlohmann::json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  vpn.erase("identityCertificate@odata.bind");
  vpn["authenticationMethod"] = "usernameAndPassword";
  vpn["enableEAP"] = true;
  vpn["localIdentifier"] = "empty";
  if (!with_tls_range) {
    vpn.erase("tlsMinimumVersion");
    vpn.erase("tlsMaximumVersion");
  }
  std::ofstream out(path, std::ios::binary);
  out << R"({"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations","value":[)";
  for (int i = 0; i < count; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "%08d-0000-4000-8000-000000000000", i);
    vpn["id"] = id;
    vpn["displayName"] = "Branch " + std::to_string(i) + " VPN";
    out << (i ? "," : "") << vpn.dump();
  }
  out << "]}";
}

// A Graph list response of 10,000 objects (34 MB, more than the budget by itself) is read
// one object at a time, and each object again from its place in the file: the batch stays
// under 32 MB, as one file per object does.
TEST_F(Batch, TenThousandObjectListStaysUnder32MB) {
  if (built_with_sanitizers()) GTEST_SKIP() << "sanitizer allocators change what memory figures mean";
  const fs::path list = root_ / "export.json";
  write_branch_vpns(list, 10000, /*with_tls_range=*/false);
  ASSERT_GT(fs::file_size(list), 32u << 20);
  auto r = run_measured({"compile", list.string(), "--out-dir", (root_ / "out").string()}, root_);
  ASSERT_LT(r.caller_rss_kb, 16 * 1024) << "the measurement would show this test's own memory";
  EXPECT_EQ(r.code, 0) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("10000 written, 0 skipped, 0 failed, 0 warnings"), std::string::npos) << r.err.substr(0, 2000);
  EXPECT_LT(r.peak_rss_kb, 32 * 1024) << "peak resident memory in KiB";
  EXPECT_NE(read_file(root_ / "out" / "Branch-9999-VPN-00009999.mobileconfig").find("Branch 9999 VPN"), std::string::npos);
}

// --json holds the manifest and the findings of a batch until its exit code is known: as
// their text, not as JSON values (10,000 files took 89 MB that way, against 13.5 MB without
// --json). 10,000 objects with two findings each stay under 40 MB.
TEST_F(Batch, TenThousandObjectsWithJsonHoldTheDocumentAsText) {
  if (built_with_sanitizers()) GTEST_SKIP() << "sanitizer allocators change what memory figures mean";
  const fs::path list = root_ / "export.json";
  write_branch_vpns(list, 10000, /*with_tls_range=*/true);  // two warnings each
  auto r = run_measured({"compile", list.string(), "--out-dir", (root_ / "out").string(), "--json"}, root_);
  ASSERT_LT(r.caller_rss_kb, 16 * 1024) << "the measurement would show this test's own memory";
  EXPECT_EQ(r.code, 0) << r.err.substr(0, 2000);
  const auto doc = nlohmann::ordered_json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out.substr(0, 2000);
  ASSERT_EQ(doc["objects"].size(), 10000u);
  EXPECT_EQ(doc["objects"][9999]["status"], "written");
  EXPECT_EQ(doc["diagnostics"].size(), 20000u);
  EXPECT_EQ(doc["summary"]["warnings"], 20000);
  // In job order, whatever order the jobs ended in.
  EXPECT_EQ(doc["diagnostics"][19999]["pointer"], "/value/9999/tlsMaximumVersion");
  EXPECT_LT(r.peak_rss_kb, 40 * 1024) << "peak resident memory in KiB";
}

// Cross-input references: a VPN's profile embeds the certificate profile it names, and
// that profile's trusted root, wherever in the inputs they are.

nlohmann::json golden_input(const std::string& name) {
  return nlohmann::json::parse(read_file(source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile" / name));
}

// UTF-8 → UTF-16LE with a BOM, as IntuneManagement writes its exports on Windows PowerShell.
std::string utf16le_with_bom(const std::string& utf8) {
  std::string out = "\xFF\xFE";
  auto unit = [&out](char32_t u) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>((u >> 8) & 0xFF);
  };
  for (std::size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += len;
    if (cp < 0x10000) {
      unit(cp);
    } else {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    }
  }
  return out;
}

const Value* payload_of_type(const Value& profile, const std::string& type) {
  for (const auto& p : profile.find("PayloadContent")->as_array())
    if (const Value* t = p.find("PayloadType"); t != nullptr && t->as_string() == type) return &p;
  return nullptr;
}

std::size_t payload_count(const Value& profile) { return profile.find("PayloadContent")->as_array().size(); }

const std::string kScepRef = "Contoso VPN identity (SCEP)|:|#microsoft.graph.iosScepCertificateProfile";

class BatchLinks : public Batch {
 protected:
  void SetUp() override {
    Batch::SetUp();
    in_ = root_ / "links";
    fs::create_directories(in_);
    vpn_ = golden_input("input1-vpn.json");
    scep_ = golden_input("input2-scep.json");
    trusted_root_ = golden_input("input3-root.json");
  }

  // IntuneManagement's shape: the reference by display name and type, the tenant id replaced
  // by a placeholder, the assignments inline, annotations of its own.
  nlohmann::json intune_management_vpn() const {
    nlohmann::json vpn = vpn_;
    vpn.erase("identityCertificate@odata.bind");
    vpn.erase("@odata.context");
    vpn["id"] = "7e0c4b1a-3d2f-4e5a-8b9c-0a1b2c3d4e5f";
    vpn["displayName"] = "Zürich IKEv2 VPN";
    vpn["description"] = "Exported from tenant %OrganizationId%";
    vpn["#CustomRef_identityCertificate"] = kScepRef;
    vpn["@ObjectFromFile"] = true;
    vpn["@odata.id"] = "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('x')";
    vpn["assignments@odata.context"] = "https://graph.microsoft.com/beta/$metadata#assignments";
    vpn["assignments"] = nlohmann::json::array(
        {{{"@odata.type", "#microsoft.graph.deviceConfigurationAssignment"},
          {"id", "a1"},
          {"intent", "apply"},
          {"source", "direct"},
          {"target", {{"@odata.type", "#microsoft.graph.groupAssignmentTarget"}, {"groupId", "%OrganizationId%-group"}}}}});
    return vpn;
  }

  std::optional<Value> profile(const std::string& name) {
    Diagnostics d;
    auto p = parse_plist(read_file(root_ / "out" / name), name, d);
    EXPECT_TRUE(p) << all_lines(d);
    if (p)
      for (const Diagnostics problems = compiler().validate(*p, Platform::ios); const auto& problem : problems.items()) ADD_FAILURE() << name << ": " << format_diagnostic(problem);
    return p;
  }

  int compile_links(const std::string& extra = "") {
    return run("compile " + in_.string() + " --scep-challenge Ch4llenge-S3cret-9f2a" + extra + " --out-dir " +
               (root_ / "out").string());
  }

  fs::path in_;
  nlohmann::json vpn_, scep_, trusted_root_;
};

TEST_F(BatchLinks, GraphListAndIntuneManagementExportEmbedReferencedCertificates) {
  nlohmann::json list = {{"@odata.context", "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceConfigurations"},
                         {"value", {vpn_, scep_, trusted_root_}}};
  write_file(in_ / "deviceConfigurations.json", list.dump(2));
  write_file(in_ / "Zurich-IKEv2-VPN.json", utf16le_with_bom(intune_management_vpn().dump(2)));

  ASSERT_EQ(compile_links(), 0) << err();
  EXPECT_EQ(outputs(), (std::vector<std::string>{"Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig", "Contoso-Root-CA-2026-5b1f9c02.mobileconfig",
                                                 "Contoso-VPN-identity-SCEP-8d3e2a71.mobileconfig", "Z-rich-IKEv2-VPN-7e0c4b1a.mobileconfig"}));
  EXPECT_EQ(err().find("MCC-M010"), std::string::npos) << err();
  EXPECT_EQ(err().find("MCC-C001"), std::string::npos) << err();  // assignments, @odata.* and #CustomRef_ keys are export noise
  EXPECT_NE(err().find("4 written, 0 skipped, 0 failed"), std::string::npos) << err();

  for (const std::string name : {"Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig", "Z-rich-IKEv2-VPN-7e0c4b1a.mobileconfig"}) {
    SCOPED_TRACE(name);
    auto p = profile(name);
    ASSERT_TRUE(p);
    EXPECT_EQ(payload_count(*p), 3u);
    const Value* vpn = payload_of_type(*p, "com.apple.vpn.managed");
    const Value* scep = payload_of_type(*p, "com.apple.security.scep");
    const Value* root = payload_of_type(*p, "com.apple.security.root");
    ASSERT_TRUE(vpn && scep && root);
    const Value* link = vpn->find("IKEv2")->find("PayloadCertificateUUID");
    ASSERT_NE(link, nullptr);
    EXPECT_EQ(link->as_string(), scep->find("PayloadUUID")->as_string());
    const Value* fingerprint = scep->find("PayloadContent")->find("CAFingerprint");
    ASSERT_NE(fingerprint, nullptr);
    EXPECT_EQ(fingerprint->as_data().bytes.size(), 20u);
  }
  // The IntuneManagement placeholder passes through verbatim: only the tenant can fill it in.
  EXPECT_NE(read_file(root_ / "out" / "Z-rich-IKEv2-VPN-7e0c4b1a.mobileconfig").find("Exported from tenant %OrganizationId%"),
            std::string::npos);

  // The referenced objects keep their own profiles; the SCEP profile carries its root too.
  auto scep = profile("Contoso-VPN-identity-SCEP-8d3e2a71.mobileconfig");
  ASSERT_TRUE(scep);
  EXPECT_EQ(payload_count(*scep), 2u);
  EXPECT_NE(payload_of_type(*scep, "com.apple.security.scep")->find("PayloadContent")->find("CAFingerprint"), nullptr);
  auto root = profile("Contoso-Root-CA-2026-5b1f9c02.mobileconfig");
  ASSERT_TRUE(root);
  EXPECT_EQ(payload_count(*root), 1u);
}

TEST_F(BatchLinks, SameBytesAsOneProfileOfTheThree) {
  // Each object in its own file: the VPN's profile is the golden single-profile compile.
  write_file(in_ / "a-vpn.json", vpn_.dump());
  write_file(in_ / "b-scep.json", scep_.dump());
  write_file(in_ / "c-root.json", trusted_root_.dump());
  ASSERT_EQ(compile_links(" --scep-url-index 1"), 0) << err();
  EXPECT_EQ(read_file(root_ / "out" / "Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig"),
            read_file(source_dir() / "tests" / "golden" / "pass" / "ios-vpn-scep-root-one-profile" / "expected.mobileconfig"));
}

// Issue 14 item 7 in a batch: an export given twice (or one object in two inputs) is one
// object: its profile is written once, with a note, and references to it are not ambiguous;
// two different objects with one id are an error and neither copy's job hides it.
TEST_F(BatchLinks, AnObjectGivenTwiceIsOneObject) {
  write_file(in_ / "a-list.json", nlohmann::json({{"value", {vpn_, scep_, trusted_root_}}}).dump());
  write_file(in_ / "b-scep-again.json", scep_.dump(2));  // other whitespace, same contents
  ASSERT_EQ(compile_links(), 0) << err();
  EXPECT_EQ(outputs(), (std::vector<std::string>{"Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig", "Contoso-Root-CA-2026-5b1f9c02.mobileconfig",
                                                 "Contoso-VPN-identity-SCEP-8d3e2a71.mobileconfig"}));
  EXPECT_NE(err().find("b-scep-again.json: note MCC-M038: iosScepCertificateProfile"), std::string::npos) << err();
  EXPECT_EQ(err().find("MCC-M010"), std::string::npos) << err();  // the VPN's reference is not ambiguous
  EXPECT_NE(err().find("3 written, 1 skipped, 0 failed"), std::string::npos) << err();
  auto p = profile("Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig");
  ASSERT_TRUE(p);
  EXPECT_EQ(payload_count(*p), 3u);

  fs::remove_all(root_ / "out");
  fs::create_directories(root_ / "out");
  nlohmann::json changed = scep_;
  changed["displayName"] = "Another name, same id";
  write_file(in_ / "b-scep-again.json", changed.dump());
  EXPECT_EQ(compile_links(), 1);
  EXPECT_NE(err().find("b-scep-again.json: error MCC-M038"), std::string::npos) << err();
  EXPECT_NE(err().find("3 written, 0 skipped, 1 failed"), std::string::npos) << err();
}

// The copy test compares the Graph type ignoring case, as exporting tools write it either
// way, and the id exactly; the same id on an object of another type is another object.
TEST_F(BatchLinks, CopiesAreFoundWhateverTheCaseOfTheirTypeAndNotAcrossTypes) {
  nlohmann::json shouting = scep_;
  shouting["@odata.type"] = "#microsoft.graph.IOSSCEPCERTIFICATEPROFILE";
  nlohmann::json other_type = trusted_root_;
  other_type["id"] = scep_["id"];  // the SCEP profile's id, on a trusted root
  other_type["displayName"] = "Root with the SCEP profile's id";
  write_file(in_ / "a-list.json", nlohmann::json({{"value", {vpn_, scep_, trusted_root_}}}).dump());
  write_file(in_ / "b-scep-shouting.json", shouting.dump());
  write_file(in_ / "c-root-same-id.json", other_type.dump());
  // The shouting copy is paired with the first (its text differs, so it is a clash, not a
  // harmless repeat); the root with the same id is compiled as an object of its own.
  EXPECT_EQ(compile_links(), 1);
  EXPECT_NE(err().find("b-scep-shouting.json: error MCC-M038: IOSSCEPCERTIFICATEPROFILE"), std::string::npos) << err();
  EXPECT_EQ(err().find("c-root-same-id.json: error"), std::string::npos) << err();
  EXPECT_EQ(err().find("c-root-same-id.json: note MCC-M038"), std::string::npos) << err();
  EXPECT_NE(err().find("4 written, 0 skipped, 1 failed"), std::string::npos) << err();
  EXPECT_TRUE(fs::exists(root_ / "out" / "Root-with-the-SCEP-profile-s-id-8d3e2a71.mobileconfig")) << err();
}

// Issue 14 items 7 and 8: the SCEP and root payloads embedded in the VPN's profile are
// copies with their own identity; links point at the copy in the same file; roots come first.
TEST_F(BatchLinks, EmbeddedCertificatesHaveTheirOwnIdentityInEachProfile) {
  write_file(in_ / "a-vpn.json", vpn_.dump());
  write_file(in_ / "b-scep.json", scep_.dump());
  write_file(in_ / "c-root.json", trusted_root_.dump());
  ASSERT_EQ(compile_links(), 0) << err();
  std::set<std::string> uuids;
  std::size_t payloads = 0;
  for (const auto& name : outputs()) {
    SCOPED_TRACE(name);
    auto p = profile(name);
    ASSERT_TRUE(p);
    uuids.insert(p->find("PayloadUUID")->as_string());
    for (const auto& pl : p->find("PayloadContent")->as_array()) {
      ++payloads;
      uuids.insert(pl.find("PayloadUUID")->as_string());
    }
  }
  EXPECT_EQ(payloads, 6u);  // VPN + SCEP + root, SCEP + root, root
  EXPECT_EQ(uuids.size(), payloads + 3) << "every payload and profile UUID is distinct";

  auto vpn_profile = profile("Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig");
  ASSERT_TRUE(vpn_profile);
  const auto& content = vpn_profile->find("PayloadContent")->as_array();
  ASSERT_EQ(content.size(), 3u);
  EXPECT_EQ(content[0].find("PayloadType")->as_string(), "com.apple.security.root");
  EXPECT_EQ(content[1].find("PayloadType")->as_string(), "com.apple.security.scep");
  EXPECT_EQ(content[2].find("PayloadType")->as_string(), "com.apple.vpn.managed");
  EXPECT_EQ(content[2].find("IKEv2")->find("PayloadCertificateUUID")->as_string(), content[1].find("PayloadUUID")->as_string());
  // The profile keeps the VPN's own identity, embedded certificates or not.
  EXPECT_EQ(vpn_profile->find("PayloadIdentifier")->as_string(),
            "com.mobileconfigc.iosikEv2VpnConfiguration.2f6c1d9a-4b7e-4c3a-9e1f-8a5d3b2c7e10");

  auto scep_profile = profile("Contoso-VPN-identity-SCEP-8d3e2a71.mobileconfig");
  ASSERT_TRUE(scep_profile);
  const auto& scep_content = scep_profile->find("PayloadContent")->as_array();
  ASSERT_EQ(scep_content.size(), 2u);
  EXPECT_EQ(scep_content[0].find("PayloadType")->as_string(), "com.apple.security.root");
  EXPECT_EQ(scep_content[1].find("PayloadType")->as_string(), "com.apple.security.scep");
}

// Issue 14 item 7: an object given twice is compiled once, with a note; two different
// objects with one id are an error.
TEST_F(Batch, AnObjectGivenTwiceIsCompiledOnce) {
  const fs::path vpn = source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json";
  ASSERT_EQ(run("compile " + vpn.string() + " " + vpn.string() + " -o " + (root_ / "out" / "twice.mobileconfig").string()), 0)
      << err();
  EXPECT_NE(err().find("note MCC-M038"), std::string::npos) << err();
  Diagnostics d;
  auto p = parse_plist(read_file(root_ / "out" / "twice.mobileconfig"), "twice", d);
  ASSERT_TRUE(p) << all_lines(d);
  EXPECT_EQ(p->find("PayloadContent")->as_array().size(), 1u);

  auto changed = nlohmann::json::parse(read_file(vpn));
  changed["displayName"] = "Another name, same id";
  write_file(root_ / "in" / "changed.json", changed.dump());
  EXPECT_EQ(run("compile " + vpn.string() + " " + (root_ / "in" / "changed.json").string() + " -o " +
                (root_ / "out" / "clash.mobileconfig").string()),
            1);
  EXPECT_NE(err().find("error MCC-M038"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(root_ / "out" / "clash.mobileconfig"));
}

TEST_F(BatchLinks, ParallelOutputEqualsSerialOutput) {
  write_file(in_ / "list.json", nlohmann::json({{"value", {vpn_, scep_, trusted_root_}}}).dump());
  write_file(in_ / "im.json", utf16le_with_bom(intune_management_vpn().dump()));
  ASSERT_EQ(compile_links(" --jobs 1"), 0) << err();
  std::map<std::string, std::string> serial;
  for (const auto& name : outputs()) serial[name] = read_file(root_ / "out" / name);
  fs::remove_all(root_ / "out");
  fs::create_directories(root_ / "out");
  ASSERT_EQ(compile_links(" --jobs 4"), 0) << err();
  ASSERT_EQ(outputs().size(), serial.size());
  for (const auto& [name, bytes] : serial) EXPECT_EQ(read_file(root_ / "out" / name), bytes) << name;
}

TEST_F(BatchLinks, AmbiguousDisplayNameNamesTheCandidatesAndEmbedsNone) {
  auto other = scep_;
  other["id"] = "9a9a9a9a-0000-4000-8000-000000000002";
  auto macos = scep_;  // same name, other type: the reference's type rules it out
  macos["@odata.type"] = "#microsoft.graph.macOSScepCertificateProfile";
  macos["id"] = "9a9a9a9a-0000-4000-8000-000000000003";
  write_file(in_ / "sceps.json", nlohmann::json({{"value", {scep_, other, macos}}}).dump());
  write_file(in_ / "vpn.json", intune_management_vpn().dump());
  ASSERT_EQ(compile_links(), 0) << err();
  std::string e = err();
  auto at = e.find("vpn.json: /identityCertificate: warning MCC-M010: the identityCertificate reference is ambiguous: 2 objects "
                   "in the inputs have its display name and type: iosScepCertificateProfile 'Contoso VPN identity (SCEP)' (");
  EXPECT_NE(at, std::string::npos) << e;
  EXPECT_NE(e.find("sceps.json: /value/0, id 8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58); iosScepCertificateProfile"), std::string::npos) << e;
  EXPECT_NE(e.find("sceps.json: /value/1, id 9a9a9a9a-0000-4000-8000-000000000002); none is embedded"), std::string::npos) << e;
  EXPECT_EQ(e.find("000000000003)"), std::string::npos) << e;
  // One explanation, not a second, generic one from the link stage.
  EXPECT_EQ(occurrences(e, "MCC-M010"), 1u) << e;
  auto p = profile("Z-rich-IKEv2-VPN-7e0c4b1a.mobileconfig");
  ASSERT_TRUE(p);
  EXPECT_EQ(payload_count(*p), 1u);
}

// A name shared by many objects: each referrer's warning names the first few candidates and
// counts the others, instead of listing all of them for each of them.
TEST_F(BatchLinks, ManyAmbiguousReferencesKeepTheWarningsShort) {
  const int kCount = built_with_sanitizers() ? 100 : 500;
  nlohmann::json list = {{"value", nlohmann::json::array()}};
  for (int i = 0; i < kCount; ++i) {
    auto scep = scep_;
    scep.erase("rootCertificate@odata.bind");
    char id[40];
    std::snprintf(id, sizeof id, "9a9a9a9a-0000-4000-8000-%012d", i);
    scep["id"] = id;
    list["value"].push_back(scep);
    auto vpn = intune_management_vpn();
    std::snprintf(id, sizeof id, "7e7e7e7e-0000-4000-8000-%012d", i);
    vpn["id"] = id;
    list["value"].push_back(vpn);
  }
  write_file(in_ / "all.json", list.dump());
  ASSERT_EQ(compile_links(" --scep-url-index 0"), 0) << err().substr(0, 2000);
  EXPECT_EQ(occurrences(err(), "MCC-M010"), static_cast<std::size_t>(kCount));
  const std::string more = "; and " + std::to_string(kCount - 3) + " more; none is embedded";
  EXPECT_EQ(occurrences(err(), more), static_cast<std::size_t>(kCount)) << err().substr(0, 2000);
  const std::string file = (in_ / "all.json").string();
  EXPECT_NE(err().find(file + ": /value/1/identityCertificate: warning MCC-M010: the identityCertificate reference is ambiguous: " +
                       std::to_string(kCount) + " objects in the inputs have its display name and type: "
                       "iosScepCertificateProfile 'Contoso VPN identity (SCEP)' (" +
                       file + ": /value/0, id 9a9a9a9a-0000-4000-8000-000000000000); iosScepCertificateProfile 'Contoso VPN identity (SCEP)' (" +
                       file + ": /value/2, id 9a9a9a9a-0000-4000-8000-000000000001); iosScepCertificateProfile 'Contoso VPN identity (SCEP)' (" +
                       file + ": /value/4, id 9a9a9a9a-0000-4000-8000-000000000002)" + more + " (reference one by id"),
            std::string::npos) << err().substr(0, 2000);
  EXPECT_LT(err().size(), 1'000'000u);  // every candidate for every referrer: 60 MB for 500
  // Namesakes are numbered in input order, as before.
  auto names = outputs();
  EXPECT_EQ(names.size(), 2u * kCount);
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(),
                                 "Contoso-VPN-identity-SCEP-9a9a9a9a-" + std::to_string(kCount) + ".mobileconfig"));
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "Z-rich-IKEv2-VPN-7e7e7e7e-2.mobileconfig"));
}

// A reference by an empty name names nothing, even for an object without a name.
TEST_F(BatchLinks, EmptyNameInAReferenceMatchesNothing) {
  for (const std::string type : {"", "#microsoft.graph.iosScepCertificateProfile"}) {
    auto vpn = intune_management_vpn();
    vpn["displayName"] = "";
    vpn["#CustomRef_identityCertificate"] = type.empty() ? "" : "|:|" + type;
    auto scep = scep_;
    scep["displayName"] = "";
    write_file(in_ / "all.json", nlohmann::json::array({vpn, scep}).dump());
    fs::remove_all(root_ / "out");
    fs::create_directories(root_ / "out");
    EXPECT_EQ(compile_links(), 0) << err();
    EXPECT_EQ(err().find("ambiguous"), std::string::npos) << err();
    EXPECT_EQ(err().find("embedded"), std::string::npos) << err();
  }
}

TEST_F(BatchLinks, IdWinsOverDisplayName) {
  auto named = scep_;
  named["id"] = "9a9a9a9a-0000-4000-8000-000000000002";
  named["displayName"] = "Picked by name";
  scep_.erase("rootCertificate@odata.bind");
  auto vpn = vpn_;  // the bind names scep_ by id; the IntuneManagement reference names the other one
  vpn["#CustomRef_identityCertificate"] = "Picked by name|:|#microsoft.graph.iosScepCertificateProfile";
  write_file(in_ / "all.json", nlohmann::json::array({vpn, scep_, named}).dump());
  ASSERT_EQ(compile_links(), 0) << err();
  EXPECT_EQ(err().find("MCC-M010"), std::string::npos) << err();
  auto p = profile("Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig");
  ASSERT_TRUE(p);
  ASSERT_EQ(payload_count(*p), 2u);
  const Value* scep = payload_of_type(*p, "com.apple.security.scep");
  ASSERT_NE(scep, nullptr);
  EXPECT_NE(scep->find("PayloadIdentifier")->as_string().find("8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58"), std::string::npos);
  EXPECT_EQ(payload_of_type(*p, "com.apple.vpn.managed")->find("IKEv2")->find("PayloadCertificateUUID")->as_string(),
            scep->find("PayloadUUID")->as_string());
}

TEST_F(BatchLinks, BrokenCertificateProfileDoesNotStopTheVpn) {
  scep_["keySize"] = "size9";
  write_file(in_ / "vpn.json", vpn_.dump());
  write_file(in_ / "scep.json", scep_.dump());
  write_file(in_ / "root.json", trusted_root_.dump());
  EXPECT_EQ(compile_links(), 1);
  std::string e = err();
  EXPECT_NE(e.find("vpn.json: /identityCertificate: warning MCC-M010: the reference names iosScepCertificateProfile "
                   "'Contoso VPN identity (SCEP)' ("),
            std::string::npos) << e;
  EXPECT_NE(e.find("which has errors (reported with its own profile); it is not embedded"), std::string::npos) << e;
  // The SCEP error is printed once, by the SCEP's own profile.
  EXPECT_EQ(occurrences(e, "scep.json: /keySize: error"), 1u) << e;
  EXPECT_NE(e.find("2 written, 0 skipped, 1 failed"), std::string::npos) << e;
  auto p = profile("Contoso-IKEv2-VPN-iOS-2f6c1d9a.mobileconfig");
  ASSERT_TRUE(p);
  EXPECT_EQ(payload_count(*p), 1u);  // the root came only through the broken SCEP profile
}

TEST_F(BatchLinks, ReferenceToAnUnsupportedTypeIsExplained) {
  // Imported PFX certificates have no mapping table.
  nlohmann::json pfx = {{"@odata.type", "#microsoft.graph.iosImportedPFXCertificateProfile"},
                        {"id", "8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58"},
                        {"displayName", "Contoso PFX"}};
  write_file(in_ / "vpn.json", vpn_.dump());
  write_file(in_ / "pfx.json", pfx.dump());
  ASSERT_EQ(compile_links(), 0) << err();
  std::string e = err();
  auto at = e.find("vpn.json: /identityCertificate: warning MCC-M010: the identityCertificate reference names "
                   "iosImportedPFXCertificateProfile 'Contoso PFX' (");
  EXPECT_NE(at, std::string::npos) << e;
  EXPECT_NE(e.find("which is not a supported graph type; it is not embedded"), std::string::npos) << e;
  EXPECT_EQ(occurrences(e, "MCC-M010"), 1u) << e;
}

// What Compiler::scan reports about references, which the batch's index is built from.
TEST(Scan, ListsTheReferencesTheTablesLink) {
  auto vpn = golden_input("input1-vpn.json");
  vpn["#CustomRef_identityCertificate"] = kScepRef;
  auto scep = golden_input("input2-scep.json");
  nlohmann::json list = {{"value", {vpn, scep}}};
  Diagnostics d;
  auto objects = compiler().scan({"list.json", list.dump()}, {}, d);
  ASSERT_EQ(objects.size(), 2u) << all_lines(d);
  ASSERT_EQ(objects[0].references.size(), 1u);
  const GraphReference& ref = objects[0].references[0];
  EXPECT_EQ(ref.property, "identityCertificate");
  EXPECT_EQ(ref.pointer, "/value/0/identityCertificate");
  EXPECT_EQ(ref.ids, (std::vector<std::string>{"8d3e2a71-5c4b-4f6e-a2d9-1b7c0e4f3a58"}));
  EXPECT_EQ(ref.display_names, (std::vector<std::string>{"Contoso VPN identity (SCEP)"}));
  EXPECT_EQ(ref.types, (std::vector<std::string>{"iosScepCertificateProfile"}));
  ASSERT_EQ(objects[1].references.size(), 1u);
  EXPECT_EQ(objects[1].references[0].property, "rootCertificate");
  EXPECT_EQ(objects[1].references[0].ids, (std::vector<std::string>{"5b1f9c02-7e3a-4d88-b6a1-0c2e9f4d7a13"}));
}

TEST(Scan, ReferenceFormsAndConditions) {
  auto vpn = golden_input("input1-vpn.json");
  vpn.erase("identityCertificate@odata.bind");
  vpn["identityCertificate@odata.bind"] = "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations/abc";
  vpn["identityCertificate"] = {{"id", "def"}, {"displayName", "Expanded"}, {"@odata.type", "#microsoft.graph.iosPkcsCertificateProfile"}};
  Diagnostics d;
  auto objects = compiler().scan({"vpn.json", vpn.dump()}, {}, d);
  ASSERT_EQ(objects.size(), 1u);
  ASSERT_EQ(objects[0].references.size(), 1u);
  EXPECT_EQ(objects[0].references[0].ids, (std::vector<std::string>{"abc", "def"}));
  EXPECT_EQ(objects[0].references[0].display_names, (std::vector<std::string>{"Expanded"}));
  EXPECT_EQ(objects[0].references[0].types, (std::vector<std::string>{"iosPkcsCertificateProfile"}));
  // Only certificate authentication links the identity certificate, so only then is it a reference.
  vpn["authenticationMethod"] = "sharedSecret";
  objects = compiler().scan({"vpn.json", vpn.dump()}, {}, d);
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_TRUE(objects[0].references.empty());
}

// What a scan lists, one line per object, for comparing two scans.
std::string listed(const std::vector<GraphObjectInfo>& objects) {
  std::string out;
  for (const auto& o : objects) {
    out += o.pointer + " @" + std::to_string(o.span.offset) + "+" + std::to_string(o.span.length) + " " + o.type + " " + o.id +
           " '" + o.display_name + "'" + (o.supported ? " supported" : "");
    for (const auto& r : o.references) out += " ref:" + r.pointer;
    out += "\n";
  }
  return out;
}

// Compiler::scan splits an input by its structure and parses each object alone; it must list
// exactly what reading the whole input lists, and InputScanner, fed the input in pieces, what
// Compiler::scan lists. Checked on inputs of every shape and on every one-byte damage to them.
TEST(Scan, SplitInputListsWhatTheWholeInputHolds) {
  const std::string obj = R"({"@odata.type":"#microsoft.graph.x","id":"a\"]}","displayName":"A [1]","value":[1]})";
  const std::string untyped = R"({"id":"b","n":[{"k":{}}]})";
  const std::vector<std::string> shapes = {
      R"({"@odata.context":"c","value":[)" + obj + "," + untyped + R"(,5],"@odata.nextLink":"n"})",
      "\n[ " + obj + " ,\t" + obj + " ]\r\n",
      obj,
      R"({"value":)" + obj + "}",
      R"({"@odata.count":0,"value":[]})",
      "[]",
      " 5 ",
      "\"x\"",
      R"({"value":[)" + obj + R"(],"@odata.type":"#microsoft.graph.y"})",  // one object after all
      R"({"val\u0075e":[)" + obj + R"(],"k\u00e9y":{"a":[]}})",
      "\xEF\xBB\xBF[" + obj + "]",
      R"({"value":[)" + obj + R"(],"value":[]})",
  };
  std::vector<std::string> inputs = shapes;
  const std::size_t step = built_with_sanitizers() ? 4 : 1;  // a sanitizer build damages every fourth byte
  for (const auto& shape : shapes)
    for (std::size_t at = 0; at < shape.size(); at += step) {
      inputs.push_back(shape.substr(0, at) + shape.substr(at + 1));
      for (char c : std::string(",]}\"\\: {["))
        if (c != shape[at]) inputs.push_back(shape.substr(0, at) + c + shape.substr(at + 1));
    }
  std::size_t split_in_pieces = 0;
  for (const auto& input : inputs) {
    SCOPED_TRACE(input);
    Diagnostics whole_diags, read_diags;
    auto whole = compiler().scan({"f.json", input}, {}, whole_diags);
    auto read = read::read_graph_objects("f.json", input, std::nullopt, read_diags);
    ASSERT_EQ(all_lines(whole_diags), all_lines(read_diags));
    ASSERT_EQ(whole.size(), read.size());
    std::string decoded, error;
    auto text = read::to_utf8(input, decoded, error);
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(whole[i].pointer, read[i].pointer);
      // The span, read alone at its pointer, is the object.
      Diagnostics d;
      auto alone = read::read_graph_object("f.json", text->substr(whole[i].span.offset, whole[i].span.length), whole[i].pointer,
                                           std::nullopt, d);
      ASSERT_TRUE(alone) << all_lines(d);
      EXPECT_EQ(alone->json, read[i].json);
    }
    for (std::size_t piece : {1, 6}) {
      InputScanner scanner(compiler(), {}, "f.json");
      for (std::size_t at = 0; at < input.size(); at += piece) scanner.feed(std::string_view(input).substr(at, piece));
      std::vector<GraphObjectInfo> objects;
      Diagnostics d;
      if (!scanner.finish(objects, d)) continue;  // the caller scans it whole
      ++split_in_pieces;
      EXPECT_EQ(listed(objects), listed(whole));
      EXPECT_EQ(all_lines(d), all_lines(whole_diags));
      EXPECT_EQ(scanner.text_offset(), static_cast<std::size_t>(text->data() - input.data()));
    }
  }
  // Only text that read_graph_objects refuses, and the one object with a list in it, is left
  // to a whole scan.
  std::size_t must_split = 0;
  for (std::size_t k = 0; k < shapes.size(); ++k)
    if (k != 8 && k != 11) {
      InputScanner scanner(compiler(), {}, "f.json");
      scanner.feed(shapes[k]);
      std::vector<GraphObjectInfo> objects;
      Diagnostics d;
      EXPECT_TRUE(scanner.finish(objects, d)) << shapes[k];
      ++must_split;
    }
  EXPECT_GT(split_in_pieces, inputs.size() / 2);
  EXPECT_EQ(must_split, shapes.size() - 2);
}

// The splitter passes the bytes of a string, or of a nested container, 16 at a time up to
// the next quote, backslash or bracket: a list whose strings hold escaped quotes, backslashes
// and brackets at every position of a block, and whose values nest, lists what reading the
// whole input lists, fed whole and in pieces of every size up to 40 bytes.
TEST(Scan, LongStringsAndNestedValuesSplitAtEveryAlignment) {
  nlohmann::json list = {{"@odata.context", "c"}, {"value", nlohmann::json::array()}};
  for (std::size_t k = 0; k < 34; ++k) {
    const std::string pad(k, 'x');
    nlohmann::json o = {{"@odata.type", "#microsoft.graph.x"},
                        {"id", "id-" + std::to_string(k)},
                        {"displayName", pad + "\"name\" [with] {brackets} \\ and " + pad + "\xC3\xA9\x01"},
                        {"nested", {{"deeper", {{"list", {pad, pad + "]", pad + "}", "\"" + pad, "[" + pad + "{"}}}},
                                    {"n", static_cast<int>(k)}}},
                        {"empty", nlohmann::json::object()}};
    list["value"].push_back(o);
  }
  for (const std::string& input : {list.dump(), list.dump(2)}) {
    Diagnostics read_diags;
    auto read = read::read_graph_objects("f.json", input, std::nullopt, read_diags);
    ASSERT_EQ(read.size(), 34u) << all_lines(read_diags);
    Diagnostics whole_diags;
    auto whole = compiler().scan({"f.json", input}, {}, whole_diags);
    ASSERT_EQ(whole.size(), read.size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
      Diagnostics d;
      auto alone = read::read_graph_object("f.json", std::string_view(input).substr(whole[i].span.offset, whole[i].span.length),
                                           whole[i].pointer, std::nullopt, d);
      ASSERT_TRUE(alone) << all_lines(d);
      EXPECT_EQ(alone->json, read[i].json);
    }
    for (std::size_t piece = 1; piece <= 40; ++piece) {
      SCOPED_TRACE(piece);
      InputScanner scanner(compiler(), {}, "f.json");
      for (std::size_t at = 0; at < input.size(); at += piece) scanner.feed(std::string_view(input).substr(at, piece));
      std::vector<GraphObjectInfo> objects;
      Diagnostics d;
      ASSERT_TRUE(scanner.finish(objects, d)) << all_lines(d);
      EXPECT_EQ(listed(objects), listed(whole));
    }
  }
}

// Issue 13: a batch parses each input once. A plan's scanners keep the objects they parse,
// and the plan compiles and embeds them without asking for their text again; with no budget
// every object is parsed again from its text, and the profiles are the same bytes.
class ParseOnce : public BatchLinks {
 protected:
  struct Run {
    std::vector<std::string> profiles;  // serialized, "" for an object that made none
    std::string diagnostics;
    std::size_t texts_asked = 0;        // by prepare_embedded()
    std::size_t texts_parsed = 0;       // BatchPlan::texts_parsed() at the end
    std::vector<bool> held;             // BatchPlan::parsed(i) after seal()
  };

  // The inputs: a list response holding a VPN, its SCEP profile and their root, and the SCEP
  // profile given again in a second input.
  std::vector<std::pair<std::string, std::string>> inputs() const {
    return {{"list.json", nlohmann::json({{"value", {vpn_, scep_, trusted_root_}}}).dump(2)}, {"again.json", scep_.dump()}};
  }

  Run plan_run(std::size_t budget) const {
    CompileOptions options;
    options.scep_challenge = "Ch4llenge-S3cret-9f2a";
    BatchPlan plan(compiler(), options, budget);
    const auto texts = inputs();
    for (const auto& [name, text] : texts) {
      InputScanner scanner = plan.scanner(name);
      scanner.feed(text);
      std::vector<GraphObjectInfo> objects;
      Diagnostics d;
      EXPECT_TRUE(scanner.finish(objects, d)) << name;
      EXPECT_TRUE(d.empty()) << all_lines(d);
      plan.add_input(name, std::move(objects));
    }
    plan.seal();
    Run run;
    for (std::size_t i = 0; i < plan.size(); ++i) run.held.push_back(plan.parsed(i));
    auto text_of = [&](std::size_t i) {
      const TextSpan span = plan.object(i).span;
      return texts[plan.input_of(i)].second.substr(span.offset, span.length);
    };
    plan.prepare_embedded([&](std::size_t i) -> std::optional<std::string> {
      ++run.texts_asked;
      return text_of(i);
    });
    Diagnostics all;
    for (std::size_t i = 0; i < plan.size(); ++i) {
      Diagnostics d;
      const std::string text = plan.parsed(i) ? std::string() : text_of(i);
      auto profile = plan.compile(i, text, d);
      run.profiles.push_back(profile ? serialize_plist(profile->root, PlistFormat::xml) : std::string());
      all.append(d);
    }
    run.diagnostics = all_lines(all);
    run.texts_parsed = plan.texts_parsed();
    return run;
  }
};

TEST_F(ParseOnce, EveryObjectIsParsedOnceAndMakesTheSameProfiles) {
  const Run once = plan_run(BatchPlan::kParsedBudget);
  EXPECT_EQ(once.held, std::vector<bool>(4, true));
  EXPECT_EQ(once.texts_asked, 0u);
  EXPECT_EQ(once.texts_parsed, 0u);

  const Run again = plan_run(0);
  EXPECT_EQ(again.held, std::vector<bool>(4, false));
  // Without the kept objects: the copy and its first (compared), the two embedded objects,
  // and the VPN for its own profile (the embedded objects' profiles share their payloads; the
  // copy makes none).
  EXPECT_EQ(again.texts_asked, 4u);
  EXPECT_EQ(again.texts_parsed, 5u);

  EXPECT_EQ(once.profiles, again.profiles);
  EXPECT_EQ(once.diagnostics, again.diagnostics);
  ASSERT_EQ(once.profiles.size(), 4u);
  EXPECT_NE(once.profiles[0].find("com.apple.security.scep"), std::string::npos);  // the VPN embeds its SCEP profile
  EXPECT_EQ(once.profiles[3], "");                                                  // the copy makes none
  EXPECT_NE(once.diagnostics.find("MCC-M038"), std::string::npos) << once.diagnostics;
}

TEST_F(ParseOnce, TheBudgetBoundsWhatIsKept) {
  // Room for the first object's text only: the rest is parsed again when compiled.
  const std::string list = inputs().front().second;
  std::vector<GraphObjectInfo> listed;
  Diagnostics d;
  InputScanner probe(compiler(), {}, "list.json");
  probe.feed(list);
  ASSERT_TRUE(probe.finish(listed, d));
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_FALSE(listed[0].parsed) << "a scanner no plan made keeps nothing";

  const Run run = plan_run(listed[0].span.length);
  EXPECT_EQ(run.held, (std::vector<bool>{true, false, false, false}));
  EXPECT_EQ(run.profiles, plan_run(0).profiles);
  EXPECT_GT(run.texts_parsed, 0u);
}

// A plan keeps its objects compactly (strings end to end, types once): what it gives back is
// what scanning listed, for every input, whatever the lengths and however often a type repeats.
TEST(BatchPlanObjects, HoldWhatScanningListed) {
  const std::string long_name(70'000, 'n');  // longer than a block of the plan's arena
  nlohmann::json list = {{"value", nlohmann::json::array()}};
  for (int i = 0; i < 300; ++i) {
    nlohmann::json o = {{"@odata.type", i % 7 == 0 ? "#microsoft.graph.notSupportedHere" : "#microsoft.graph.iosTrustedRootCertificate"},
                        {"id", "id-" + std::to_string(i)}};
    if (i % 5 != 0) o["displayName"] = i == 42 ? long_name : "Root " + std::to_string(i);
    list["value"].push_back(o);
  }
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"first.json", list.dump()}, {"dir/second input.json", list.dump(1)}, {"<stdin>", list["value"][3].dump()}};
  BatchPlan plan(compiler(), {});
  std::vector<GraphObjectInfo> all;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Diagnostics d;
    auto objects = compiler().scan({inputs[k].first, inputs[k].second}, {}, d);
    ASSERT_FALSE(d.has_errors()) << all_lines(d);
    all.insert(all.end(), objects.begin(), objects.end());
    EXPECT_EQ(plan.add_input(inputs[k].first, std::move(objects)), k);
  }
  plan.seal();
  ASSERT_EQ(plan.size(), all.size());
  ASSERT_EQ(plan.size(), 601u);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    SCOPED_TRACE(i);
    const BatchObject o = plan.object(i);
    EXPECT_EQ(o.pointer, all[i].pointer);
    EXPECT_EQ(o.span.offset, all[i].span.offset);
    EXPECT_EQ(o.span.length, all[i].span.length);
    EXPECT_EQ(o.type, all[i].type);
    EXPECT_EQ(o.id, all[i].id);
    EXPECT_EQ(o.display_name, all[i].display_name);
    EXPECT_EQ(o.supported, all[i].supported);
    const std::size_t input = i < 300 ? 0 : i < 600 ? 1 : 2;
    EXPECT_EQ(plan.input_of(i), input);
    EXPECT_EQ(plan.input_name(input), inputs[input].first);
  }
  EXPECT_EQ(plan.object(42).display_name.size(), long_name.size());
  EXPECT_EQ(plan.describe(601 - 1), "iosTrustedRootCertificate 'Root 3' (<stdin>, id id-3)");
}

// The plan keeps each directory once, however many inputs share it: every name still comes
// back as it was given, whatever its directories and in whatever order they come.
TEST(BatchPlan, InputNamesComeBackAsGivenWhateverDirectoriesTheyShare) {
  const std::vector<std::string> names = {"a.json",         "dir/x.json", "dir/y.json", "other/dir/x.json", "dir/z.json",
                                          "/abs/p.json",    "dir/",       "",           "<stdin>",          "dir/sub/../w.json",
                                          "dir/x.json",     "/",          "a.json",     "dir//two.json",    "d\xc3\xa9j\xc3\xa0/\xe2\x9c\x93.json"};
  BatchPlan plan(compiler(), {});
  for (std::size_t k = 0; k < names.size(); ++k) EXPECT_EQ(plan.add_input(names[k], std::vector<GraphObjectInfo>{}), k);
  plan.seal();
  for (std::size_t k = 0; k < names.size(); ++k) EXPECT_EQ(plan.input_name(k), names[k]) << k;
}

// A scanner's objects kept compactly (ScannedObjects, as the CLI takes them) are those it
// lists as GraphObjectInfo, and a plan given either holds the same objects and links.
TEST(BatchPlanObjects, ScannedObjectsListWhatTheScannerLists) {
  // A VPN, its SCEP profile and its root, which link to one another, and an unsupported type.
  const auto sample = nlohmann::json::parse(read_file(source_dir() / "samples" / "contoso-vpn-scep-root.json"));
  nlohmann::json list = {{"value", sample["value"]}};
  list["value"].push_back({{"@odata.type", "#microsoft.graph.other"}, {"id", "x"}});
  const std::string text = list.dump();
  auto scan = [&](auto& into) {
    InputScanner scanner(compiler(), {}, "list.json");
    for (std::size_t at = 0; at < text.size(); at += 4096) scanner.feed(std::string_view(text).substr(at, 4096));
    Diagnostics d;
    EXPECT_TRUE(scanner.finish(into, d)) << all_lines(d);
  };
  std::vector<GraphObjectInfo> listed;
  ScannedObjects kept;
  scan(listed);
  scan(kept);
  ASSERT_EQ(kept.size(), listed.size());
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const BatchObject o = kept[i];
    EXPECT_EQ(o.pointer, listed[i].pointer);
    EXPECT_EQ(o.span.offset, listed[i].span.offset);
    EXPECT_EQ(o.span.length, listed[i].span.length);
    EXPECT_EQ(o.type, listed[i].type);
    EXPECT_EQ(o.id, listed[i].id);
    EXPECT_EQ(o.display_name, listed[i].display_name);
    EXPECT_EQ(o.supported, listed[i].supported);
  }
  BatchPlan from_vector(compiler(), {}), from_kept(compiler(), {});
  from_vector.add_input("list.json", std::move(listed));
  from_kept.add_input("list.json", std::move(kept));
  EXPECT_TRUE(kept.empty()) << "moved from";
  from_vector.seal();
  from_kept.seal();
  ASSERT_EQ(from_kept.size(), from_vector.size());
  for (std::size_t i = 0; i < from_kept.size(); ++i) {
    EXPECT_EQ(from_kept.describe(i), from_vector.describe(i));
    EXPECT_EQ(from_kept.embedded(i), from_vector.embedded(i));
  }
  EXPECT_EQ(from_kept.embedded(0), (std::vector<std::size_t>{1, 2})) << "the VPN embeds its SCEP profile and that profile's root";
  // The first input is taken whole, a later one copied: both give the same plan.
  BatchPlan second(compiler(), {});
  ScannedObjects again;
  scan(again);
  EXPECT_EQ(second.add_input("none.json", std::vector<GraphObjectInfo>{}), 0u);
  EXPECT_EQ(second.add_input("list.json", std::move(again)), 1u);
  second.seal();
  ASSERT_EQ(second.size(), from_vector.size());
  EXPECT_EQ(second.input_name(0), "none.json");
  EXPECT_EQ(second.input_name(1), "list.json");
  for (std::size_t i = 0; i < second.size(); ++i) {
    EXPECT_EQ(second.input_of(i), 1u);
    EXPECT_EQ(from_kept.input_of(i), 0u);
    EXPECT_EQ(second.describe(i), from_vector.describe(i));
    EXPECT_EQ(second.embedded(i), from_vector.embedded(i));
  }
}

// compile --out-dir declares every input before it scans any, and gives each its objects as
// it is taken: the objects of whichever input comes first are taken whole, the others
// copied, and each keeps the number its input was declared with.
TEST(BatchPlanObjects, DeclaredInputsGetTheirObjectsLaterInAnyOrder) {
  const auto sample = nlohmann::json::parse(read_file(source_dir() / "samples" / "contoso-vpn-scep-root.json"));
  const std::string text = nlohmann::json{{"value", sample["value"]}}.dump();
  BatchPlan plan(compiler(), {});
  auto scan = [&](std::string name) {
    InputScanner scanner = plan.scanner(std::move(name));
    scanner.feed(text);
    ScannedObjects objects;
    Diagnostics d;
    EXPECT_TRUE(scanner.finish(objects, d)) << all_lines(d);
    return objects;
  };
  EXPECT_EQ(plan.declare_input("dir/a.json"), 0u);
  EXPECT_EQ(plan.declare_input("dir/b.json"), 1u);
  EXPECT_EQ(plan.declare_input("other/c.json"), 2u);
  EXPECT_THROW(plan.add_objects(3, scan("d.json")), std::out_of_range) << "not declared";
  plan.add_objects(2, scan("other/c.json"));  // first: taken whole
  plan.add_objects(0, scan("dir/a.json"));    // then copied
  plan.add_objects(1, ScannedObjects());      // nothing in it
  plan.seal();
  ASSERT_EQ(plan.size(), 6u);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const std::size_t input = i < 3 ? 2 : 0;
    EXPECT_EQ(plan.input_of(i), input);
    EXPECT_NE(plan.describe(i).find(plan.input_name(input)), std::string::npos) << plan.describe(i);
  }
  EXPECT_EQ(plan.input_name(1), "dir/b.json");
  // The same three objects, given twice: those taken first are the ones profiles embed.
  EXPECT_EQ(plan.embedded(0), (std::vector<std::size_t>{1, 2}));
}

// Issue 18 target 5: a list response is scanned one object at a time, so it may be larger
// than an input read whole; what is bounded is what is held at once. Small limits stand here
// for the real ones (64 MiB held, 1 GiB in all).
std::vector<nlohmann::json> vpns(std::size_t n) {
  const auto vpn = nlohmann::json::parse(read_file(source_dir() / "samples" / "ios-ikev2-certificate-ondemand.json"));
  std::vector<nlohmann::json> out;
  for (std::size_t k = 0; k < n; ++k) {
    auto v = vpn;
    v["id"] = "5a5a5a5a-0000-4000-8000-" + std::to_string(100000000000 + k);
    v["displayName"] = "VPN " + std::to_string(k);
    out.push_back(std::move(v));
  }
  return out;
}

std::string list_response(const std::vector<nlohmann::json>& objects) {
  return nlohmann::json({{"@odata.context", "c"}, {"value", objects}}).dump();
}

// Scans `input` fed in pieces of `piece` bytes: true, with `objects`, when it split.
bool scan_in_pieces(const std::string& input, const InputScanner::Limits& limits, std::size_t piece,
                    std::vector<GraphObjectInfo>& objects) {
  InputScanner scanner(compiler(), {}, "f.json");
  scanner.set_limits(limits);
  for (std::size_t at = 0; at < input.size() && !scanner.declined(); at += piece) scanner.feed(std::string_view(input).substr(at, piece));
  objects.clear();
  Diagnostics d;
  return scanner.finish(objects, d);
}

TEST(Scan, AListLargerThanWhatIsHeldIsScannedOneObjectAtATime) {
  const std::string list = list_response(vpns(10));
  Diagnostics whole_diags;
  const auto whole = compiler().scan({"f.json", list}, {}, whole_diags);
  ASSERT_EQ(whole.size(), 10u) << all_lines(whole_diags);
  std::size_t largest = 0;
  for (const auto& o : whole) largest = std::max(largest, o.span.length);
  const std::size_t third = list.size() / 3;
  ASSERT_GT(third, largest + 1000);

  std::vector<GraphObjectInfo> objects;
  for (std::size_t piece : {std::size_t{1000}, list.size()}) {
    SCOPED_TRACE(piece);
    // A third of the list may be held, and all of it read: it splits as a whole scan does.
    ASSERT_TRUE(scan_in_pieces(list, {third, list.size()}, piece, objects));
    EXPECT_EQ(listed(objects), listed(whole));
    // One byte more than may be read in all: declined.
    EXPECT_FALSE(scan_in_pieces(list, {third, list.size() - 1}, piece, objects));
    // One object larger than what may be held: declined.
    EXPECT_FALSE(scan_in_pieces(list, {largest - 1, list.size()}, piece, objects));
    EXPECT_TRUE(scan_in_pieces(list, {largest + 1000, list.size()}, piece, objects));
  }
  // A top-level object is held until it is known to be a list response: its members before
  // the list count, the keys at what they take in memory, not in the text.
  const std::string padded = R"({"padding":")" + std::string(third, 'c') + R"(",)" + list.substr(1);
  EXPECT_FALSE(scan_in_pieces(padded, {third, padded.size()}, 1000, objects));
  EXPECT_TRUE(scan_in_pieces(padded, {2 * third, padded.size()}, 1000, objects));
  EXPECT_EQ(objects.size(), 10u);
  std::string keys;
  for (int k = 0; keys.size() < third / 4; ++k) keys += "\"k" + std::to_string(k) + "\":0,";
  const std::string many_keys = "{" + keys + list.substr(1);
  EXPECT_FALSE(scan_in_pieces(many_keys, {third, many_keys.size()}, 1000, objects));
  // Keys after the list are held too (to find a repeated one), and counted.
  const std::string keys_after = list.substr(0, list.size() - 1) + "," + keys.substr(0, keys.size() - 1) + "}";
  EXPECT_FALSE(scan_in_pieces(keys_after, {third, keys_after.size()}, 1000, objects));
  EXPECT_TRUE(scan_in_pieces(keys_after, {keys_after.size() * 100, keys_after.size()}, 1000, objects));
}

// compile --out-dir, pass 1: a regular UTF-8 file is streamed and may be larger than an input
// held whole; standard input, pipes, files that are not UTF-8 and texts that do not split are
// held whole, and refused past that bound.
TEST_F(Batch, ARegularFileIsStreamedPastTheLimitOfAWholeInput) {
  auto objects = vpns(10);
  const std::string list = list_response(objects);
  ASSERT_LT(list.size(), 60000u) << "written to a FIFO before it is read, it must fit a pipe";
  const fs::path path = root_ / "in" / "big.json";
  write_file(path, list);
  read::ReadLimits limits;
  limits.max_bytes = list.size() / 3;
  limits.max_stream_bytes = list.size();
  auto scan = [&](const fs::path& file, const read::ReadLimits& l, const BatchPlan& plan) {
    cli::InputFiles inputs;
    return cli::scan_input(compiler(), plan, {}, file.string(), inputs, l);
  };
  const auto refused = [](const cli::ScannedInput& s, const std::string& file, const std::string& why) {
    EXPECT_TRUE(s.objects.empty());
    EXPECT_EQ(all_lines(s.diags), file + ": error MCC-R007: input too large: " + why + "\n");
  };

  {
    BatchPlan plan(compiler(), {}, 0);  // nothing kept parsed: every object is read again
    cli::ScannedInput s = scan(path, limits, plan);
    EXPECT_FALSE(s.read_error);
    EXPECT_TRUE(s.diags.empty()) << all_lines(s.diags);
    ASSERT_EQ(s.objects.size(), 10u);
    EXPECT_EQ(s.source.kind, cli::InputSource::Kind::spans);
    plan.add_input(path.string(), std::move(s.objects));
    plan.seal();
    cli::ObjectTexts texts;
    texts.add(s.source, std::move(s.text), plan.size());
    auto text_of = [&](std::size_t i) {
      std::string error;
      auto text = texts.text(0, path.string(), plan.object(i).span, error);
      EXPECT_TRUE(text) << error;
      return text;
    };
    plan.prepare_embedded(text_of);
    for (std::size_t i = 0; i < plan.size(); ++i) {
      SCOPED_TRACE(i);
      auto text = text_of(i);
      ASSERT_TRUE(text);
      EXPECT_EQ(nlohmann::json::parse(*text), objects[i]);
      Diagnostics d;
      auto profile = plan.compile(i, *text, d);
      ASSERT_TRUE(profile) << all_lines(d);
      EXPECT_FALSE(d.has_errors()) << all_lines(d);
    }
  }
  const BatchPlan plan(compiler(), {});
  const std::string n = std::to_string(list.size()), held = std::to_string(limits.max_bytes);

  // Larger than a streamed input may be: refused before it is read.
  read::ReadLimits smaller = limits;
  smaller.max_stream_bytes = list.size() - 1;
  refused(scan(path, smaller, plan), path.string(), n + " bytes; at most " + std::to_string(list.size() - 1) + " are accepted");

  // A FIFO is held whole. (The writer may still be writing when the input is refused: it
  // gets EPIPE, not SIGPIPE.)
  const fs::path fifo = root_ / "list.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto sigpipe = std::signal(SIGPIPE, SIG_IGN);
  std::thread writer = fifo_writer(fifo, list);
  refused(scan(fifo, limits, plan), fifo.string(), "more than " + held + " bytes; at most " + held + " are accepted");
  writer.join();
  std::signal(SIGPIPE, sigpipe);

  // UTF-16 is decoded whole.
  const fs::path utf16 = root_ / "in" / "utf16.json";
  write_file(utf16, utf16le_with_bom(list));
  limits.max_stream_bytes = fs::file_size(utf16);
  refused(scan(utf16, limits, plan), utf16.string(), std::to_string(fs::file_size(utf16)) + " bytes; at most " + held + " are accepted");
  EXPECT_EQ(scan(utf16, {}, plan).objects.size(), 10u) << "refused for its size alone";

  // One object larger than what may be held: the list does not split as it is read.
  auto large = objects;
  large[4]["description"] = std::string(limits.max_bytes, 'x');
  const fs::path with_large = root_ / "in" / "large.json";
  write_file(with_large, list_response(large));
  limits.max_stream_bytes = fs::file_size(with_large);
  refused(scan(with_large, limits, plan), with_large.string(),
          std::to_string(fs::file_size(with_large)) + " bytes; at most " + held + " are accepted");

  // A top-level object that proves to be one Graph object after its list is read whole.
  const fs::path typed = root_ / "in" / "typed.json";
  write_file(typed, list.substr(0, list.size() - 1) + R"(,"@odata.type":"#microsoft.graph.x"})");
  limits.max_stream_bytes = fs::file_size(typed);
  refused(scan(typed, limits, plan), typed.string(), std::to_string(fs::file_size(typed)) + " bytes; at most " + held + " are accepted");
}

// Export noise: what Graph and IntuneManagement add around the settings is not a finding.
TEST(ExportNoise, AssignmentsAnnotationsAndPlaceholdersAreTolerated) {
  auto vpn = golden_input("input1-vpn.json");
  vpn["assignments"] = nlohmann::json::array({{{"@odata.type", "#microsoft.graph.deviceConfigurationAssignment"},
                                               {"id", "a1"},
                                               {"target", {{"@odata.type", "#microsoft.graph.allDevicesAssignmentTarget"}}}}});
  vpn["assignments@odata.context"] = "x";
  vpn["@odata.etag"] = "W/\"1\"";
  vpn["@odata.id"] = "y";
  vpn["@ObjectFromFile"] = true;
  vpn["#CustomRef_identityCertificate"] = kScepRef;
  vpn["connectionName"] = "Contoso %OrganizationId%";
  Diagnostics d;
  auto p = compile_json(vpn.dump(), d);
  ASSERT_TRUE(p) << all_lines(d);
  for (const auto& x : d.items()) {
    EXPECT_NE(x.code, "MCC-C001") << format_diagnostic(x);
    EXPECT_EQ(x.pointer.find("/assignments"), std::string::npos) << format_diagnostic(x);
    EXPECT_EQ(x.pointer.find("@"), std::string::npos) << format_diagnostic(x);
  }
  const Value* vpn_payload = payload_of_type(p->root, "com.apple.vpn.managed");
  ASSERT_NE(vpn_payload, nullptr);
  EXPECT_EQ(vpn_payload->find("UserDefinedName")->as_string(), "Contoso %OrganizationId%");
}

}  // namespace
}  // namespace mcc::test
