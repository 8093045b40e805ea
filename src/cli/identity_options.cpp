// SPDX-License-Identifier: Apache-2.0
#include "cli/identity_options.hpp"

#include <cstdlib>

#include "base/messages.hpp"
#include "cli/signing_options.hpp"

namespace mcc::cli {
namespace {

// The passphrase file if one was named, else the environment variable, else a prompt.
struct PassphraseFrom {
  std::optional<SecretBytes> from_file;
  const char* env;

  PassphraseSource source() {
    return [this](const std::string& what) -> std::optional<SecretBytes> {
      if (from_file) return std::move(*from_file);
      if (const char* v = std::getenv(env); v != nullptr && *v != '\0') return SecretBytes(v);
      return prompt_on_terminal(what);
    };
  }
};

bool read_passphrase_file(const std::string& path, PassphraseFrom& into, InputFiles& inputs, Diagnostics& diags) {
  if (path.empty()) return true;
  std::string error;
  auto bytes = read_secret(path, inputs, error);
  if (!bytes) {
    diags.add(msg::cannot_read_signing_file(path, error));
    return false;
  }
  into.from_file = strip_line_end(std::move(*bytes));
  return true;
}

}  // namespace

CLI::Option* IdentityOptions::add_to(CLI::App& cmd) {
  auto* p12 = cmd.add_option("--identity-p12", p12_,
                             "PKCS#12 identity for PKCS certificate profiles (passphrase from --identity-passphrase-file, "
                             "$" + std::string(kIdentityPassphraseEnv) + " or a prompt)");
  auto* pass = cmd.add_option("--identity-passphrase-file", passphrase_file_, "File holding the --identity-p12 passphrase");
  auto* issue = cmd.add_flag("--issue-identity", issue_,
                             "Issue a lab identity for each PKCS or SCEP certificate profile, signed by --lab-ca "
                             "(reproducible with SOURCE_DATE_EPOCH)");
  auto* ca = cmd.add_option("--lab-ca", lab_ca_, "Lab CA certificate (PEM or DER) for --issue-identity");
  auto* ca_key = cmd.add_option("--lab-ca-key", lab_ca_key_,
                                "Lab CA private key (passphrase from --lab-ca-passphrase-file, $" +
                                    std::string(kLabCaPassphraseEnv) + " or a prompt)");
  auto* ca_pass = cmd.add_option("--lab-ca-passphrase-file", lab_ca_passphrase_file_, "File holding the --lab-ca-key passphrase");
  pass->needs(p12);
  p12->excludes(issue);
  issue->needs(ca);
  issue->needs(ca_key);
  ca->needs(issue);
  ca_key->needs(issue);
  ca_pass->needs(ca_key);
  return issue;
}

void IdentityOptions::add_paths(InputFiles& inputs) const {
  for (const std::string* path : {&p12_, &passphrase_file_, &lab_ca_, &lab_ca_key_, &lab_ca_passphrase_file_})
    if (!path->empty()) inputs.add_path(*path);
}

bool IdentityOptions::load(CompileOptions& options, Diagnostics& diags, InputFiles& inputs) const {
  if (!p12_.empty()) {
    PassphraseFrom pass{std::nullopt, kIdentityPassphraseEnv};
    if (!read_passphrase_file(passphrase_file_, pass, inputs, diags)) return false;
    std::string error;
    auto bytes = read_secret(p12_, inputs, error);
    if (!bytes) {
      diags.add(msg::cannot_read_signing_file(p12_, error));
      return false;
    }
    auto id = load_payload_identity(NamedSecret{p12_, std::move(*bytes)}, pass.source(),
                                    "set " + std::string(kIdentityPassphraseEnv) +
                                        ", use --identity-passphrase-file, or run on a terminal to be asked",
                                    diags);
    if (!id) return false;
    options.identity = std::make_shared<const PayloadIdentity>(std::move(*id));
  }
  if (issue_) {
    PassphraseFrom pass{std::nullopt, kLabCaPassphraseEnv};
    if (!read_passphrase_file(lab_ca_passphrase_file_, pass, inputs, diags)) return false;
    ReadError read_error;
    ReadOptions public_read;
    public_read.inputs = &inputs;
    auto cert = read_input(lab_ca_, read_error, public_read);
    if (!cert) {
      diags.add(msg::cannot_read_signing_file(lab_ca_, read_error.reason));
      return false;
    }
    std::string error;
    auto key = read_secret(lab_ca_key_, inputs, error);
    if (!key) {
      diags.add(msg::cannot_read_signing_file(lab_ca_key_, error));
      return false;
    }
    auto ca = LabCa::load(NamedBytes{lab_ca_, std::move(*cert)}, NamedSecret{lab_ca_key_, std::move(*key)}, pass.source(),
                          "set " + std::string(kLabCaPassphraseEnv) +
                              ", use --lab-ca-passphrase-file, or run on a terminal to be asked",
                          diags);
    if (!ca) return false;
    options.lab_ca = std::make_shared<const LabCa>(std::move(*ca));
    if (!source_date_epoch(options.source_date_epoch, diags)) return false;
  }
  return true;
}

bool source_date_epoch(std::optional<std::int64_t>& out, Diagnostics& diags) {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (v == nullptr || *v == '\0') return true;
  const std::string text(v);
  if (text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos) {
    diags.add(
        msg::bad_environment("SOURCE_DATE_EPOCH", "expected decimal seconds since 1970, got " + msg::quote(text)));
    return false;
  }
  out = std::stoll(text);
  return true;
}

}  // namespace mcc::cli
