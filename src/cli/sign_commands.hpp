// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sign`, `verify` and `inspect`: signing a profile, checking a signed one, and a
// readable (or JSON) summary of any profile with its secrets redacted.

#include <CLI/CLI.hpp>

namespace mcc::cli {

/// Registers `sign`, `verify` and `inspect`; `exit_code` receives the result of the
/// one that runs (0 ok, 1 input or verification failure; usage errors throw → 2).
void register_sign_commands(CLI::App& app, int& exit_code);

}  // namespace mcc::cli
