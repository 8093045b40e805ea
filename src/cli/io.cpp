// SPDX-License-Identifier: Apache-2.0
#include "cli/io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <streambuf>

#include "base/messages.hpp"
#include "cli/diagnostics_printer.hpp"
#include "mobileconfigc/sign.hpp"
#include "read/reader.hpp"

namespace mcc::cli {
namespace fs = std::filesystem;

static_assert(kMaxInputBytes == read::ReadLimits{}.max_bytes, "the command line reads what the read stage accepts");

namespace {

// ---- interrupts ------------------------------------------------------------------
//
// The handler may only touch lock-free atomics and call async-signal-safe functions, so the
// names of temporary files in flight live in a fixed table. A batch writes with at most 256
// threads, one file each at a time.

struct PendingTemp {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};
  char path[PATH_MAX] = {};
};
std::array<PendingTemp, 512> pending_temps;

// Threads between choosing a temporary name and having the file registered under it; they
// block the interrupting signals meanwhile, so the handler never runs on one of them and
// can wait for them.
std::atomic<int> creating_temps{0};
std::atomic<bool> dying{false};

std::atomic<int> terminal_fd{-1};
termios terminal_saved{};

constexpr std::array kInterrupts = {SIGINT, SIGTERM, SIGHUP};

extern "C" void clean_up_and_die(int sig) {
  dying.store(true);
  while (creating_temps.load() > 0) {
  }
  for (auto& t : pending_temps)
    if (t.ready.load()) ::unlink(t.path);
  if (const int fd = terminal_fd.load(); fd >= 0) {
    ::tcsetattr(fd, TCSAFLUSH, &terminal_saved);
    (void)!::write(fd, "\n", 1);  // the shell's prompt starts on a line of its own
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_interrupt_handlers() {
  static const bool installed = [] {
    for (int sig : kInterrupts) {
      struct sigaction old {};
      ::sigaction(sig, nullptr, &old);
      if (old.sa_handler == SIG_IGN) continue;  // nohup and friends: keep ignoring
      struct sigaction sa {};
      sa.sa_handler = clean_up_and_die;
      ::sigemptyset(&sa.sa_mask);
      for (int other : kInterrupts) ::sigaddset(&sa.sa_mask, other);
      ::sigaction(sig, &sa, nullptr);
    }
    return true;
  }();
  (void)installed;
}

// SIGINT, SIGTERM and SIGHUP wait (pending) while this lives, in this thread only.
class InterruptsBlocked {
 public:
  InterruptsBlocked() {
    sigset_t set;
    ::sigemptyset(&set);
    for (int sig : kInterrupts) ::sigaddset(&set, sig);
    ::pthread_sigmask(SIG_BLOCK, &set, &saved_);
  }
  ~InterruptsBlocked() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  InterruptsBlocked(const InterruptsBlocked&) = delete;
  InterruptsBlocked& operator=(const InterruptsBlocked&) = delete;

 private:
  sigset_t saved_{};
};

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

TerminalGuard::TerminalGuard(int fd, const termios& saved) {
  install_interrupt_handlers();
  terminal_saved = saved;
  terminal_fd.store(fd);
}

TerminalGuard::~TerminalGuard() { terminal_fd.store(-1); }

// ---- descriptors and plain writes ----------------------------------------------------

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

FileDescriptor::~FileDescriptor() { close(); }

bool FileDescriptor::close() {
  if (fd_ < 0) return true;
  // Linux releases the descriptor even when close is interrupted: never retry.
  return ::close(std::exchange(fd_, -1)) == 0 || errno == EINTR;
}

namespace {

bool write_all(int fd, std::string_view bytes, std::string& error) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {  // a non-blocking descriptor we inherited
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    if (n <= 0) {
      error = std::string("write error: ") + (n < 0 ? std::strerror(errno) : "nothing written");
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// std::cout's buffer: write(2), with the first error kept (the standard buffers keep a
// failbit and forget errno), and everything after an error dropped.
class StdoutBuffer : public std::streambuf {
 public:
  StdoutBuffer() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  [[nodiscard]] const std::string& error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const std::string_view pending(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    if (!error_.empty()) return false;
    return write_all(STDOUT_FILENO, pending, error_);
  }

  std::array<char, 65536> buffer_;  // not zeroed: a page is touched only when output reaches it
  std::string error_;
};

StdoutBuffer* stdout_buffer = nullptr;  // set once by check_stdout_writes(), before any thread

}  // namespace

void check_stdout_writes() {
  if (stdout_buffer) return;
  stdout_buffer = new StdoutBuffer;  // never freed: std::cout is flushed after static destructors run
  std::cout.rdbuf(stdout_buffer);
}

bool flush_stdout(std::string& error) {
  std::cout.flush();
  if (stdout_buffer && !stdout_buffer->error().empty()) {
    error = stdout_buffer->error();
    return false;
  }
  if (!std::cout || std::ferror(stdout)) {
    error = "write error";
    return false;
  }
  return true;
}

// ---- inputs --------------------------------------------------------------------------

namespace {

std::string spelling(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? fs::path(path) : absolute).lexically_normal().string();
}

std::string describe_size(std::size_t bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  return bytes % kMiB == 0 ? std::to_string(bytes / kMiB) + " MiB" : std::to_string(bytes) + " bytes";
}

ssize_t read_some(int fd, char* to, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd, to, size);
    if (n >= 0 || errno != EINTR) return n;
  }
}

}  // namespace

void InputFiles::add_path(const std::string& path) {
  struct stat st {};
  if (path == "-") {
    if (::fstat(STDIN_FILENO, &st) == 0) add_opened(path, st);
    return;
  }
  if (::stat(path.c_str(), &st) == 0) {
    add_opened(path, st);
    return;
  }
  std::lock_guard lock(mutex_);
  spellings_.insert(spelling(path));
}

void InputFiles::add_opened(const std::string& path, const struct stat& st) {
  // Only a regular file can be replaced, and its device and inode name it whatever the path
  // an output is spelt with (a link, "./", another hard link): its spelling is not kept too,
  // which in a batch of 100,000 files was ~140 bytes each. A terminal or a pipe may well be
  // read and written by one command (compile /dev/stdin -o /dev/stdout); other nodes are
  // known by their spelling. A directory (a batch's input folder) is never one: no output
  // replaces a directory.
  if (S_ISDIR(st.st_mode)) return;
  const bool regular = S_ISREG(st.st_mode);
  std::string spelt = regular || path == "-" ? std::string() : spelling(path);
  std::lock_guard lock(mutex_);
  if (regular) {
    files_.emplace_back(st.st_dev, st.st_ino);
    sorted_ = false;
  }
  else if (!spelt.empty()) spellings_.insert(std::move(spelt));
}

void InputFiles::add_tree(const std::string& dir) {
  std::error_code ec;
  fs::path canonical = fs::canonical(dir, ec);
  if (ec) return;
  std::lock_guard lock(mutex_);
  trees_.push_back(canonical.string());
}

void InputFiles::reserve(std::size_t files) {
  std::lock_guard lock(mutex_);
  files_.reserve(files_.size() + files);
}

bool InputFiles::is_input(const std::string& output) const {
  if (output == "-") return false;
  // The lock guards the sets, not the system calls: a batch asks this twice per profile
  // from every job, and a path is spelt out (getcwd) only when a non-regular input needs it.
  bool spelt = false, trees = false;
  {
    std::lock_guard lock(mutex_);
    spelt = !spellings_.empty();
    trees = !trees_.empty();
  }
  if (spelt) {
    const std::string spelt_out = spelling(output);
    std::lock_guard lock(mutex_);
    if (spellings_.count(spelt_out)) return true;
  }
  struct stat st {};
  if (::stat(output.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  {
    std::lock_guard lock(mutex_);
    if (!sorted_) {
      std::sort(files_.begin(), files_.end());
      files_.erase(std::unique(files_.begin(), files_.end()), files_.end());
      sorted_ = true;
    }
    if (std::binary_search(files_.begin(), files_.end(), std::pair(st.st_dev, st.st_ino))) return true;
  }
  if (!trees) return false;
  std::error_code ec;
  const std::string canonical = fs::canonical(output, ec).string();
  if (ec) return false;
  std::lock_guard lock(mutex_);
  for (const auto& tree : trees_)
    if (canonical.size() > tree.size() && canonical.compare(0, tree.size(), tree) == 0 && canonical[tree.size()] == '/')
      return true;
  return false;
}

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }
std::string display_output_name(const std::string& path) { return path == "-" ? "<stdout>" : path; }

std::optional<std::string> read_input(const std::string& path, ReadError& error, const ReadOptions& options) {
  error = {};
  FileDescriptor opened;
  int fd = STDIN_FILENO;
  if (path != "-") {
    opened = FileDescriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!opened.valid()) {
      error.reason = std::strerror(errno);
      return std::nullopt;
    }
    fd = opened.get();
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error.reason = std::strerror(errno);
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    error.reason = "is a directory";
    return std::nullopt;
  }
  if (options.inputs) options.inputs->add_opened(path, st);
  if (options.stamp && path != "-")
    *options.stamp = {static_cast<long long>(st.st_size), st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};

  const std::size_t limit = options.limit;
  std::string data;
  auto fail = [&](bool too_large, std::string reason) -> std::optional<std::string> {
    if (options.secret) cleanse(data);
    error = {too_large, limit, std::move(reason)};
    return std::nullopt;
  };
  const auto too_large = [&] { return fail(true, "larger than " + describe_size(limit)); };
  const bool regular = S_ISREG(st.st_mode);
  // A regular file's size is known: a larger one is refused unread (a sparse 1 GiB file
  // costs nothing). Anything else (/dev/zero, a pipe) is read up to the limit and one byte.
  if (regular && static_cast<unsigned long long>(st.st_size) > limit) return too_large();
  if (options.secret) data.resize(limit);  // never reallocated, so no stray copy of a key is left behind
  else data.resize(std::min<std::size_t>(regular ? static_cast<std::size_t>(st.st_size) : 65536, limit));
  std::size_t got = 0;
  for (;;) {
    if (got == data.size()) {
      // Full: one more byte says whether the input ends here (a file can grow after fstat).
      char extra = 0;
      const ssize_t n = read_some(fd, &extra, 1);
      if (n < 0) return fail(false, std::strerror(errno));
      if (n == 0) break;
      if (got == limit) return too_large();
      const std::size_t doubled = std::max<std::size_t>(data.size() * 2, 65536);
      data.resize(std::min(doubled, limit));
      data[got++] = extra;
      continue;
    }
    const ssize_t n = read_some(fd, data.data() + got, data.size() - got);
    if (n < 0) return fail(false, std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  data.resize(got);  // shrinking never reallocates
  return data;
}

std::optional<std::string> read_input(const std::string& path, std::string& error, FileStamp* stamp) {
  ReadError why;
  ReadOptions options;
  options.stamp = stamp;
  auto bytes = read_input(path, why, options);
  if (!bytes) error = why.reason;
  return bytes;
}

Diagnostic read_failure(const std::string& path, const ReadError& error) {
  if (error.too_large)
    return msg::too_large(display_name(path), "more than the " + std::to_string(error.limit) + " bytes accepted");
  return msg::cannot_read(display_name(path), error.reason);
}

// ---- outputs -------------------------------------------------------------------------

namespace {

mode_t read_umask() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}
// Read during static initialisation, before any thread could create a file while it is 0.
const mode_t process_umask = read_umask();

std::string random_name_part() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::array<unsigned char, 10> bytes{};
  if (::getrandom(bytes.data(), bytes.size(), GRND_NONBLOCK) != static_cast<ssize_t>(bytes.size())) {
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t x = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                      (static_cast<std::uint64_t>(::getpid()) << 40) ^ (++counter * 0x9E3779B97F4A7C15ull);
    for (auto& b : bytes) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      b = static_cast<unsigned char>(x >> 56);
    }
  }
  std::string out;
  for (unsigned char b : bytes) out += kAlphabet[b % (sizeof kAlphabet - 1)];
  return out;
}

// A temporary file beside an output, created 0600 and known to the interrupt handler before
// it exists; removed when destroyed unless it was renamed into place. The name is short
// (".mcc.tmp." and ten characters), so any legal output name leaves room for it.
class TemporaryFile {
 public:
  TemporaryFile(const fs::path& dir, std::string& error) {
    install_interrupt_handlers();
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string path = (dir / (".mcc.tmp." + random_name_part())).string();
      if (path.size() >= PATH_MAX) {
        error = std::strerror(ENAMETOOLONG);
        return;
      }
      InterruptsBlocked blocked;
      ++creating_temps;
      if (dying.load()) {  // an interrupt is cleaning up: create nothing it could miss, and wait to end
        --creating_temps;
        for (;;) ::pause();
      }
      guard_.emplace(path);
      if (!guard_->registered()) {
        guard_.reset();
        --creating_temps;
        error = "too many outputs written at once";
        return;
      }
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      const int saved_errno = errno;
      if (fd < 0) guard_.reset();  // not ours: the handler must never remove it
      --creating_temps;
      if (fd >= 0) {
        fd_ = FileDescriptor(fd);
        path_ = std::move(path);
        return;
      }
      if (saved_errno != EEXIST) {
        error = std::strerror(saved_errno);
        return;
      }
    }
    error = "no free temporary file name";
  }
  ~TemporaryFile() {
    if (!path_.empty() && !renamed_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  [[nodiscard]] bool valid() const { return fd_.valid(); }
  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] const std::string& path() const { return path_; }
  bool close() { return fd_.close(); }
  void renamed() { renamed_ = true; }

 private:
  std::string path_;
  std::optional<TempFileGuard> guard_;
  FileDescriptor fd_;
  bool renamed_ = false;
};

// rename() that fails with EEXIST instead of replacing: renameat2(RENAME_NOREPLACE), or on a
// file system without it, link() (which never replaces) and unlink of the temporary name.
int rename_no_replace(const char* from, const char* to) {
  if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::link(from, to) != 0) return -1;
  ::unlink(from);
  return 0;
}

// The name a chain of symbolic links ends at (itself when it is none), even when that name
// does not exist yet: writing through a link replaces what it names, and the link stays.
std::string final_link_target(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    std::array<char, PATH_MAX> buf{};
    const ssize_t n = ::readlink(p.c_str(), buf.data(), buf.size());
    if (n <= 0 || static_cast<std::size_t>(n) == buf.size()) return p;
    const std::string to(buf.data(), static_cast<std::size_t>(n));
    p = to.front() == '/' ? to : (fs::path(p).parent_path() / to).string();
  }
  return p;
}

// Writes `bytes` to a temporary file in `target`'s directory and renames it to `target`.
WriteStatus replace_file(const std::string& target, std::string_view bytes, mode_t mode, const WriteOptions& options,
                         std::string& error) {
  fs::path dir = fs::path(target).parent_path();
  if (dir.empty()) dir = ".";
  if (auto problem = output_directory_problem(dir.string())) {
    error = *problem;
    return WriteStatus::failed;
  }
  TemporaryFile temp(dir, error);
  if (!temp.valid() || !write_all(temp.fd(), bytes, error)) return WriteStatus::failed;
  if (::fchmod(temp.fd(), mode) != 0 || (options.flush == Flush::each_file && ::fsync(temp.fd()) != 0) || !temp.close()) {
    error = std::strerror(errno);
    return WriteStatus::failed;
  }
  const int renamed = options.existing == Existing::keep ? rename_no_replace(temp.path().c_str(), target.c_str())
                                                         : ::rename(temp.path().c_str(), target.c_str());
  if (renamed != 0) {
    const bool exists = errno == EEXIST;
    error = exists ? "file exists" : std::strerror(errno);
    return exists && options.existing == Existing::keep ? WriteStatus::exists : WriteStatus::failed;
  }
  temp.renamed();
  return WriteStatus::ok;
}

// A FIFO, a character or block device, a socket: opened as it is and written, never replaced
// (a reader waiting on the FIFO gets the output; /dev/stdout and >(cmd) work).
WriteStatus write_in_place(const std::string& path, std::string_view bytes, const WriteOptions& options,
                           std::string& error) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0) {
    error = std::strerror(errno);
    return WriteStatus::failed;
  }
  if (S_ISREG(st.st_mode)) {  // replaced by a regular file since we looked: never write one in place
    error = "the file changed while it was opened";
    return WriteStatus::failed;
  }
  if (!write_all(fd.get(), bytes, error)) return WriteStatus::failed;
  if ((S_ISBLK(st.st_mode) && options.flush == Flush::each_file && ::fsync(fd.get()) != 0) || !fd.close()) {
    error = std::strerror(errno);
    return WriteStatus::failed;
  }
  return WriteStatus::ok;
}

// "/dev/stdout", "/dev/fd/N", "/proc/self/fd/N": a descriptor this process already holds.
// It is written as it is, whatever it leads to (a shell's `>>` keeps appending), never
// reopened or replaced.
std::optional<int> descriptor_named_by(const std::string& path) {
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.rfind(prefix, 0) != 0) continue;
    const std::string digits = path.substr(prefix.size());
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoi(digits);
  }
  return std::nullopt;
}

WriteStatus write_descriptor(int fd, std::string_view bytes, std::string& error) {
  if (fd == STDOUT_FILENO && !flush_stdout(error)) return WriteStatus::failed;
  return write_all(fd, bytes, error) ? WriteStatus::ok : WriteStatus::failed;
}

}  // namespace

std::optional<std::string> output_directory_problem(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::nullopt;
    return dir + " is not a directory";
  }
  if (errno == ENOENT) return "directory " + dir + " does not exist";
  if (errno == ENOTDIR) return "directory " + dir + " does not exist (a part of its path is a file)";
  return "directory " + dir + ": " + std::strerror(errno);
}

std::optional<std::string> make_output_directory(const std::string& dir) {
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);  // errors: said below, as for any directory
  return output_directory_problem(dir);
}

bool is_binary_output(std::string_view bytes) {
  // DER: a SEQUENCE (0x30) with a long-form or indefinite length, as every CMS profile has.
  return bytes.substr(0, 6) == "bplist" ||
         (bytes.size() > 1 && static_cast<unsigned char>(bytes[0]) == 0x30 && static_cast<unsigned char>(bytes[1]) >= 0x80);
}

bool is_implicit_terminal(const std::string& path) {
  if (path == "-" || path.empty()) return false;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return false;
  // Opened only to ask; O_NOCTTY: never becomes the controlling terminal.
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  return fd.valid() && ::isatty(fd.get()) == 1;
}

WriteStatus write_output(const std::string& path, std::string_view bytes, std::string& error, const WriteOptions& options) {
  if (path == "-") return write_descriptor(STDOUT_FILENO, bytes, error);
  if (path.empty()) {
    error = "no file name";
    return WriteStatus::failed;
  }
  if (options.inputs && options.inputs->is_input(path)) return WriteStatus::is_input;
  if (is_binary_output(bytes) && is_implicit_terminal(path)) {
    error = "refusing to write binary output to a terminal";
    return WriteStatus::terminal;
  }
  if (auto fd = descriptor_named_by(path)) return write_descriptor(*fd, bytes, error);
  struct stat st {};
  const bool found = ::stat(path.c_str(), &st) == 0;
  const int stat_errno = found ? 0 : errno;
  if (found && S_ISDIR(st.st_mode)) {
    error = "is a directory";
    return WriteStatus::failed;
  }
  if (path.back() == '/') {
    error = "a name ending in / names a directory";
    return WriteStatus::failed;
  }
  if (options.existing == Existing::keep) {  // whatever is there stays; the rename says so
    return replace_file(path, bytes, options.holds_secret ? 0600 : 0666 & ~process_umask, options, error);
  }
  if (found && !S_ISREG(st.st_mode)) return write_in_place(path, bytes, options, error);
  if (!found && stat_errno != ENOENT && stat_errno != ENOTDIR) {
    error = std::strerror(stat_errno);
    return WriteStatus::failed;
  }
  const std::string target = final_link_target(path);
  mode_t mode = options.holds_secret ? 0600 : 0666 & ~process_umask;
  if (found) {
    struct stat named {};
    if (::lstat(target.c_str(), &named) != 0 || named.st_dev != st.st_dev || named.st_ino != st.st_ino) {
      error = "cannot tell which file name the link leads to";  // /proc/self/fd/N of a deleted file
      return WriteStatus::failed;
    }
    mode = st.st_mode & (options.holds_secret ? 0600 : 0777);  // keep the replaced file's mode, or narrow it
  }
  return replace_file(target, bytes, mode, options, error);
}

bool sync_directory(const std::string& dir, std::string& error) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::syncfs(fd.get()) != 0) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

int write_profile(const std::string& output, std::string_view bytes, bool secret, const InputFiles& inputs,
                  Diagnostics& diags) {
  WriteOptions options;
  options.holds_secret = secret;
  options.inputs = &inputs;
  std::string error;
  switch (write_output(output, bytes, error, options)) {
    case WriteStatus::ok: return kOk;
    case WriteStatus::is_input: diags.add(msg::output_is_input(output)); return kUsageError;
    case WriteStatus::terminal: diags.add(msg::binary_to_terminal(output)); return kUsageError;
    default: diags.add(msg::cannot_write(display_output_name(output), error)); return kInputError;
  }
}

}  // namespace mcc::cli
