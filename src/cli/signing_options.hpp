// SPDX-License-Identifier: Apache-2.0
#pragma once
// The --sign-* options, shared by `sign` and `compile`: where the signing identity
// comes from, and where an encrypted key's passphrase comes from (never argv).

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {

/// Name of the environment variable that may hold the key or PKCS#12 passphrase.
inline constexpr const char* kPassphraseEnv = "MOBILECONFIGC_SIGN_PASSPHRASE";

/// Reads a key, PKCS#12 or passphrase file (up to 1 MiB, a pipe too) as a secret; `error` says why not.
std::optional<SecretBytes> read_secret(const std::string& path, InputFiles& inputs, std::string& error);
/// A passphrase file's content without its line ending.
SecretBytes strip_line_end(SecretBytes file);
/// Asks for a passphrase on /dev/tty without echo, when stdin is a terminal; nothing otherwise.
std::optional<SecretBytes> prompt_on_terminal(const std::string& what);

/// Adds `--sign-cert PEM --sign-key PEM [--sign-chain PEM]... | --sign-p12 FILE` and
/// `--sign-passphrase-file FILE` to one subcommand and loads the Signer they name.
/// Keep the object alive as long as the app (hold it in a std::shared_ptr that the
/// subcommand's callback captures): CLI11 writes into its members while parsing.
class SigningOptions {
 public:
  /// Registers the options on `cmd`. `required`: signing is the command's purpose
  /// (`sign`); otherwise it is optional (`compile`).
  void add_to(CLI::App& cmd, bool required);

  /// True when any --sign-cert or --sign-p12 was given.
  [[nodiscard]] bool requested() const;

  /// Usage checks CLI11 cannot express (throws CLI::RequiredError, exit 2). Call from
  /// the subcommand's callback before load().
  void validate() const;

  /// Notes every file the options name in `inputs`, so an output can be refused before
  /// anything is read.
  void add_paths(InputFiles& inputs) const;

  /// Reads the files (each noted in `inputs`; certificates up to 64 MiB, keys and
  /// passphrases up to 1 MiB), gets a passphrase if a key is encrypted (the passphrase
  /// file, else $MOBILECONFIGC_SIGN_PASSPHRASE, else a no-echo prompt on /dev/tty when
  /// stdin is a terminal) and loads the signer once. Nothing on error (in `diags`).
  /// The signing time is --signing-time, else SOURCE_DATE_EPOCH, else the time of signing;
  /// a fixed time with a key whose signatures are randomised adds MCC-U002.
  [[nodiscard]] std::optional<Signer> load(Diagnostics& diags, InputFiles& inputs) const;

 private:
  bool required_ = false;
  std::string cert_;
  std::string key_;
  std::vector<std::string> chain_;
  std::string p12_;
  std::string passphrase_file_;
  std::string signing_time_;  // --signing-time, as seconds (the option's check converts it)
};

/// The seconds since 1970 that `text` names: decimal seconds, or an RFC 3339 date and time
/// ("2023-11-14T22:13:20Z", "2023-11-14T23:13:20+01:00"; fractions of a second dropped).
/// Nothing when it is neither (or before 1970 or after 9999).
std::optional<std::int64_t> parse_time(const std::string& text);

}  // namespace mcc::cli
