// SPDX-License-Identifier: Apache-2.0
#include "cli/output_names.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace mcc::cli {
namespace {

constexpr std::string_view kExtension = ".mobileconfig";

std::uint32_t hash_of(std::string_view name) {
  const std::size_t h = std::hash<std::string_view>{}(name);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

OutputNames::OutputNames(std::function<std::string(std::size_t)> stem_of) : stem_of_(std::move(stem_of)) {}

std::string OutputNames::spell(const std::string& stem, std::uint32_t suffix) const {
  std::string name = stem;
  if (suffix != 0) name.append("-").append(std::to_string(suffix));
  name += kExtension;
  return name;
}

std::string OutputNames::name(std::size_t job) const { return spell(stem_of_(job), suffixes_[job]); }

bool OutputNames::taken(const std::string& name, std::uint32_t hash) const {
  if (slots_.empty()) return false;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask; slots_[at] != 0; at = (at + 1) & mask)
    if (static_cast<std::uint32_t>(slots_[at] >> 32) == hash && this->name((slots_[at] & 0xffffffffu) - 1) == name)
      return true;
  return false;
}

void OutputNames::insert(std::uint32_t hash, std::size_t job) {
  if (job >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("too many outputs");
  // At most three quarters full: a probe compares 32-bit hashes, so the longer runs cost
  // little, and 100,000 names take 1 MB of slots rather than 2.
  if (4 * (suffixes_.size() + 1) > 3 * slots_.size()) {
    // Grown by placing each entry again by the hash it holds: no name is spelt again.
    const std::size_t grown = std::max<std::size_t>(64, 2 * slots_.size());
    std::vector<std::uint64_t> old = std::exchange(slots_, std::vector<std::uint64_t>(grown));
    const std::size_t mask = slots_.size() - 1;
    for (std::uint64_t slot : old) {
      if (slot == 0) continue;
      std::size_t at = (slot >> 32) & mask;
      while (slots_[at] != 0) at = (at + 1) & mask;
      slots_[at] = slot;
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash & mask;
  while (slots_[at] != 0) at = (at + 1) & mask;
  slots_[at] = (std::uint64_t{hash} << 32) | (job + 1);
}

void OutputNames::add(const std::string& stem) {
  const std::size_t job = suffixes_.size();
  std::uint32_t suffix = 0;
  std::string name = spell(stem, 0);
  std::uint32_t hash = hash_of(name);
  if (taken(name, hash)) {
    // Numbering resumes after the last number this stem got: names are never freed, so the
    // name is the same as counting from 2, without counting again for each namesake.
    std::uint32_t& last = last_suffix_[stem];
    for (suffix = std::max<std::uint32_t>(last, 1) + 1;; ++suffix) {
      name = spell(stem, suffix);
      hash = hash_of(name);
      if (!taken(name, hash)) break;
    }
    last = suffix;
  }
  suffixes_.push_back(suffix);
  insert(hash, job);
}

void OutputNames::seal() {
  slots_ = {};
  last_suffix_ = {};
}

}  // namespace mcc::cli
