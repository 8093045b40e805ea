// SPDX-License-Identifier: Apache-2.0
#pragma once
// Findings about the values of one input, shown up to a limit and counted past it: a list of
// a million values that are not Graph objects reports a hundred of them and one line with the
// count, rather than holding and printing a million findings.

#include <cstddef>
#include <map>
#include <string>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc {

class RepeatLimit {
 public:
  /// How many findings of one input are shown before the rest are counted.
  static constexpr std::size_t kShown = 100;

  explicit RepeatLimit(std::size_t shown = kShown) : shown_(shown) {}

  /// Adds `d` to `diags` while fewer than the limit were added through this one; else counts it.
  void add(Diagnostics& diags, Diagnostic d);
  /// Each finding of `found`, as add() does.
  void add_all(Diagnostics& diags, const Diagnostics& found);
  /// Adds the finding that says how many were counted and not shown, when any were (MCC-R011,
  /// about `file`, as severe as the most severe of them), and starts counting again.
  void finish(Diagnostics& diags, const std::string& file);

 private:
  std::size_t shown_;
  std::size_t added_ = 0;
  std::size_t hidden_ = 0;
  Severity worst_ = Severity::note;
  std::map<std::string, std::size_t> hidden_by_code_;
};

}  // namespace mcc
