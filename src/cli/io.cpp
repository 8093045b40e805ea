#include "cli/io.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>

namespace mcc::cli {
namespace fs = std::filesystem;

namespace {

// Temporary outputs in flight (batch mode writes several at once). A fixed table, because the
// signal handler may only touch memory it cannot race with and call async-signal-safe functions.
struct PendingTemp {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};
  char path[PATH_MAX] = {};
};
std::array<PendingTemp, 64> pending_temps;

extern "C" void remove_temps_and_die(int sig) {
  for (auto& t : pending_temps)
    if (t.ready.load()) ::unlink(t.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_interrupt_handlers() {
  static const bool installed = [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      ::sigaction(sig, nullptr, &old);
      if (old.sa_handler == SIG_IGN) continue;  // nohup and friends: keep ignoring
      struct sigaction sa {};
      sa.sa_handler = remove_temps_and_die;
      ::sigemptyset(&sa.sa_mask);
      ::sigaction(sig, &sa, nullptr);
    }
    return true;
  }();
  (void)installed;
}

}  // namespace

TempFileGuard::TempFileGuard(const std::string& path) {
  install_interrupt_handlers();
  if (path.size() >= PATH_MAX) return;
  for (std::size_t i = 0; i < pending_temps.size(); ++i) {
    bool expected = false;
    if (pending_temps[i].used.compare_exchange_strong(expected, true)) {
      std::memcpy(pending_temps[i].path, path.c_str(), path.size() + 1);
      pending_temps[i].ready.store(true);
      slot_ = static_cast<int>(i);
      return;
    }
  }
}

TempFileGuard::~TempFileGuard() {
  if (slot_ < 0) return;
  pending_temps[slot_].ready.store(false);
  pending_temps[slot_].used.store(false);
}

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::optional<std::string> read_input(const std::string& path, std::string& error, FileStamp* stamp) {
  if (path == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return data;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = "is a directory";
    return std::nullopt;
  }
  if (stamp) *stamp = {static_cast<long long>(st.st_size), st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return data;
}

namespace {

// rename() that fails with EEXIST instead of replacing: renameat2(RENAME_NOREPLACE), or on a
// file system without it, link() (which never replaces) and unlink of the temporary name.
int rename_no_replace(const char* from, const char* to) {
  if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::link(from, to) != 0) return -1;
  ::unlink(from);
  return 0;
}

}  // namespace

bool write_atomic(const std::string& path, const std::string& bytes, std::string& error, Flush flush, Existing existing,
                  bool* exists) {
  if (path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    if (!std::cout) error = "cannot write to standard output";
    return static_cast<bool>(std::cout);
  }
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    error = "directory " + dir.string() + " does not exist";
    return false;
  }
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  TempFileGuard guard(tmpl);  // an interrupt from here on removes the temporary file
  ::fchmod(fd, 0644);
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = std::strerror(errno);
      ::close(fd);
      ::unlink(tmpl.c_str());
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if ((flush == Flush::each_file && ::fsync(fd) != 0) || ::close(fd) != 0) {
    error = std::strerror(errno);
    ::unlink(tmpl.c_str());
    return false;
  }
  int renamed = existing == Existing::keep ? rename_no_replace(tmpl.c_str(), path.c_str())
                                           : std::rename(tmpl.c_str(), path.c_str());
  if (renamed != 0) {
    if (exists) *exists = errno == EEXIST;
    error = std::strerror(errno);
    ::unlink(tmpl.c_str());
    return false;
  }
  return true;
}

bool sync_directory(const std::string& dir, std::string& error) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  bool ok = ::syncfs(fd) == 0;
  if (!ok) error = std::strerror(errno);
  ::close(fd);
  return ok;
}

bool same_file(const std::string& a, const std::string& b) {
  if (a == "-" || b == "-") return false;
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace mcc::cli
