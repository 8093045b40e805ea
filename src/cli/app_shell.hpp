// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the command line offers around its subcommands: the help layout (also the man pages'
// text, through help2man), `help SUBCOMMAND`, git's answer to an unknown subcommand, and
// `completion bash|zsh|fish`, scripts generated from the live option definitions so they
// cannot drift from them.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace mcc::cli {

/// The help layout every subcommand inherits: option column wide enough that help2man
/// separates option and description, no Needs:/Excludes: clutter. Call before adding
/// subcommands (they copy the parent's formatter).
void set_help_format(CLI::App& app);

/// Which commands a command line registers in full, options and callback: CLI11 sets up an
/// option in time that grows with the options added before it, and a process runs one
/// command. The others are added by name and description only, all that the top-level
/// help and the unknown-command message read of them. From argv: when its first word that
/// is not an option comes before any option and names the command to run (not `help`, not
/// `completion`), that command alone; for `--version` alone, none; for anything else, all.
void select_commands(int argc, const char* const* argv);
/// Every command in full, as when select_commands found nothing to leave out.
void select_all_commands();
/// Whether `command`, just added by name and description, is to get its options and callback.
bool registers_in_full(const CLI::App& command);
/// False when argv names a command added by name only (a second command word, an option
/// value spelt like one), which CLI11 may then look for: the caller registers every
/// command in full and parses with that.
bool selection_holds(const CLI::App& app, int argc, const char* const* argv);

/// Adds --quiet and --warnings-as-errors (report_policy()) to every command that reports
/// diagnostics: all but `help` and `completion`. Call after registering the commands.
void add_report_options(CLI::App& app);

/// Registers `help [SUBCOMMAND]` and the hidden `completion SHELL`.
void register_shell_commands(CLI::App& app, int& exit_code);

/// Before parsing: when the first word that is not an option names no subcommand, prints
/// git's "'x' is not a mobileconfigc command" with the most similar one, and returns true
/// (the caller exits with the usage status).
bool reject_unknown_subcommand(const CLI::App& app, int argc, const char* const* argv);

/// The completion script for "bash", "zsh" or "fish" (empty for another name); the positional
/// of `explain` completes `graph_types`.
std::string completion_script(const CLI::App& app, const std::string& shell, const std::vector<std::string>& graph_types);

}  // namespace mcc::cli
