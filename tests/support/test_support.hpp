#pragma once
// Helpers shared by the unit tests.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mobileconfigc/mobileconfigc.hpp"

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
  const std::string cmd =
      std::string(MCC_BINARY) + " " + args + " <" + in.string() + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  for (const auto& f : {in, out, err}) std::filesystem::remove(f);
  return r;
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

/// Compiles JSON text given inline; diagnostics go to `diags`.
inline std::optional<CompiledProfile> compile_json(const std::string& json, Diagnostics& diags,
                                                   const CompileOptions& options = {}) {
  return compiler().compile({InputFile{"test.json", json}}, options, diags);
}

/// Every diagnostic, one formatted line each.
inline std::string all_lines(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.items()) out += format_diagnostic(x) + "\n";
  return out;
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
