// SPDX-License-Identifier: Apache-2.0
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/app_shell.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/encrypt_commands.hpp"
#include "cli/io.hpp"
#include "cli/sign_commands.hpp"
#include "cli/signed_content.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/compile.hpp"

namespace {

std::unique_ptr<CLI::App> make_app(int& exit_code) {
  // Named, not argv[0]: the usage lines (and the man pages made from them) say "mobileconfigc".
  auto app = std::make_unique<CLI::App>(
      "mobileconfigc: compile Microsoft Graph (Intune) device configuration JSON into Apple configuration profiles",
      "mobileconfigc");
  mcc::cli::set_help_format(*app);
  app->set_version_flag("--version", std::string("mobileconfigc ") + mcc::version());
  app->require_subcommand(1);
  app->fallthrough(false);
  mcc::cli::register_compile_command(*app, exit_code);
  mcc::cli::register_sign_commands(*app, exit_code);
  mcc::cli::register_inspect_command(*app, exit_code);
  mcc::cli::register_unsign_command(*app, exit_code);
  mcc::cli::register_encrypt_commands(*app, exit_code);
  mcc::cli::register_table_commands(*app, exit_code);
  mcc::cli::register_validate_command(*app, exit_code);
  mcc::cli::register_decompile_command(*app, exit_code);
  mcc::cli::add_report_options(*app);
  mcc::cli::register_shell_commands(*app, exit_code);
  return app;
}

int run(int argc, char** argv) {
  int exit_code = mcc::cli::kOk;
  // Only the command being run gets its options (a fresh process spent a good part of its
  // start-up registering the others'), unless the command line could reach another.
  mcc::cli::select_commands(argc, argv);
  std::unique_ptr<CLI::App> owned = make_app(exit_code);
  if (!mcc::cli::selection_holds(*owned, argc, argv)) {
    mcc::cli::select_all_commands();
    owned = make_app(exit_code);
  }
  CLI::App& app = *owned;
  mcc::cli::report_policy().colour = mcc::cli::colour_wanted(STDERR_FILENO);
  if (mcc::cli::reject_unknown_subcommand(app, argc, argv)) return mcc::cli::kUsageError;
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return mcc::cli::kUsageError;
  }
  return mcc::cli::apply_warnings_as_errors(exit_code);
}

}  // namespace

int main(int argc, char** argv) {
  mcc::cli::check_stdout_writes();
  int exit_code = run(argc, argv);
  // A report that did not reach standard output (a full disk, a closed descriptor) is a
  // failure, whichever command printed it.
  if (std::string error; !mcc::cli::flush_stdout(error)) {
    mcc::Diagnostics diags;
    diags.add(mcc::msg::cannot_write(mcc::cli::display_output_name("-"), error));
    mcc::cli::print_diagnostics(std::cerr, diags);
    if (exit_code == mcc::cli::kOk) exit_code = mcc::cli::kInputError;
  }
  return exit_code;
}
