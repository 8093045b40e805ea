// SPDX-License-Identifier: Apache-2.0
#pragma once
// Many small strings kept for a long time (the ids, names and paths of a batch's 100,000
// objects), stored end to end in large blocks: a std::string each would cost its 32 bytes
// plus an allocation, about twice the text itself.

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace mcc {

class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&&) noexcept = default;
  TextArena& operator=(TextArena&&) noexcept = default;
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;

  /// A copy of `parts`, end to end, followed by a NUL (so that a stored path can be opened);
  /// it stays where it is until the arena goes. Returns its first byte.
  const char* store(std::initializer_list<std::string_view> parts);
  /// A copy of `text` (followed by a NUL).
  std::string_view store(std::string_view text) { return {store({text}), text.size()}; }

  /// Takes `other`'s blocks (what it stored stays where it is, now this arena's); `other`
  /// is left empty.
  void absorb(TextArena&& other);

  /// Bytes taken from the system, for tests and measurements.
  [[nodiscard]] std::size_t capacity() const { return capacity_; }

 private:
  static constexpr std::size_t kFirstBlock = 1024;
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;  // free space in the last ordinary block
  std::size_t left_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace mcc
