// SPDX-License-Identifier: Apache-2.0
#pragma once
// `encrypt` and `decrypt` (Apple's EncryptedPayloadContent), and the pieces `compile
// --encrypt-for` and `inspect --decrypt-key` share with them.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/sign.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc::cli {

inline constexpr const char* kDecryptPassphraseEnv = "MOBILECONFIGC_DECRYPT_PASSPHRASE";

/// Registers `encrypt` and `decrypt`.
void register_encrypt_commands(CLI::App& app, int& exit_code);

/// `--encrypt-for CERT` (repeatable) and `--key-transport pkcs1|oaep`, as `compile` and
/// `encrypt` take them. Keep it alive as long as the app: CLI11 writes into it while parsing.
class EncryptForOption {
 public:
  /// Adds both options; returns --encrypt-for (for excludes()).
  CLI::Option* add_to(CLI::App& cmd, bool required, const std::string& help);
  [[nodiscard]] bool given() const;
  void add_paths(InputFiles& inputs) const;
  /// Reads and checks the certificates once; nothing after an error (in `diags`).
  [[nodiscard]] std::optional<Encryptor> load(std::int64_t now, InputFiles& inputs, Diagnostics& diags) const;

 private:
  std::vector<std::string> certificates_;
  std::string key_transport_ = "pkcs1";
};

/// `--decrypt-key KEY [--decrypt-passphrase-file FILE]` (else $MOBILECONFIGC_DECRYPT_PASSPHRASE,
/// else a prompt). Keep it alive as long as the app: CLI11 writes into it while parsing.
class DecryptKeyOption {
 public:
  void add_to(CLI::App& cmd, bool required);
  [[nodiscard]] bool given() const;
  void add_paths(InputFiles& inputs) const;
  /// The profile with its payloads decrypted; nothing after an error (in `diags`).
  [[nodiscard]] std::optional<Value> decrypt(const Value& profile, const std::string& name, InputFiles& inputs,
                                             Diagnostics& diags) const;

 private:
  std::string key_;
  std::string passphrase_file_;
};

}  // namespace mcc::cli
