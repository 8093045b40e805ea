// SPDX-License-Identifier: Apache-2.0
#pragma once
// The subcommands; each registers its options on the app and runs when chosen.

#include <CLI/CLI.hpp>

namespace mcc::cli {

/// Registers `compile`; `exit_code` receives the result when it runs.
void register_compile_command(CLI::App& app, int& exit_code);
/// Registers `explain`.
void register_table_commands(CLI::App& app, int& exit_code);
/// Registers `validate`.
void register_validate_command(CLI::App& app, int& exit_code);
/// Registers `inspect`.
void register_inspect_command(CLI::App& app, int& exit_code);
/// Registers `decompile`.
void register_decompile_command(CLI::App& app, int& exit_code);

}  // namespace mcc::cli
