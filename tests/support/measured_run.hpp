// SPDX-License-Identifier: Apache-2.0
#pragma once
// Running the binary and measuring what it cost: CPU time and peak memory of that one process.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace mcc::test {

struct MeasuredRun {
  int code = -1;              // exit status; -1 when the process did not exit normally
  double cpu_seconds = 0;     // user + system
  long peak_rss_kb = 0;       // the process's maximum resident set size
  long caller_rss_kb = 0;     // the calling process's resident set size when it started the child
  std::string out, err;
};

/// The calling process's resident set size in KiB (VmRSS), or 0 when unknown.
inline long resident_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

/// Runs the mobileconfigc binary with `args` (no shell) and standard input from `stdin_path`
/// (empty: an empty file), capturing its streams through hidden files in `scratch`. The
/// figures come from wait4() for this child alone, unaffected by other tests' processes. The
/// child starts as a copy of the caller, so its peak is at least caller_rss_kb: keep the
/// caller small (write large inputs to files as they are made) when measuring memory.
inline MeasuredRun run_measured(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                                const std::string& stdin_path = "") {
  const auto in = scratch / ".stdin", out = scratch / ".stdout", err = scratch / ".stderr";
  write_file(in, "");
  std::vector<std::string> words{MCC_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  MeasuredRun r;
  r.caller_rss_kb = resident_kb();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fds[3] = {::open(stdin_path.empty() ? in.c_str() : stdin_path.c_str(), O_RDONLY),
                        ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
                        ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)};
    for (int k = 0; k < 3; ++k)
      if (fds[k] < 0 || ::dup2(fds[k], k) < 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (pid > 0 && ::wait4(pid, &status, 0, &usage) == pid) {
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    r.peak_rss_kb = usage.ru_maxrss;
  }
  r.out = read_file(out);
  r.err = read_file(err);
  for (const auto& f : {in, out, err}) std::filesystem::remove(f);
  return r;
}

/// True in a build with AddressSanitizer or ThreadSanitizer, whose allocators change what
/// memory and time measurements mean.
constexpr bool built_with_sanitizers() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

}  // namespace mcc::test
