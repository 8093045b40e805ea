// SPDX-License-Identifier: Apache-2.0
#pragma once
// The file names a batch writes, one per job and never the same twice: "<stem>.mobileconfig",
// or, for a later object with a stem already taken, "<stem>-N.mobileconfig" (N from 2). A
// name is kept as its number: it is spelt again from its object's stem when it is needed, so
// a batch of 100,000 objects names them in ~20 bytes each, not ~110 (a string and a set node).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mcc::cli {

class OutputNames {
 public:
  /// `stem_of(job)`: the stem of job `job`'s object, the same each time it is asked.
  explicit OutputNames(std::function<std::string(std::size_t job)> stem_of);

  /// Names the next job (jobs are named in order, from 0) after `stem`, its object's.
  void add(const std::string& stem);
  [[nodiscard]] std::size_t size() const { return suffixes_.size(); }
  /// Job `job`'s file name.
  [[nodiscard]] std::string name(std::size_t job) const;
  /// Once every job is named: lets go of what only naming needs.
  void seal();

 private:
  [[nodiscard]] std::string spell(const std::string& stem, std::uint32_t suffix) const;
  [[nodiscard]] bool taken(const std::string& name, std::uint32_t hash) const;
  void insert(std::uint32_t hash, std::size_t job);

  std::function<std::string(std::size_t)> stem_of_;
  std::deque<std::uint32_t> suffixes_;  // by job: 0, or the N of "-N"
  // Names taken, by open addressing: the name's hash in the high half, job + 1 in the low
  // half; 0 is a free slot. At most three quarters full.
  std::vector<std::uint64_t> slots_;
  std::unordered_map<std::string, std::uint32_t> last_suffix_;  // stem -> the last N it got (stems taken twice or more)
};

}  // namespace mcc::cli
