// SPDX-License-Identifier: Apache-2.0
#include "base/text_arena.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace mcc {

const char* TextArena::store(std::initializer_list<std::string_view> parts) {
  std::size_t size = 1;
  for (std::string_view p : parts) size += p.size();
  char* out;
  if (size > kBlock / 8) {
    // A long text gets a block of its own; the current block stays in use for short ones.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    out = blocks_.back().get();
    capacity_ += size;
  } else {
    if (size > left_) {
      // Blocks grow from 1 KB: an arena that keeps one object's strings (a scanner's, for a
      // file of one object) takes 1 KB, not 64.
      const std::size_t block = std::min(kBlock, std::max(kFirstBlock, capacity_));
      const std::size_t bytes = std::max(block, size);
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
      next_ = blocks_.back().get();
      left_ = bytes;
      capacity_ += bytes;
    }
    out = next_;
    next_ += size;
    left_ -= size;
  }
  char* at = out;
  for (std::string_view p : parts) {
    if (!p.empty()) std::memcpy(at, p.data(), p.size());
    at += p.size();
  }
  *at = '\0';
  return out;
}

void TextArena::absorb(TextArena&& other) {
  if (&other == this) return;
  // Only owned here: new texts go on where next_ points, whatever the blocks' order.
  blocks_.insert(blocks_.end(), std::make_move_iterator(other.blocks_.begin()),
                 std::make_move_iterator(other.blocks_.end()));
  capacity_ += other.capacity_;
  other = TextArena();
}

}  // namespace mcc
