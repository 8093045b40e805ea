// SPDX-License-Identifier: Apache-2.0
#pragma once
// The inputs of `compile --out-dir`: each read once, in pass 1, and scanned as it arrives;
// in pass 2 each object's text is found again from the span pass 1 recorded.

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cli/io.hpp"
#include "mobileconfigc/batch.hpp"
#include "mobileconfigc/compile.hpp"
#include "read/reader.hpp"

namespace mcc::cli {

/// Which file an input was, and its size and modification time when pass 1 read it, as a
/// 64-bit digest: a file read again must be the same, unchanged. A digest, not the four
/// fields, because a batch keeps one per input (100,000 of them); a file that changed goes
/// unnoticed only if its digest stays the same, one chance in 2^64.
std::uint64_t file_fingerprint(const struct stat& st);

/// Where pass 2 finds an input's objects again.
struct InputSource {
  enum class Kind : unsigned char {
    spans,    // a regular UTF-8 file: each object's bytes are read again at its span
    decoded,  // a regular file that is not UTF-8: read and decoded again, once, while its jobs run
    memory,   // anything else (standard input, a pipe, a FIFO): its text, kept from pass 1
  };
  // 16 bytes: a batch keeps one per input (100,000 of them). The text of an input held in
  // memory travels beside it (ScannedInput::text).
  std::uint64_t fingerprint = 0;  // spans, decoded: file_fingerprint() of the file pass 1 read
  std::uint8_t text_offset = 0;   // spans: bytes before the text (a UTF-8 byte order mark)
  Kind kind = Kind::memory;
};

/// What pass 1 found in one input.
struct ScannedInput {
  std::optional<std::string> read_error;  // it could not be read (MCC-R001)
  Diagnostics diags;                      // what reading it reported
  ScannedObjects objects;
  InputSource source;
  std::string text;  // source.kind memory: the input's UTF-8 text
};

/// Reads one input once (one open, one read loop; "-" is standard input) and lists its
/// objects as they arrive, with the plan's scanner (which keeps them parsed while the plan's
/// budget lasts). A regular UTF-8 file is not kept: pass 2 reads an object that was not kept
/// parsed again at its span. Anything that cannot be read twice keeps its text. Only a file
/// that does not split into objects as it is read (UTF-16, invalid JSON) is read a second
/// time, whole. The opened file is noted in `inputs`, so that no output replaces it.
///
/// Sizes (MCC-R007 past them; `limits` for tests): a regular file that splits as it is read
/// is held one value at a time, at most limits.max_bytes (64 MiB) of it, and may be as large
/// as limits.max_stream_bytes (1 GiB); anything held whole (standard input, a pipe, a file
/// that is not UTF-8 or does not split) at most limits.max_bytes.
ScannedInput scan_input(const Compiler& compiler, const BatchPlan& plan, const CompileOptions& options,
                        const std::string& path, InputFiles& inputs, const read::ReadLimits& limits = {});

/// Each object's JSON text in pass 2, cut out of its input again. A text held in memory (a
/// pipe's, a decoded file's) is let go when the last job of its input is done.
class ObjectTexts {
 public:
  /// Adds the next input (numbered from 0): where its objects are found again, its text when
  /// it is held in memory (`source.kind` memory), and how many jobs will ask for its objects.
  /// Not thread-safe: every input is added before the first text().
  void add(const InputSource& source, std::string text, std::size_t jobs);

  /// The text of `span` in input `file` (at `path`), which add() said jobs would ask for;
  /// nothing, with `error` set, when it cannot be read or the file changed since pass 1.
  /// Thread-safe.
  std::optional<std::string> text(std::size_t file, const std::string& path, const TextSpan& span, std::string& error);
  /// One job of input `file` no longer needs it.
  void done(std::size_t file);

 private:
  struct Held {
    std::mutex mutex;
    bool loaded = false;
    std::string text;  // memory, or decoded once loaded
    std::string error;
    std::size_t jobs_left = 0;
  };
  std::deque<InputSource> sources_;
  // By input, for those not read at their spans (a pipe, a file that is not UTF-8): few.
  std::unordered_map<std::size_t, std::unique_ptr<Held>> held_;
};

}  // namespace mcc::cli
