// SPDX-License-Identifier: Apache-2.0
#pragma once
// `compile --out-dir`: one profile per supported Graph object across many inputs.

#include <string>
#include <vector>

#include "cli/io.hpp"
#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {

struct BatchArgs {
  std::vector<std::string> inputs;  // files and directories (recursed for *.json)
  std::string out_dir;
  PlistFormat format = PlistFormat::xml;
  bool force = false;               // overwrite existing outputs
  unsigned jobs = 0;                // 0: one per core
  bool progress = true;             // a progress line when stderr is a terminal
  const Signer* signer = nullptr;   // sign every profile (thread-safe; loaded once by the caller)
  InputFiles* read_files = nullptr; // what the command reads besides the inputs (keys, --vars): never an output
  const Encryptor* encryptor = nullptr;  // encrypt every profile's payloads, before signing (thread-safe; loaded once)
};

/// Runs the batch; prints diagnostics, progress and a summary to stderr; returns the exit code.
int run_batch(const Compiler& compiler, const CompileOptions& options, const BatchArgs& args);

/// "Contoso VPN (iOS)" + id → "Contoso-VPN-iOS-2f6c1d9a": ASCII, filesystem-safe, stable.
std::string output_stem(std::string_view display_name, std::string_view type, std::string_view id);

}  // namespace mcc::cli
