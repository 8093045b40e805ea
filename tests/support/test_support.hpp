// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the unit tests.

#include <expat.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "mobileconfigc/mobileconfigc.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::test {

inline std::filesystem::path source_dir() { return MCC_SOURCE_DIR; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& data) {
  std::ofstream out(p, std::ios::binary);
  out << data;
}

/// A fresh, empty directory for the running test, <tmp>/mcc-<prefix>-<pid>-<test name>;
/// the fixture removes it in TearDown.
inline std::filesystem::path make_scratch_dir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             ("mcc-" + prefix + "-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// What expat, an XML parser independent of libplist, finds wrong with `bytes`; empty when
/// they are well-formed XML, or are not XML at all (they do not start with "<?xml"). The
/// DOCTYPE's external DTD is never fetched.
inline std::string xml_problem(std::string_view bytes) {
  if (bytes.substr(0, 5) != "<?xml") return "";
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr), XML_ParserFree);
  if (XML_Parse(parser.get(), bytes.data(), static_cast<int>(bytes.size()), XML_TRUE) == XML_STATUS_OK) return "";
  return std::string(XML_ErrorString(XML_GetErrorCode(parser.get()))) + " at line " +
         std::to_string(XML_GetCurrentLineNumber(parser.get())) + ", column " +
         std::to_string(XML_GetCurrentColumnNumber(parser.get()));
}

/// Fails the running test when `bytes` (a profile, `what` names it) are XML that is not
/// well-formed. A signed profile is checked by the content it carries.
inline void expect_well_formed(std::string_view bytes, const std::string& what) {
  if (looks_like_cms(bytes)) {
    Diagnostics ignored;
    const VerifyResult r = verify_profile(bytes, what, VerifyOptions{}, ignored);
    if (auto problem = xml_problem(r.content); !problem.empty())
      ADD_FAILURE() << what << " carries a profile that is not well-formed XML: " << problem;
    return;
  }
  if (auto problem = xml_problem(bytes); !problem.empty()) ADD_FAILURE() << what << " is not well-formed XML: " << problem;
}

/// The regular files under `dir` (symlinks and device nodes are not followed or read), each
/// with what tells whether it changed: size and modification time.
inline std::map<std::filesystem::path, std::pair<std::uintmax_t, std::filesystem::file_time_type>> regular_files(
    const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::map<fs::path, std::pair<std::uintmax_t, fs::file_time_type>> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::error_code size_ec, time_ec;
    auto size = fs::file_size(it->path(), size_ec);
    auto time = fs::last_write_time(it->path(), time_ec);
    if (!size_ec && !time_ec) files.emplace(it->path(), std::make_pair(size, time));
  }
  return files;
}

struct RunResult {
  int code;  // exit status; -1 when the process did not exit normally
  std::string out;
  std::string err;
};

/// Runs the mobileconfigc binary with `args` (words for the shell) and `stdin_text` on
/// standard input. The streams pass through hidden files in `scratch`, removed afterwards,
/// so a test can still check that a directory holds nothing else.
inline RunResult run_binary(const std::string& args, const std::filesystem::path& scratch,
                            const std::string& stdin_text = "") {
  const auto in = scratch / ".stdin", out = scratch / ".stdout", err = scratch / ".stderr";
  write_file(in, stdin_text);
  const auto before = regular_files(scratch);
  const std::string cmd =
      std::string(MCC_BINARY) + " " + args + " <" + in.string() + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  for (const auto& f : {in, out, err}) std::filesystem::remove(f);
  // Every profile the binary writes, to a file or to standard output, is well-formed XML.
  expect_well_formed(r.out, "the standard output of '" + args + "'");
  for (const auto& [path, stamp] : regular_files(scratch)) {
    auto old = before.find(path);
    if (old == before.end() || old->second != stamp) expect_well_formed(read_file(path), path.string());
  }
  return r;
}

/// Every diagnostic, one formatted line each.
inline std::string all_lines(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.items()) out += format_diagnostic(x) + "\n";
  return out;
}

/// The compiler with the built-in tables, loaded once for the whole test run.
inline const Compiler& compiler() {
  static const Compiler c = [] {
    Diagnostics d;
    auto made = Compiler::create(std::nullopt, d);
    if (!made) {
      for (const auto& x : d.items()) ADD_FAILURE() << format_diagnostic(x);
      std::abort();
    }
    return std::move(*made);
  }();
  return c;
}

/// Compiler::compile with the built-in tables; a profile it returns is checked to
/// serialize to well-formed XML (the tests compile through here, or through the binary).
inline std::optional<CompiledProfile> compile_inputs(const std::vector<InputFile>& inputs, const CompileOptions& options,
                                                     Diagnostics& diags) {
  auto profile = compiler().compile(inputs, options, diags);
  if (profile) {
    const std::string name = inputs.empty() ? "" : inputs.front().name;
    Diagnostics serialized;
    auto xml = serialize_plist(profile->root, PlistFormat::xml, name, serialized);
    if (!xml) ADD_FAILURE() << "a compiled profile does not serialize: " << all_lines(serialized);
    else expect_well_formed(*xml, "the profile compiled from " + name);
  }
  return profile;
}

/// Compiles JSON text given inline; diagnostics go to `diags`.
inline std::optional<CompiledProfile> compile_json(const std::string& json, Diagnostics& diags,
                                                   const CompileOptions& options = {}) {
  return compile_inputs({InputFile{"test.json", json}}, options, diags);
}

/// True when some diagnostic has `code` and its pointer is `pointer`.
inline bool has_diag(const Diagnostics& d, std::string_view code, std::string_view pointer) {
  for (const auto& x : d.items())
    if (x.code == code && x.pointer == pointer) return true;
  return false;
}

}  // namespace mcc::test

/// Asserts a diagnostic with this code at this JSON pointer, printing all of them if not.
#define EXPECT_DIAG(diags, code, pointer) \
  EXPECT_TRUE(::mcc::test::has_diag((diags), (code), (pointer))) << ::mcc::test::all_lines(diags)
