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
