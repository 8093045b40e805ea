#include "cli/signing_options.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/io.hpp"
#include "base/messages.hpp"

namespace mcc::cli {

// Key, PKCS#12 and passphrase files: pipes work too (--sign-key <(vault read ...)), up to
// 1 MiB, read into one buffer allocated up front so no reallocation leaves stray copies.
std::optional<SecretBytes> read_secret(const std::string& path, InputFiles& inputs, std::string& error) {
  ReadError why;
  ReadOptions options;
  options.limit = kMaxSecretBytes;
  options.secret = true;
  options.inputs = &inputs;
  auto bytes = read_input(path, why, options);
  if (!bytes) {
    error = why.reason;
    return std::nullopt;
  }
  return SecretBytes(std::move(*bytes));
}

namespace {

std::optional<NamedBytes> read_public(const std::string& path, InputFiles& inputs, Diagnostics& diags) {
  ReadError error;
  ReadOptions options;
  options.inputs = &inputs;
  auto bytes = read_input(path, error, options);
  if (!bytes) {
    diags.add(msg::cannot_read_signing_file(path, error.reason));
    return std::nullopt;
  }
  return NamedBytes{path, std::move(*bytes)};
}

std::optional<NamedSecret> read_private(const std::string& path, InputFiles& inputs, Diagnostics& diags) {
  std::string error;
  auto bytes = read_secret(path, inputs, error);
  if (!bytes) {
    diags.add(msg::cannot_read_signing_file(path, error));
    return std::nullopt;
  }
  return NamedSecret{path, std::move(*bytes)};
}

}  // namespace

// A passphrase file holds the passphrase and maybe a line ending, which is not part of it.
SecretBytes strip_line_end(SecretBytes file) {
  std::string_view v = file.view();
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return SecretBytes(std::string(v));
}

std::optional<SecretBytes> prompt_on_terminal(const std::string& what) {
  if (::isatty(STDIN_FILENO) == 0) return std::nullopt;
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) return std::nullopt;
  const std::string prompt = "passphrase for " + what + ": ";
  (void)!::write(tty, prompt.data(), prompt.size());
  termios saved{};
  const bool can_hide = ::tcgetattr(tty, &saved) == 0;
  std::optional<TerminalGuard> restore_on_interrupt;  // Ctrl-C at the prompt gives the echo back
  if (can_hide) {
    restore_on_interrupt.emplace(tty, saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  std::string line;
  line.reserve(1024);  // no reallocation while the passphrase is typed
  char c = 0;
  while (line.size() < 1023 && ::read(tty, &c, 1) == 1 && c != '\n') line.push_back(c);
  c = 0;
  if (can_hide) ::tcsetattr(tty, TCSAFLUSH, &saved);
  else (void)!::write(tty, "\n", 1);
  restore_on_interrupt.reset();  // before the descriptor's number can be reused
  ::close(tty);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return SecretBytes(std::move(line));
}

void SigningOptions::add_to(CLI::App& cmd, bool required) {
  required_ = required;
  auto* cert = cmd.add_option("--sign-cert", cert_, "Signer certificate, PEM (extra certificates in the file join the chain)");
  auto* key = cmd.add_option("--sign-key", key_, "Signer private key, PEM or DER (may be encrypted)");
  auto* chain = cmd.add_option("--sign-chain", chain_, "Intermediate certificates to embed, PEM (repeatable; roots are left out)");
  chain->allow_extra_args(false);  // one file per use: never the inputs that follow
  auto* p12 = cmd.add_option("--sign-p12", p12_, "Signer certificate, key and chain from one PKCS#12 file");
  cmd.add_option("--sign-passphrase-file", passphrase_file_,
                 "File holding the key or PKCS#12 passphrase (else $" + std::string(kPassphraseEnv) +
                     ", else a prompt when stdin is a terminal)");
  cert->needs(key);
  key->needs(cert);
  chain->needs(cert);
  p12->excludes(cert);
  p12->excludes(key);
  p12->excludes(chain);
}

bool SigningOptions::requested() const { return !cert_.empty() || !p12_.empty(); }

void SigningOptions::validate() const {
  if (required_ && !requested()) throw CLI::RequiredError("--sign-cert and --sign-key, or --sign-p12,");
}

void SigningOptions::add_paths(InputFiles& inputs) const {
  for (const std::string* path : {&cert_, &key_, &p12_, &passphrase_file_})
    if (!path->empty()) inputs.add_path(*path);
  for (const auto& file : chain_) inputs.add_path(file);
}

std::optional<Signer> SigningOptions::load(Diagnostics& diags, InputFiles& inputs) const {
  SignerCredentials credentials;
  if (!p12_.empty()) {
    credentials.pkcs12 = read_private(p12_, inputs, diags);
  } else {
    credentials.certificate = read_public(cert_, inputs, diags);
    credentials.private_key = read_private(key_, inputs, diags);
    for (const auto& file : chain_)
      if (auto bytes = read_public(file, inputs, diags)) credentials.chain.push_back(std::move(*bytes));
  }
  std::optional<SecretBytes> from_file;
  if (!passphrase_file_.empty()) {
    std::string error;
    auto bytes = read_secret(passphrase_file_, inputs, error);
    if (!bytes) diags.add(msg::cannot_read_signing_file(passphrase_file_, error));
    else from_file = strip_line_end(std::move(*bytes));
  }
  if (diags.has_errors()) return std::nullopt;

  PassphraseSource passphrase = [&](const std::string& what) -> std::optional<SecretBytes> {
    if (from_file) return std::move(*from_file);
    if (const char* env = std::getenv(kPassphraseEnv); env != nullptr && *env != '\0') return SecretBytes(env);
    return prompt_on_terminal(what);
  };
  return Signer::load(credentials, passphrase, diags);
}

}  // namespace mcc::cli
