// SPDX-License-Identifier: Apache-2.0
#include "cli/batch_inputs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "cli/io.hpp"
#include "mobileconfigc/batch.hpp"
#include "base/messages.hpp"
#include "read/encoding.hpp"
#include "read/reader.hpp"

namespace mcc::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kChunk = 64 * 1024;
constexpr const char* kChanged = "the file changed while the batch ran";

// A file descriptor, closed when it goes unless borrowed (standard input).
class Descriptor {
 public:
  Descriptor(int fd, bool owned) : fd_(fd), owned_(owned) {}
  Descriptor(Descriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)), owned_(other.owned_) {}
  Descriptor& operator=(Descriptor&&) = delete;
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

// Up to `length` bytes at `offset` (fewer at the end of the file). False with `error` set.
bool read_at(int fd, std::size_t offset, std::size_t length, std::string& out, std::string& error) {
  out.resize(length);
  std::size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return true;
}

// The whole file from its start, or its first `limit` + 1 bytes when it is larger.
bool read_whole(int fd, std::size_t limit, std::string& out, std::string& error) {
  out.clear();
  for (std::string piece; out.size() <= limit; out += piece) {
    if (!read_at(fd, out.size(), kChunk, piece, error)) return false;
    if (piece.empty()) break;
  }
  return true;
}

// A regular input opened again in pass 2, if it is still the file pass 1 read.
std::optional<Descriptor> reopen(const std::string& path, const InputSource& source, std::string& error) {
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC), true);
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (file_fingerprint(st) != source.fingerprint) {
    error = kChanged;
    return std::nullopt;
  }
  return fd;
}

static_assert(sizeof(InputSource) <= 16);

}  // namespace

std::uint64_t file_fingerprint(const struct stat& st) {
  // Each field folded in with splitmix64's finalizer, which spreads every bit of its input
  // over the whole word.
  auto mix = [](std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  const std::uint64_t mtime_ns = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000ULL +
                                 static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (std::uint64_t field : {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                              static_cast<std::uint64_t>(st.st_size), mtime_ns})
    h = mix(h ^ field);
  return h;
}

ScannedInput scan_input(const Compiler& compiler, const BatchPlan& plan, const CompileOptions& options,
                        const std::string& path, InputFiles& inputs, const read::ReadLimits& limits) {
  ScannedInput s;
  const std::string name = display_name(path);
  const bool is_stdin = path == "-";
  Descriptor fd(is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC), !is_stdin);
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
    s.read_error = std::strerror(errno);
    return s;
  }
  if (S_ISDIR(st.st_mode)) {
    s.read_error = "is a directory";
    return s;
  }
  inputs.add_opened(path, st);
  s.source.fingerprint = file_fingerprint(st);
  const bool regular = S_ISREG(st.st_mode) && !is_stdin;  // can be read again
  const auto size = static_cast<std::size_t>(st.st_size);
  // A regular file is streamed: it is held one value at a time, and may be larger than what
  // is read whole.
  if (regular && size > limits.max_stream_bytes) {
    s.diags.add(msg::too_large(name, read::size_limit_reason(size, limits.max_stream_bytes)));
    return s;
  }

  InputScanner scanner = plan.scanner(name);
  scanner.set_limits({limits.max_bytes, limits.max_stream_bytes});
  std::string kept;  // all of an input that cannot be read again
  // Not zero-filled: 64 KB of memset per input was 5 % of a batch of small files, and only
  // the pages a read fills are touched.
  auto buffer = std::make_unique_for_overwrite<char[]>(kChunk);
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.get(), kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      s.read_error = std::strerror(errno);
      return s;
    }
    if (n == 0) break;
    std::string_view piece(buffer.get(), static_cast<std::size_t>(n));
    if (!regular) {
      if (kept.size() + piece.size() > limits.max_bytes) {
        s.diags.add(msg::too_large(name, read::size_limit_reason(limits.max_bytes, limits, /*more=*/true)));
        return s;
      }
      kept.append(piece);
    }
    if (!scanner.declined()) scanner.feed(piece);
    else if (regular) break;  // read whole below
  }
  if (scanner.finish(s.objects, s.diags)) {
    if (regular) {
      s.source.kind = InputSource::Kind::spans;
      s.source.text_offset = static_cast<std::uint8_t>(scanner.text_offset());  // 3 at most: a byte order mark
    } else {
      kept.erase(0, scanner.text_offset());
      s.text = std::move(kept);
    }
    return s;
  }

  // Not split as it came (UTF-16, not valid, or a value larger than what may be held): scanned
  // whole, which says why, or splits it; larger than what is read whole, refused as it was
  // before it was read.
  if (regular) {
    if (size > limits.max_bytes) {
      s.diags.add(msg::too_large(name, read::size_limit_reason(size, limits)));
      return s;
    }
    std::string error;
    if (!read_whole(fd.get(), limits.max_bytes, kept, error)) {
      s.read_error = error;
      return s;
    }
    if (kept.size() > limits.max_bytes) {  // it grew since
      s.diags.add(msg::too_large(name, read::size_limit_reason(limits.max_bytes, limits, /*more=*/true)));
      return s;
    }
  }
  s.objects = ScannedObjects(compiler.scan({name, kept}, options, s.diags));
  if (s.objects.empty()) return s;
  std::string decoded, error;
  auto text = read::to_utf8(kept, decoded, error);  // it was read, so it decodes
  bool utf8 = text && text->data() != decoded.data();
  std::size_t offset = utf8 ? static_cast<std::size_t>(text->data() - kept.data()) : 0;
  if (regular) {
    s.source.kind = utf8 ? InputSource::Kind::spans : InputSource::Kind::decoded;
    s.source.text_offset = static_cast<std::uint8_t>(offset);  // 3 at most: a byte order mark
  } else {
    s.text = utf8 ? kept.substr(offset) : std::move(decoded);
  }
  return s;
}

void ObjectTexts::add(const InputSource& source, std::string text, std::size_t jobs) {
  sources_.push_back(source);
  // A file read again at its spans needs nothing held: no lock, no text (~130 bytes a
  // file in a batch of 100,000); nor does an input no job asks for.
  if (source.kind == InputSource::Kind::spans || jobs == 0) return;
  auto& held = *(held_[sources_.size() - 1] = std::make_unique<Held>());
  held.jobs_left = jobs;
  if (source.kind != InputSource::Kind::memory) return;
  held.loaded = true;
  held.text = std::move(text);
}

std::optional<std::string> ObjectTexts::text(std::size_t file, const std::string& path, const TextSpan& span,
                                             std::string& error) {
  const InputSource& source = sources_[file];
  std::string out;
  if (source.kind == InputSource::Kind::spans) {
    auto fd = reopen(path, source, error);
    if (!fd || !read_at(fd->get(), source.text_offset + span.offset, span.length, out, error)) return std::nullopt;
    if (out.size() == span.length) return out;
    error = kChanged;
    return std::nullopt;
  }
  Held& held = *held_.at(file);
  std::lock_guard lock(held.mutex);
  if (!held.loaded) {  // a file that is not UTF-8: decoded once for all its jobs
    held.loaded = true;
    std::string bytes, decoded;
    auto fd = reopen(path, source, held.error);
    if (fd && read_whole(fd->get(), read::ReadLimits{}.max_bytes, bytes, held.error)) {
      if (auto text = read::to_utf8(bytes, decoded, held.error)) held.text = *text;
    }
    if (held.error.empty() && held.text.empty()) held.error = kChanged;
  }
  if (!held.error.empty()) {
    error = held.error;
    return std::nullopt;
  }
  if (span.offset + span.length > held.text.size()) {
    error = kChanged;
    return std::nullopt;
  }
  return held.text.substr(span.offset, span.length);
}

void ObjectTexts::done(std::size_t file) {
  auto it = held_.find(file);
  if (it == held_.end()) return;  // read at its spans: nothing held
  Held& held = *it->second;
  std::lock_guard lock(held.mutex);
  if (held.jobs_left > 0 && --held.jobs_left == 0) held.text = std::string();
}


}  // namespace mcc::cli
