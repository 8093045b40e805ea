// SPDX-License-Identifier: Apache-2.0
#include "cli/signed_content.hpp"

#include <iostream>
#include <memory>

#include "cli/app_shell.hpp"
#include "base/messages.hpp"
#include "cli/diagnostics_printer.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/secrets.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {
namespace {

struct UnsignArgs {
  std::string input;
  std::string output;
};

// The content is written only when the signature matches it: a profile changed after signing
// is refused (MCC-S011), as Apple's tools refuse it. Trust is not checked — the point is to
// read a profile whatever signed it; `verify` checks trust.
int run_unsign(const UnsignArgs& a) {
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  const std::string name = display_name(a.input);
  InputFiles inputs;
  inputs.add_path(a.input);
  if (inputs.is_input(a.output)) {
    diags.add(msg::output_is_input(a.output));
    return finish(kUsageError);
  }
  ReadError read_error;
  ReadOptions read_options;
  read_options.inputs = &inputs;
  auto bytes = read_input(a.input, read_error, read_options);
  if (!bytes) {
    diags.add(read_failure(a.input, read_error));
    return finish(kInputError);
  }
  if (!looks_like_cms(*bytes)) {
    if (parse_plist(*bytes, name, diags)) diags.add(msg::profile_not_signed(name, /*required=*/true));
    return finish(kInputError);
  }
  VerifyOptions options;
  options.system_trust = false;
  VerifyResult r = verify_profile(*bytes, name, options, diags);
  if (!r.valid() || diags.has_errors()) return finish(kInputError);
  const int code = write_signed_content(name, r.content, a.output, inputs, diags);
  if (code == kOk && a.output != "-")
    status_stream() << "wrote " << a.output << " (the content signed by "
                    << (r.chain.empty() ? std::string("an unknown signer") : r.chain.front().subject)
                    << "; signature intact, trust not checked)\n";
  return finish(code);
}

}  // namespace

int write_signed_content(const std::string& name, const std::string& content, const std::string& output,
                         const InputFiles& inputs, Diagnostics& diags) {
  Diagnostics parsed;
  auto root = parse_plist(content, name, parsed);
  // Content that does not parse here was signed all the same: written as it is, kept private.
  return write_profile(output, content, !root || holds_secret(*root), inputs, diags);
}

void register_unsign_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<UnsignArgs>();
  CLI::App* u = app.add_subcommand("unsign", "Write the profile a signed profile holds, byte for byte, as security cms -D does");
  if (!registers_in_full(*u)) return;
  u->add_option("profile", args->input, "Signed profile (- for standard input)")->required();
  u->add_option("-o,--output", args->output, "The unsigned profile (- for standard output)")->required();
  u->callback([args, &exit_code] { exit_code = run_unsign(*args); });
}

}  // namespace mcc::cli
