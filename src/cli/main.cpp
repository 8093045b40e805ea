#include <iostream>

#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/sign_commands.hpp"
#include "mobileconfigc/compile.hpp"

int main(int argc, char** argv) {
  CLI::App app{"mobileconfigc: compile Microsoft Graph (Intune) device configuration JSON into Apple configuration profiles"};
  app.set_version_flag("--version", std::string("mobileconfigc ") + mcc::version());
  app.require_subcommand(1);
  app.fallthrough(false);
  int exit_code = mcc::cli::kOk;
  mcc::cli::register_compile_command(app, exit_code);
  mcc::cli::register_sign_commands(app, exit_code);
  mcc::cli::register_table_commands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return mcc::cli::kUsageError;
  }
  return exit_code;
}
