#include "mobileconfigc/diagnostic.hpp"

#include <algorithm>

namespace mcc {

bool Diagnostics::has_errors() const { return count(Severity::error) > 0; }

std::size_t Diagnostics::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) out += d.file + ": ";
  if (!d.pointer.empty()) out += d.pointer + ": ";
  switch (d.severity) {
    case Severity::error: out += "error "; break;
    case Severity::warning: out += "warning "; break;
    case Severity::note: out += "note "; break;
  }
  out += d.code + ": " + d.message;
  return out;
}

}  // namespace mcc
