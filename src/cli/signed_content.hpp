// SPDX-License-Identifier: Apache-2.0
#pragma once
// The content of a signed profile, written out: `unsign` and `verify -o` (what `security cms
// -D` does for Apple's tools), so that validate, decompile and editors get the profile itself.

#include <CLI/CLI.hpp>
#include <string>

#include "cli/io.hpp"
#include "mobileconfigc/diagnostic.hpp"

namespace mcc::cli {

/// Writes `content` (the signed content of the profile `name`, a property list) to `output`
/// ("-": standard output) as it was signed, byte for byte; 0600 when it holds a secret.
/// Returns the exit code: kOk, kInputError or kUsageError (the output is an input, or binary
/// output would go to a terminal), with `diags` saying why.
int write_signed_content(const std::string& name, const std::string& content, const std::string& output,
                         const InputFiles& inputs, Diagnostics& diags);

/// Registers `unsign`.
void register_unsign_command(CLI::App& app, int& exit_code);

}  // namespace mcc::cli
