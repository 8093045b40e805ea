// SPDX-License-Identifier: Apache-2.0
#pragma once
// `sign` and `verify`: signing a profile and checking a signed one (`inspect` is in
// inspect_command.cpp).

#include <CLI/CLI.hpp>

namespace mcc::cli {

/// Registers `sign` and `verify`; `exit_code` receives the result of the
/// one that runs (0 ok, 1 input or verification failure; usage errors throw → 2).
void register_sign_commands(CLI::App& app, int& exit_code);

}  // namespace mcc::cli
