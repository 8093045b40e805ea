// SPDX-License-Identifier: Apache-2.0
#include "base/repeat_limit.hpp"

#include <algorithm>

#include "base/messages.hpp"

namespace mcc {

void RepeatLimit::add(Diagnostics& diags, Diagnostic d) {
  if (added_ < shown_) {
    ++added_;
    diags.add(std::move(d));
    return;
  }
  ++hidden_;
  worst_ = std::max(worst_, d.severity);
  ++hidden_by_code_[d.code];
}

void RepeatLimit::add_all(Diagnostics& diags, const Diagnostics& found) {
  for (const auto& d : found.items()) add(diags, d);
}

void RepeatLimit::finish(Diagnostics& diags, const std::string& file) {
  if (hidden_ > 0) diags.add(msg::findings_not_shown(file, worst_, hidden_, added_, hidden_by_code_));
  added_ = hidden_ = 0;
  worst_ = Severity::note;
  hidden_by_code_.clear();
}

}  // namespace mcc
