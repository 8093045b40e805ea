// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files for the command line: inputs read with a size limit, outputs written atomically
// (or in place, for devices and FIFOs), and the set of files a command reads, so that no
// output ever replaces one of them.

#include <sys/stat.h>
#include <sys/types.h>
#include <termios.h>

#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::cli {

/// The most bytes read from a Graph JSON, plist, certificate or --vars input: the read
/// stage's own limit, so a larger input is refused before it is read, not after.
inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;
/// The most bytes read from a key, PKCS#12, passphrase or SCEP challenge file.
inline constexpr std::size_t kMaxSecretBytes = std::size_t{1} << 20;

/// A file descriptor that closes itself. Move-only; a move leaves the source empty.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  /// Closes now; false (errno set) when close reports an error, which can mean lost data.
  bool close();

 private:
  int fd_ = -1;
};

/// The files one command reads (MCC-O002 refuses an output that would replace one): each
/// regular file by device and inode, so a symlink, a hard link or another spelling is
/// caught, and every path also by its spelling. Thread-safe, for a batch reading in parallel.
class InputFiles {
 public:
  /// Notes `path` before it is opened ("-": standard input when it is a regular file), so
  /// a command can refuse its output before reading, prompting or compiling anything.
  void add_path(const std::string& path);
  /// Notes an input as opened: `st` is what fstat said about it. read_input calls this.
  void add_opened(const std::string& path, const struct stat& st);
  /// Notes a directory whose files are read (--mappings): an existing file below it counts
  /// as an input.
  void add_tree(const std::string& dir);
  /// Room for `files` more regular files, so that a batch that knows its inputs notes them
  /// without a growing vector's slack (~0.5 MB of 100,000 files).
  void reserve(std::size_t files);

  /// True when writing `output` would replace one of the inputs (never for "-").
  [[nodiscard]] bool is_input(const std::string& output) const;

 private:
  mutable std::mutex mutex_;
  // Regular files by device and inode, sorted when first looked up after an addition: 16
  // bytes a file, where a set's node took ~64 (a batch notes 100,000 inputs).
  mutable std::vector<std::pair<dev_t, ino_t>> files_;
  mutable bool sorted_ = true;
  std::set<std::string> spellings_;
  std::vector<std::string> trees_;  // canonical
};

/// A file's size and modification time as read: equal stamps mean (for our purposes) the
/// same content.
struct FileStamp {
  long long size = -1;
  long long mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

/// Why read_input returned nothing.
struct ReadError {
  bool too_large = false;  // more than `limit` bytes: MCC-R007 rather than MCC-R001
  std::size_t limit = 0;
  std::string reason;  // "No such file or directory", "is a directory", "larger than 64 MiB"
};

struct ReadOptions {
  std::size_t limit = kMaxInputBytes;
  /// Key material: one buffer of `limit` bytes allocated up front, so no reallocation
  /// leaves a stray copy on the heap, and wiped when the read fails.
  bool secret = false;
  InputFiles* inputs = nullptr;  // notes the file as read
  FileStamp* stamp = nullptr;    // receives the file's stamp (left as is for standard input)
};

/// Reads a whole file, or standard input for "-": regular files, FIFOs, devices and pipes
/// alike, never more than `limit` + 1 bytes (a larger regular file is refused from its
/// size, without reading). On failure returns nullopt and sets `error`.
std::optional<std::string> read_input(const std::string& path, ReadError& error, const ReadOptions& options = {});
/// The same with the default limit, and the reason only.
std::optional<std::string> read_input(const std::string& path, std::string& error, FileStamp* stamp = nullptr);

/// The diagnostic for an input that could not be read: MCC-R007 when it is too large,
/// MCC-R001 otherwise, naming it as display_name() does.
Diagnostic read_failure(const std::string& path, const ReadError& error);

/// Whether write_output flushes a file to disk before renaming it into place. A batch
/// writes many files without waiting for each and calls sync_directory() once at the end.
enum class Flush { each_file, by_caller };

/// Whether write_output may replace an existing file. `keep` fails with WriteStatus::exists
/// in the same step that puts the file in place, so no file appearing in between is ever
/// overwritten; anything already at the path (a link, a device) counts as existing.
enum class Existing { replace, keep };

struct WriteOptions {
  Flush flush = Flush::each_file;
  Existing existing = Existing::replace;
  /// The content holds a secret: a new file is made 0600 whatever the umask, and a replaced
  /// file keeps its mode narrowed to its owner (never wider than 0600).
  bool holds_secret = false;
  /// Never replace one of these (WriteStatus::is_input).
  const InputFiles* inputs = nullptr;
};

enum class WriteStatus {
  ok,
  failed,    // `error` says why (MCC-O001)
  exists,    // Existing::keep and something is at the path
  is_input,  // the output is one of the command's inputs (MCC-O002)
  terminal,  // binary bytes, and the path is a terminal not named "-" (MCC-U001); nothing written
};

/// Writes an output. "-" is standard output; "/dev/stdout", "/dev/fd/N" and
/// "/proc/self/fd/N" are the descriptors this process holds, written as they are. A regular
/// file (also one named through symlinks, which stay) is replaced atomically: written to a
/// temporary file in its directory, flushed, given its mode (the old file's, else 0666 less
/// the umask) and renamed into place, so a reader never sees a partial file and a failure
/// or an interrupt never touches the old one. A FIFO, character device or socket is opened
/// and written in place; a directory is an error. Binary bytes (is_binary_output) are never
/// written to a terminal that is not "-" (WriteStatus::terminal).
WriteStatus write_output(const std::string& path, std::string_view bytes, std::string& error,
                         const WriteOptions& options = {});

/// write_output for a command's one output (a profile, signed or not), replacing an existing
/// file, 0600 when `secret`: 0 written; 2 (a usage error) when it is one of `inputs` or binary
/// bytes would go to a terminal; 1 when it cannot be written; `diags` says why.
int write_profile(const std::string& output, std::string_view bytes, bool secret, const InputFiles& inputs,
                  Diagnostics& diags);

/// Why `dir` cannot take outputs ("directory x does not exist", "x is not a directory"),
/// or nothing when it is a directory.
std::optional<std::string> output_directory_problem(const std::string& dir);

/// As `mkdir -p`: creates `dir` and its missing parents (mode 0777 less the umask), then
/// says what output_directory_problem says, or nothing when `dir` is a directory.
std::optional<std::string> make_output_directory(const std::string& dir);

/// True when `bytes` are not text a terminal can show: a binary property list or DER (a
/// signed or encrypted profile).
bool is_binary_output(std::string_view bytes);
/// True when writing `path` would write to a terminal without `-o -` having been given:
/// "/dev/stdout", "/dev/tty", "/dev/fd/1" and the like, when they are a terminal. Binary
/// output is refused there (MCC-U001); "-" is the explicit request and is never refused.
bool is_implicit_terminal(const std::string& path);

/// Flushes everything written to the file system holding `dir` (syncfs). False and
/// `error` set on failure.
bool sync_directory(const std::string& dir, std::string& error);

/// The name shown in diagnostics for an input path ("<stdin>" for "-").
std::string display_name(const std::string& path);
/// The name shown in diagnostics for an output path ("<stdout>" for "-").
std::string display_output_name(const std::string& path);

/// Puts std::cout on a buffer that writes with write(2) and remembers the first error,
/// which the standard buffers forget. main() calls it once, before any output.
void check_stdout_writes();
/// Flushes std::cout. False and `error` ("write error: ...") when anything written to
/// standard output was lost.
bool flush_stdout(std::string& error);

/// Registers a temporary file for removal if SIGINT, SIGTERM or SIGHUP arrives before the
/// guard is destroyed (the signal then terminates the process as it would have). write_output
/// registers each temporary file before it creates it; the table holds 512, twice the 256
/// jobs a batch may run. A guard that found no free slot registers nothing.
class TempFileGuard {
 public:
  explicit TempFileGuard(const std::string& path);
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

  [[nodiscard]] bool registered() const { return slot_ >= 0; }

 private:
  int slot_ = -1;
};

/// Puts terminal `fd` back to `saved` if SIGINT, SIGTERM or SIGHUP ends the process while
/// the guard lives: the passphrase prompt turns echo off, and an interrupt must not leave
/// the user typing blind. One at a time.
class TerminalGuard {
 public:
  TerminalGuard(int fd, const termios& saved);
  ~TerminalGuard();
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;
};

}  // namespace mcc::cli
