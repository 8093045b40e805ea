#pragma once
// Printing diagnostics and mapping them to exit codes: the only place that does.

#include <ostream>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::cli {

/// The tool's exit codes.
enum ExitCode : int { kOk = 0, kInputError = 1, kUsageError = 2 };

void print_diagnostics(std::ostream& out, const Diagnostics& diags);
inline int exit_code_for(const Diagnostics& diags) { return diags.has_errors() ? kInputError : kOk; }

}  // namespace mcc::cli
