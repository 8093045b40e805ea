#pragma once
// Printing diagnostics and mapping them to exit codes: the only place that does.

#include <ostream>
#include <string>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::cli {

/// The tool's exit codes.
enum ExitCode : int { kOk = 0, kInputError = 1, kUsageError = 2 };

/// What the command line adds to a diagnostic that names an option (Diagnostic::argument):
/// how to set it here ("with --type", "(give it a value with --var NAME=...)"); "" when none.
std::string command_line_hint(const Diagnostic& d);
/// The line the tool prints for `d`: format_diagnostic with the command-line hint appended.
std::string format_for_command_line(const Diagnostic& d);

void print_diagnostics(std::ostream& out, const Diagnostics& diags);
inline int exit_code_for(const Diagnostics& diags) { return diags.has_errors() ? kInputError : kOk; }

}  // namespace mcc::cli
