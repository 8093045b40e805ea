#pragma once
// File input and atomic output for the command line.

#include <optional>
#include <string>

namespace mcc::cli {

/// Registers a temporary file for removal if SIGINT, SIGTERM or SIGHUP arrives before the
/// guard is destroyed (the signal then terminates the process as it would have). Used by
/// write_atomic; at most 64 at once, further ones are simply not registered.
class TempFileGuard {
 public:
  explicit TempFileGuard(const std::string& path);
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

 private:
  int slot_ = -1;
};

/// A file's size and modification time as read: equal stamps mean (for our purposes) the
/// same content.
struct FileStamp {
  long long size = -1;
  long long mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

/// Reads a whole file, or standard input for "-". On failure returns nullopt and sets `error`.
/// `stamp`, when given, receives the file's stamp (left as is for standard input).
std::optional<std::string> read_input(const std::string& path, std::string& error, FileStamp* stamp = nullptr);

/// Whether write_atomic flushes the file to disk before renaming it into place. A batch
/// writes many files without waiting for each and calls sync_directory() once at the end.
enum class Flush { each_file, by_caller };

/// Whether write_atomic may replace an existing file. `keep` fails with EEXIST ("file
/// exists") in the same step that puts the file in place, so no file appearing in between
/// is ever overwritten.
enum class Existing { replace, keep };

/// Writes through a temporary file in the target directory and renames it into place,
/// so a reader never sees a partial file and a failure or interrupt never touches an
/// existing one. "-" writes to standard output. With Existing::keep an existing target
/// is an error, and `exists` (when given) is set.
bool write_atomic(const std::string& path, const std::string& bytes, std::string& error, Flush flush = Flush::each_file,
                  Existing existing = Existing::replace, bool* exists = nullptr);

/// Flushes everything written to the file system holding `dir` (syncfs). False and
/// `error` set on failure.
bool sync_directory(const std::string& dir, std::string& error);

/// True when both names refer to the same existing file.
bool same_file(const std::string& a, const std::string& b);

/// The name shown in diagnostics for an input path ("<stdin>" for "-").
std::string display_name(const std::string& path);

}  // namespace mcc::cli
