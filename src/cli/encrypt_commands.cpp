// SPDX-License-Identifier: Apache-2.0
// `encrypt` and `decrypt`: Apple's encrypted profiles (EncryptedPayloadContent), and the
// --encrypt-for / --decrypt-key options `compile` and `inspect` share with them.

#include "cli/encrypt_commands.hpp"

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "base/messages.hpp"
#include "cli/app_shell.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/signing_options.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/secrets.hpp"

namespace mcc::cli {
namespace {

std::string decrypt_passphrase_options() {
  return "set " + std::string(kDecryptPassphraseEnv) + ", use --decrypt-passphrase-file, or run on a terminal to be asked";
}

struct EncryptArgs {
  std::string input;
  std::string output;
  EncryptForOption encrypt_for;
  SigningOptions signing;
};

struct DecryptArgs {
  std::string input;
  std::string output;
  DecryptKeyOption key;
};

// Reads a profile that is not signed; `signed_ok`: a signed one is unwrapped (its signature
// covers the encrypted form, which decrypting changes).
std::optional<Value> read_profile(const std::string& path, InputFiles& inputs, bool signed_ok, Diagnostics& diags) {
  ReadError error;
  ReadOptions options;
  options.inputs = &inputs;
  auto bytes = read_input(path, error, options);
  if (!bytes) {
    diags.add(read_failure(path, error));
    return std::nullopt;
  }
  const std::string name = display_name(path);
  if (looks_like_cms(*bytes)) {
    if (!signed_ok) {
      diags.add(msg::already_signed(name));
      return std::nullopt;
    }
    VerifyResult r = verify_profile(*bytes, name, {}, diags);
    if (r.content.empty() || !r.content_is_plist) return std::nullopt;
    diags.add(msg::payloads_encrypted(name, "the profile is signed; the decrypted profile is written unsigned (sign it again if needed)"));
    *bytes = std::move(r.content);
  }
  auto root = parse_plist(*bytes, name, diags);
  if (root && !root->is(Value::Kind::dict)) {
    diags.add(msg::not_a_plist(name, "the top level is not a dictionary"));
    return std::nullopt;
  }
  return root;
}

int run_encrypt(const EncryptArgs& a) {
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  InputFiles inputs;
  inputs.add_path(a.input);
  a.encrypt_for.add_paths(inputs);
  a.signing.add_paths(inputs);
  if (inputs.is_input(a.output)) {
    diags.add(msg::output_is_input(a.output));
    return finish(kUsageError);
  }
  auto root = read_profile(a.input, inputs, false, diags);
  if (!root) return finish(kInputError);
  auto encryptor = a.encrypt_for.load(static_cast<std::int64_t>(std::time(nullptr)), inputs, diags);
  if (!encryptor) return finish(kInputError);
  std::optional<Signer> signer;
  if (a.signing.requested() && !(signer = a.signing.load(diags, inputs))) return finish(kInputError);
  const std::string name = display_name(a.input);
  auto encrypted = encrypt_profile(*root, *encryptor, name, diags);
  if (!encrypted) return finish(kInputError);
  std::string bytes = serialize_plist(*encrypted, PlistFormat::xml);
  if (signer) {  // signed after encrypting, as Apple's profile service does
    auto signed_bytes = signer->sign(bytes, display_output_name(a.output), diags);
    if (!signed_bytes) return finish(kInputError);
    bytes = std::move(*signed_bytes);
  }
  // Encrypted, the secrets are not readable; the mode stays narrow anyway, as for the input.
  const int code = write_profile(a.output, bytes, holds_secret(*root), inputs, diags);
  return finish(code != kOk ? code : exit_code_for(diags));
}

int run_decrypt(const DecryptArgs& a) {
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  InputFiles inputs;
  inputs.add_path(a.input);
  a.key.add_paths(inputs);
  if (inputs.is_input(a.output)) {
    diags.add(msg::output_is_input(a.output));
    return finish(kUsageError);
  }
  auto root = read_profile(a.input, inputs, true, diags);
  if (!root) return finish(kInputError);
  auto decrypted = a.key.decrypt(*root, display_name(a.input), inputs, diags);
  if (!decrypted) return finish(kInputError);
  const int code = write_profile(a.output, serialize_plist(*decrypted, PlistFormat::xml), holds_secret(*decrypted), inputs, diags);
  return finish(code != kOk ? code : exit_code_for(diags));
}

// The --encrypt-for certificate files; nothing after an error (in `diags`).
std::optional<std::vector<NamedBytes>> read_recipients(const std::vector<std::string>& paths, InputFiles& inputs,
                                                       Diagnostics& diags) {
  std::vector<NamedBytes> out;
  ReadOptions options;
  options.inputs = &inputs;
  for (const auto& path : paths) {
    ReadError error;
    auto bytes = read_input(path, error, options);
    if (!bytes) {
      diags.add(msg::cannot_read_signing_file(path, error.reason));
      return std::nullopt;
    }
    out.push_back({path, std::move(*bytes)});
  }
  return out;
}

}  // namespace

CLI::Option* EncryptForOption::add_to(CLI::App& cmd, bool required, const std::string& help) {
  // One value per use, repeated for more: a vector option would otherwise swallow the input
  // files that follow it.
  auto* certs = cmd.add_option("--encrypt-for", certificates_, help)->allow_extra_args(false);
  if (required) certs->required();
  auto* transport = cmd.add_option("--key-transport", key_transport_,
                                   "How the content key reaches an RSA certificate's device: pkcs1 (RSA PKCS#1 v1.5, the "
                                   "only one Apple devices are known to decrypt) or oaep (RSA-OAEP with SHA-256; a warning)")
                        ->check(CLI::IsMember({"pkcs1", "oaep"}))
                        ->capture_default_str();
  if (!required) transport->needs(certs);
  return certs;
}

bool EncryptForOption::given() const { return !certificates_.empty(); }

void EncryptForOption::add_paths(InputFiles& inputs) const {
  for (const auto& cert : certificates_) inputs.add_path(cert);
}

std::optional<Encryptor> EncryptForOption::load(std::int64_t now, InputFiles& inputs, Diagnostics& diags) const {
  auto recipients = read_recipients(certificates_, inputs, diags);
  if (!recipients) return std::nullopt;
  return Encryptor::load(*recipients, key_transport_ == "oaep" ? KeyTransport::oaep : KeyTransport::pkcs1, now, diags);
}

void DecryptKeyOption::add_to(CLI::App& cmd, bool required) {
  auto* key = cmd.add_option("--decrypt-key", key_,
                             "Private key of the encryption certificate, PEM or DER (passphrase from --decrypt-passphrase-file, $" +
                                 std::string(kDecryptPassphraseEnv) + " or a prompt)");
  if (required) key->required();
  cmd.add_option("--decrypt-passphrase-file", passphrase_file_, "File holding the --decrypt-key passphrase")->needs(key);
}

bool DecryptKeyOption::given() const { return !key_.empty(); }

void DecryptKeyOption::add_paths(InputFiles& inputs) const {
  for (const std::string* path : {&key_, &passphrase_file_})
    if (!path->empty()) inputs.add_path(*path);
}

std::optional<Value> DecryptKeyOption::decrypt(const Value& profile, const std::string& name, InputFiles& inputs,
                                               Diagnostics& diags) const {
  std::optional<SecretBytes> from_file;
  if (!passphrase_file_.empty()) {
    std::string error;
    auto bytes = read_secret(passphrase_file_, inputs, error);
    if (!bytes) {
      diags.add(msg::cannot_read_signing_file(passphrase_file_, error));
      return std::nullopt;
    }
    from_file = strip_line_end(std::move(*bytes));
  }
  std::string error;
  auto key = read_secret(key_, inputs, error);
  if (!key) {
    diags.add(msg::cannot_read_signing_file(key_, error));
    return std::nullopt;
  }
  PassphraseSource passphrase = [&](const std::string& what) -> std::optional<SecretBytes> {
    if (from_file) return std::move(*from_file);
    if (const char* env = std::getenv(kDecryptPassphraseEnv); env != nullptr && *env != '\0') return SecretBytes(env);
    return prompt_on_terminal(what);
  };
  return decrypt_profile(profile, NamedSecret{key_, std::move(*key)}, passphrase, decrypt_passphrase_options(), name, diags);
}

void register_encrypt_commands(CLI::App& app, int& exit_code) {
  auto enc = std::make_shared<EncryptArgs>();
  CLI::App* e = app.add_subcommand("encrypt", "Encrypt a profile's payloads for devices (EncryptedPayloadContent)");
  if (registers_in_full(*e)) {
    e->add_option("profile", enc->input, "Unsigned profile, XML or binary plist (- for standard input)")->required();
    e->add_option("-o,--output", enc->output, "Encrypted profile (- for standard output)")->required();
    enc->encrypt_for.add_to(*e, true, "A device's identity certificate, PEM or DER (repeatable; RSA, or EC with a warning)");
    enc->signing.add_to(*e, false);
    e->callback([enc, &exit_code] {
      enc->signing.validate();
      exit_code = run_encrypt(*enc);
    });
  }

  auto dec = std::make_shared<DecryptArgs>();
  CLI::App* d = app.add_subcommand("decrypt", "Decrypt an encrypted profile's payloads (signed input comes out unsigned)");
  if (!registers_in_full(*d)) return;
  d->add_option("profile", dec->input, "Encrypted profile, signed or not (- for standard input)")->required();
  d->add_option("-o,--output", dec->output, "Decrypted profile (- for standard output)")->required();
  dec->key.add_to(*d, true);
  d->callback([dec, &exit_code] { exit_code = run_decrypt(*dec); });
}

}  // namespace mcc::cli
