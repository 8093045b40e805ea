#include "cli/diagnostics_printer.hpp"

#include "base/messages.hpp"

namespace mcc::cli {

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
  for (const auto& d : diags.items()) out << format_for_command_line(d) << '\n';
}

}  // namespace mcc::cli
