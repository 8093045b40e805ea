// SPDX-License-Identifier: Apache-2.0
#include "cli/signing_options.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "cli/identity_options.hpp"
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
  cmd.add_option("--signing-time", signing_time_,
                 "The CMS signing time, RFC 3339 or seconds since 1970 (default: $SOURCE_DATE_EPOCH, else now); "
                 "with an RSA key the signature is then reproducible")
      ->type_name("TIME")
      ->transform(CLI::Validator(
          [](std::string& text) -> std::string {
            auto seconds = parse_time(text);
            if (!seconds)
              return "expected an RFC 3339 time such as 2024-01-31T12:00:00Z, or seconds since 1970, got '" +
                     escape_for_display(text) + "'";
            text = std::to_string(*seconds);
            return "";
          },
          ""));
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
  auto signer = Signer::load(credentials, passphrase, diags);
  if (!signer) return std::nullopt;
  std::optional<std::int64_t> when = signing_time_.empty() ? std::nullopt : parse_time(signing_time_);
  if (!when && !source_date_epoch(when, diags)) return std::nullopt;
  if (when) {
    signer->set_signing_time(when);
    if (!signer->deterministic())
      diags.add(msg::signature_not_reproducible(p12_.empty() ? key_ : p12_, signer->certificates().front().key));
  }
  return signer;
}

namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_time(const std::string& text) {
  constexpr std::int64_t kLast = 253402300799;  // 9999-12-31T23:59:59Z
  if (!text.empty() && text.size() <= 12 && text.find_first_not_of("0123456789") == std::string::npos) {
    const std::int64_t seconds = std::stoll(text);
    return seconds <= kLast ? std::optional(seconds) : std::nullopt;
  }
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > text.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  auto is = [&](std::size_t at, const char* chars) {
    return at < text.size() && text[at] != '\0' && std::strchr(chars, text[at]) != nullptr;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(0, 4, year) || !is(4, "-") || !digits(5, 2, month) || !is(7, "-") || !digits(8, 2, day) ||
      !is(10, "Tt ") || !digits(11, 2, hour) || !is(13, ":") || !digits(14, 2, minute) || !is(16, ":") ||
      !digits(17, 2, second))
    return std::nullopt;
  std::size_t at = 19;
  if (is(at, ".")) {
    ++at;
    const std::size_t first = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == first) return std::nullopt;
  }
  int offset = 0;
  if (is(at, "Zz") && at + 1 == text.size()) {
    offset = 0;
  } else if (is(at, "+-") && at + 6 == text.size()) {
    int oh = 0, om = 0;
    if (!digits(at + 1, 2, oh) || !is(at + 3, ":") || !digits(at + 4, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset = (text[at] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  const std::int64_t seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                               hour * 3600 + minute * 60 + std::min(second, 59) - offset;
  if (seconds < 0 || seconds > kLast) return std::nullopt;
  return seconds;
}

}  // namespace mcc::cli
