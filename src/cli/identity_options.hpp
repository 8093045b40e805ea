// SPDX-License-Identifier: Apache-2.0
#pragma once
// The options that give certificate profiles their identity: `--identity-p12 FILE` for PKCS
// profiles (passphrase from --identity-passphrase-file, $MOBILECONFIGC_IDENTITY_PASSPHRASE or
// a prompt, never argv), or lab issuance `--issue-identity --lab-ca CA.pem --lab-ca-key CA.key`
// for PKCS and SCEP profiles (the CA key's passphrase from --lab-ca-passphrase-file,
// $MOBILECONFIGC_LAB_CA_PASSPHRASE or a prompt).

#include <CLI/CLI.hpp>

#include <string>

#include "cli/io.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc::cli {

inline constexpr const char* kIdentityPassphraseEnv = "MOBILECONFIGC_IDENTITY_PASSPHRASE";
inline constexpr const char* kLabCaPassphraseEnv = "MOBILECONFIGC_LAB_CA_PASSPHRASE";

class IdentityOptions {
 public:
  /// Adds the options to `cmd`; returns --issue-identity, for options it makes moot.
  CLI::Option* add_to(CLI::App& cmd);
  /// Notes every file the options name, so an output naming one is refused.
  void add_paths(InputFiles& inputs) const;
  /// Opens the identity or loads the lab CA into `options` (and SOURCE_DATE_EPOCH for lab
  /// identities). False after an error (in `diags`).
  bool load(CompileOptions& options, Diagnostics& diags, InputFiles& inputs) const;

 private:
  std::string p12_;
  std::string passphrase_file_;
  bool issue_ = false;
  std::string lab_ca_;
  std::string lab_ca_key_;
  std::string lab_ca_passphrase_file_;
};

/// SOURCE_DATE_EPOCH (reproducible-builds.org): decimal seconds since 1970 into `out`
/// (left as is when unset or empty). False, MCC-R009 in `diags`, when it is something else.
bool source_date_epoch(std::optional<std::int64_t>& out, Diagnostics& diags);

}  // namespace mcc::cli
