// SPDX-License-Identifier: Apache-2.0
#pragma once
// Printing diagnostics and mapping them to exit codes: the only place that does.

#include <cstddef>
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

/// Prints each finding on its own line (with --json: takes them into the JSON document instead).
void print_diagnostics(std::ostream& out, const Diagnostics& diags);
inline int exit_code_for(const Diagnostics& diags) { return diags.has_errors() ? kInputError : kOk; }

/// How reports reach the user, set once from the command line before a command runs.
struct ReportPolicy {
  bool quiet = false;               // --quiet: no warnings, notes or "wrote" lines; errors still print
  bool warnings_as_errors = false;  // --warnings-as-errors: a warning makes the exit status 1
  bool colour = false;              // the severity of warnings and errors in colour (stderr is a terminal, no NO_COLOR)
  bool json = false;                // --json: findings go into the JSON document (all of them, --quiet or not), no "wrote" lines
};
ReportPolicy& report_policy();

/// Whether `fd` is a terminal and the NO_COLOR convention (no-color.org: set and not empty)
/// does not ask for plain text.
bool colour_wanted(int fd);

/// How many warnings print_diagnostics was given (printed or silenced by --quiet).
std::size_t warnings_reported();

/// Where "wrote ..." and other progress lines go: standard error, or nowhere with --quiet or --json.
std::ostream& status_stream();

/// The exit status after --warnings-as-errors: `code`, or kInputError (and MCC-U003 on
/// standard error) when it was kOk and a warning was given.
int apply_warnings_as_errors(int code);

}  // namespace mcc::cli
