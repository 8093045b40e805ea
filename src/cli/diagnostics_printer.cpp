// SPDX-License-Identifier: Apache-2.0
#include "cli/diagnostics_printer.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <streambuf>
#include <string>

#include "base/messages.hpp"
#include "cli/json_report.hpp"

namespace mcc::cli {
namespace {

std::atomic<std::size_t> g_warnings{0};

// The severity word's colour, as gcc and clang show it; notes stay plain.
const char* colour_of(Severity s) {
  switch (s) {
    case Severity::error: return "\033[1;31m";
    case Severity::warning: return "\033[1;35m";
    case Severity::note: return nullptr;
  }
  return nullptr;
}

std::string coloured(const Diagnostic& d, std::string line) {
  const char* colour = colour_of(d.severity);
  if (colour == nullptr) return line;
  // The severity follows "file: " and "pointer: " (each escaped as format_diagnostic does).
  std::size_t at = 0;
  if (!d.file.empty()) at += escape_for_display(d.file).size() + 2;
  if (!d.pointer.empty()) at += escape_for_display(d.pointer).size() + 2;
  const std::size_t word = d.severity == Severity::error ? 5 : 7;  // "error", "warning"
  if (at + word > line.size()) return line;
  line.insert(at + word, "\033[0m");
  line.insert(at, colour);
  return line;
}

class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

}  // namespace

ReportPolicy& report_policy() {
  static ReportPolicy policy;
  return policy;
}

bool colour_wanted(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return ::isatty(fd) == 1;
}

std::string command_line_hint(const Diagnostic& d) {
  namespace arg = msg::argument;
  const std::string& a = d.argument;
  const std::string& value = d.argument_value;
  if (a == arg::type) return " with --type";
  if (a == arg::var) return " (give it a value with --var " + value + "=...)";
  if (a == arg::scep_challenge)
    return "; give one with --scep-challenge" + (value.empty() ? std::string() : " or --var " + value + "=...");
  if (a == arg::scep_url_index) return " (choose another with --scep-url-index)";
  if (a == arg::vpn_subtype) return " (chosen with --vpn-subtype)";
  if (a == arg::link) return " (given with --link)";
  if (a == arg::passphrase)
    return "; set MOBILECONFIGC_SIGN_PASSPHRASE, use --sign-passphrase-file, or run on a terminal to be asked";
  if (a == arg::sign_chain) return " with --sign-chain";
  if (a == arg::platform) return " (give --platform)";
  if (a == arg::warnings_as_errors) return " (--warnings-as-errors)";
  if (a == arg::identity)
    return "; give --identity-p12 FILE (its passphrase from MOBILECONFIGC_IDENTITY_PASSPHRASE, "
           "--identity-passphrase-file or a prompt) or --issue-identity --lab-ca CA.pem --lab-ca-key CA.key";
  return "";
}

std::string format_for_command_line(const Diagnostic& d) {
  std::string hint = command_line_hint(d);
  if (hint.empty()) return format_diagnostic(d);
  Diagnostic shown = d;
  shown.message += hint;  // escaped with the message: a variable's name is input text
  return format_diagnostic(shown);
}

void print_diagnostics(std::ostream& out, const Diagnostics& diags) {
  const ReportPolicy& policy = report_policy();
  const bool colour = policy.colour && &out == &std::cerr;
  // One write for them all: std::cerr is unbuffered, and a line written in two pieces was
  // two system calls (a batch of 1,000 generated profiles made ~5,000 of them).
  std::string text;
  for (const auto& d : diags.items()) {
    if (d.severity == Severity::warning) ++g_warnings;
    if (policy.json) {
      collect_for_json(d);
      continue;
    }
    if (policy.quiet && d.severity != Severity::error) continue;
    const std::string line = format_for_command_line(d);
    text += colour ? coloured(d, line) : line;
    text += '\n';
  }
  if (!text.empty()) out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

std::size_t warnings_reported() { return g_warnings.load(); }

std::ostream& status_stream() {
  static NullBuffer nothing;
  static std::ostream silent(&nothing);
  return report_policy().quiet || report_policy().json ? silent : std::cerr;
}

int apply_warnings_as_errors(int code) {
  if (code != kOk || !report_policy().warnings_as_errors || warnings_reported() == 0) return code;
  Diagnostics diags;
  diags.add(msg::warnings_as_errors(warnings_reported()));
  print_diagnostics(std::cerr, diags);
  return kInputError;
}

}  // namespace mcc::cli
