// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ctime>
#include <iostream>
#include <limits>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/app_shell.hpp"
#include "cli/batch.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/encrypt_commands.hpp"
#include "cli/identity_options.hpp"
#include "cli/io.hpp"
#include "cli/json_report.hpp"
#include "mobileconfigc/secrets.hpp"
#include "cli/signing_options.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/profile_view.hpp"

namespace mcc::cli {
namespace {

struct CompileArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::string format = "xml";
  std::string platform;
  std::string identifier_prefix = CompileOptions{}.identifier_prefix;
  std::string mappings;
  std::string type;
  std::vector<std::string> vars;       // NAME=VALUE
  std::vector<std::string> vars_files;  // JSON objects {"NAME": "VALUE"}
  std::optional<std::string> scep_challenge;
  std::string scep_challenge_file;
  std::optional<std::size_t> scep_url_index;
  std::optional<std::string> vpn_subtype;
  std::vector<std::string> links;  // FROM=TO
  std::string out_dir;
  bool force = false;
  bool no_progress = false;
  unsigned jobs = 0;
  SigningOptions signing;  // optional: sign every profile written
  IdentityOptions identity;  // the identity PKCS certificate profiles embed
  EncryptForOption encrypt_for;  // device certificates the payloads are encrypted for
};

CompileOptions options_from(const CompileArgs& a) {
  CompileOptions options;
  options.identifier_prefix = a.identifier_prefix;
  if (!a.type.empty()) options.graph_type = a.type;
  options.platform = parse_platform(a.platform);
  options.scep_challenge = a.scep_challenge;
  options.scep_url_index = a.scep_url_index;
  options.vpn_subtype = a.vpn_subtype;
  for (const auto& l : a.links) {
    auto eq = l.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == l.size())
      throw CLI::ValidationError("--link", "expected FROM=TO (Graph ids or display names), got '" + l + "'");
    options.links.push_back({l.substr(0, eq), l.substr(eq + 1)});
  }
  return options;
}

// Every file the command reads, noted before anything is read: an -o naming one of them is
// refused before a passphrase is asked for or anything is compiled.
void note_inputs(const CompileArgs& a, InputFiles& inputs) {
  for (const auto* paths : {&a.inputs, &a.vars_files})
    for (const auto& path : *paths) inputs.add_path(path);
  if (!a.scep_challenge_file.empty()) inputs.add_path(a.scep_challenge_file);
  if (!a.mappings.empty()) inputs.add_tree(a.mappings);
  a.signing.add_paths(inputs);
  a.identity.add_paths(inputs);
  a.encrypt_for.add_paths(inputs);
}

// --scep-challenge-file, then --vars files, then --var (the command line wins). False after an input error.
bool read_variables(const CompileArgs& a, CompileOptions& options, InputFiles& inputs, Diagnostics& diags) {
  ReadOptions read_options;
  read_options.inputs = &inputs;
  for (const auto& file : a.vars_files) {
    ReadError error;
    auto bytes = read_input(file, error, read_options);
    if (!bytes) {
      diags.add(read_failure(file, error));
      return false;
    }
    auto j = nlohmann::json::parse(*bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      diags.add(msg::variables_not_an_object(display_name(file)));
      return false;
    }
    for (const auto& [k, v] : j.items()) {
      if (!v.is_string()) {
        diags.add(msg::variable_value_not_a_string(display_name(file), k));
        return false;
      }
      options.variables[k] = v.get<std::string>();
    }
  }
  if (!a.scep_challenge_file.empty()) {
    ReadError error;
    ReadOptions secret = read_options;
    secret.limit = kMaxSecretBytes;
    secret.secret = true;
    auto bytes = read_input(a.scep_challenge_file, error, secret);
    if (!bytes) {
      diags.add(read_failure(a.scep_challenge_file, error));
      return false;
    }
    while (!bytes->empty() && (bytes->back() == '\n' || bytes->back() == '\r')) bytes->pop_back();
    options.scep_challenge = std::move(*bytes);
  }
  for (std::size_t i = 0; i < a.vars.size(); ++i) {
    const std::string& nv = a.vars[i];
    auto eq = nv.find('=');
    // Never quoted: what follows the name may be a secret (--var SCEPChallenge=...).
    if (eq == std::string::npos || eq == 0)
      throw CLI::ValidationError("--var", "expected NAME=VALUE, but --var number " + std::to_string(i + 1) +
                                              (eq == 0 ? " has no name before '='" : " has no '='") +
                                              " (the argument is not shown: it may hold a secret)");
    options.variables[nv.substr(0, eq)] = nv.substr(eq + 1);
  }
  return true;
}

// `--scep-challenge two words`: the second word becomes an input, and "cannot read file"
// would print it. An input right after the challenge that names nothing on disk is refused
// without being shown.
void refuse_challenge_words_as_inputs(const CLI::App& cmd, const CLI::Option* challenge, const CLI::Option* inputs,
                                      const std::vector<std::string>& files) {
  std::size_t input = 0;
  bool after_challenge = false;
  for (const CLI::Option* o : cmd.parse_order()) {
    if (o == inputs && input < files.size()) {
      std::error_code ec;
      const std::string& file = files[input++];
      if (after_challenge && file != "-" && !std::filesystem::exists(file, ec))
        throw CLI::ValidationError("--scep-challenge", "takes one value, and the word after it names no input file "
                                                       "(the word is not shown; quote a challenge that holds spaces, or use "
                                                       "--scep-challenge-file)");
      continue;
    }
    after_challenge = o == challenge;
  }
}

// A count or an index on the command line: decimal digits, at most `max`. CLI11 alone
// would read "-1" into an unsigned option as 18446744073709551615, "010" as 8 and "0x10"
// as 16; this leaves it plain decimal (leading zeros dropped) or refuses it, exit 2.
CLI::Validator decimal_at_most(std::uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        const std::string bound = std::to_string(max);
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "expected a whole number from 0 to " + bound + ", got '" + text + "'";
        text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
        if (text.size() > bound.size() || (text.size() == bound.size() && text > bound))
          return "expected a whole number from 0 to " + bound + ", got " + text;
        return "";
      },
      "");
}

// --identifier-prefix: a reverse-DNS identifier, two or more dot-separated parts of ASCII
// letters, digits and hyphens ("org.example.lab"), as Apple's PayloadIdentifier convention has it.
CLI::Validator reverse_dns() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::size_t parts = 0, length = 0;
        bool ok = !text.empty();
        for (char ch : text) {
          if (ch == '.') {
            ok = ok && length > 0;
            ++parts, length = 0;
          } else if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-') {
            ++length;
          } else {
            ok = false;
          }
        }
        if (ok && length > 0 && parts >= 1) return "";
        return "expected a reverse-DNS identifier such as org.example (two or more parts of letters, digits and "
               "hyphens, "
               "separated by dots), got '" +
               escape_for_display(text) + "'";
      },
      "");
}

// A single compile's last use of its compiler: the process ends soon after and hands all of
// its memory back at once, where destroying the compiler would free every table row and
// schema node one by one (2 % of a fresh compile's instructions). Held from a static pointer,
// so that leak checkers see it reachable.
void keep_until_exit(Compiler&& compiler) {
  static auto* kept = new std::vector<Compiler>();
  kept->push_back(std::move(compiler));
}

int run_compile(const CompileArgs& a) {
  if (report_policy().json && a.out_dir.empty()) json_report()["profile"] = nullptr;  // until one is written
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  InputFiles inputs;
  note_inputs(a, inputs);
  if (a.out_dir.empty() && inputs.is_input(a.output)) {
    diags.add(msg::output_is_input(a.output));
    return finish(kUsageError);
  }
  auto compiler = Compiler::create(a.mappings.empty() ? std::nullopt : std::optional(a.mappings), diags);
  if (!compiler) return finish(kInputError);
  CompileOptions options = options_from(a);
  if (!read_variables(a, options, inputs, diags)) return finish(kInputError);
  if (!a.identity.load(options, diags, inputs)) return finish(kInputError);
  // The encryption certificates and the signing identity are loaded once, before anything is
  // compiled: a wrong certificate or passphrase fails fast, and a batch encrypts and signs
  // every profile with the same ones.
  std::optional<Encryptor> encryptor;
  if (a.encrypt_for.given() &&
      !(encryptor = a.encrypt_for.load(options.now.value_or(static_cast<std::int64_t>(std::time(nullptr))), inputs, diags)))
    return finish(kInputError);
  std::optional<Signer> signer;
  if (a.signing.requested()) {
    signer = a.signing.load(diags, inputs);
    if (!signer) return finish(kInputError);
  }
  if (!a.out_dir.empty()) {
    print_diagnostics(std::cerr, diags);  // signer and encryption warnings (expired, key usage) once, not per profile
    BatchArgs batch{a.inputs, a.out_dir, a.format == "binary" ? PlistFormat::binary : PlistFormat::xml, a.force, a.jobs, !a.no_progress,
                    signer ? &*signer : nullptr, &inputs, encryptor ? &*encryptor : nullptr};
    return run_batch(*compiler, options, batch);
  }

  std::vector<InputFile> files;
  ReadOptions read_options;
  read_options.inputs = &inputs;
  for (const auto& in : a.inputs) {
    ReadError error;
    auto bytes = read_input(in, error, read_options);
    if (!bytes) {
      diags.add(read_failure(in, error));
      continue;
    }
    files.push_back({display_name(in), std::move(*bytes)});
  }
  if (diags.has_errors()) return finish(kInputError);

  auto profile = compiler->compile(files, options, diags);
  keep_until_exit(std::move(*compiler));
  if (!profile) return finish(kInputError);
  const bool secret = holds_secret(profile->root);
  const std::size_t n = view_profile(profile->root).payloads.size();
  if (encryptor) {  // encrypted first, then signed
    auto encrypted = encrypt_profile(profile->root, *encryptor, display_output_name(a.output), diags);
    if (!encrypted) return finish(kInputError);
    profile->root = std::move(*encrypted);
  }
  std::string bytes = serialize_plist(profile->root, a.format == "binary" ? PlistFormat::binary : PlistFormat::xml);
  const std::string output_name = display_output_name(a.output);
  if (signer) {
    auto signed_bytes = signer->sign(bytes, output_name, diags);
    if (!signed_bytes) return finish(kInputError);
    bytes = std::move(*signed_bytes);
  }
  if (const int written = write_profile(a.output, bytes, secret, inputs, diags); written != kOk) return finish(written);
  int code = finish(kOk);
  if (report_policy().json)
    json_report()["profile"] = Json{{"file", escape_for_display(a.output)},
                                    {"payloads", n},
                                    {"platform", std::string(platform_name(profile->platform))},
                                    {"encrypted", encryptor.has_value()},
                                    {"signed", signer.has_value()}};
  if (a.output != "-") {
    status_stream() << "wrote " << a.output << " (" << n << (n == 1 ? " payload, " : " payloads, ")
                    << platform_name(profile->platform) << (encryptor ? ", encrypted" : "")
                    << (signer ? ", signed" : "") << ")\n";
  }
  return code;
}

}  // namespace

void register_compile_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompileArgs>();
  CLI::App* cmd = app.add_subcommand("compile", "Compile Graph JSON files into one configuration profile");
  if (!registers_in_full(*cmd)) return;
  auto* inputs = cmd->add_option("inputs", args->inputs, "Graph JSON files (- for standard input); with --out-dir also directories, searched for *.json")->required();
  auto* output = cmd->add_option("-o,--output", args->output, "Output profile: every input in one profile (- for standard output)");
  auto* out_dir = cmd->add_option("--out-dir", args->out_dir, "Write one profile per Graph object into this directory");
  output->excludes(out_dir);
  cmd->add_flag("--force", args->force, "With --out-dir: overwrite existing profiles");
  cmd->add_flag("--no-progress", args->no_progress, "With --out-dir: no progress bar (shown only when stderr is a terminal)");
  cmd->add_option("-j,--jobs", args->jobs, "With --out-dir: parallel jobs (default: one per core)")
      ->transform(decimal_at_most(256))
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"xml", "binary"}))->capture_default_str();
  cmd->add_option("--platform", args->platform, "Target platform (default: from the Graph type)")
      ->check(CLI::IsMember({"ios", "macos"}));
  cmd->add_option("--identifier-prefix", args->identifier_prefix, "Prefix of every PayloadIdentifier (reverse DNS)")
      ->check(reverse_dns())
      ->capture_default_str();
  cmd->add_option("--mappings", args->mappings, "Load mapping tables from this directory instead of the built-in ones")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--type", args->type, "Graph type for objects without @odata.type");
  // One value per use, repeated for more, as openssl and git options are: a vector option
  // would otherwise swallow the input files that follow it.
  cmd->add_option("--var", args->vars, "Value of an Intune variable, NAME=VALUE (repeatable; default: variables stay as {{NAME}})")
      ->allow_extra_args(false);
  cmd->add_option("--vars", args->vars_files, "JSON file of Intune variable values {\"NAME\": \"VALUE\"} (repeatable)")
      ->allow_extra_args(false);
  auto* challenge = cmd->add_option("--scep-challenge", args->scep_challenge,
                                    "Challenge for SCEP payloads (a secret: never printed; visible to other local users "
                                    "while the command runs, prefer --scep-challenge-file)")
                        ->expected(1)
                        ->multi_option_policy(CLI::MultiOptionPolicy::Throw);  // given twice: a usage error that shows neither
  auto* challenge_file = cmd->add_option("--scep-challenge-file", args->scep_challenge_file, "File holding the SCEP challenge")
                             ->excludes(challenge);
  auto* link = cmd->add_option("--link", args->links,
                               "Link object FROM's certificate reference to object TO, FROM=TO by Graph id or display name "
                               "(repeatable; with -o: overrides the references in the input)");
  link->allow_extra_args(false)->excludes(out_dir);
  args->encrypt_for.add_to(*cmd, false,
                           "Encrypt the payloads for a device's identity certificate, PEM or DER (repeatable; RSA, or EC "
                           "with a warning; with --out-dir: every profile)");
  cmd->add_option("--vpn-subtype", args->vpn_subtype,
                  "VPNSubType (the VPN app's bundle identifier) for connection types without a known one "
                  "(customVpn, netMotionMobility, microsoftProtect, citrix); replaces the object's identifier");
  cmd->add_option("--scep-url-index", args->scep_url_index, "Which of several scepServerUrls to use (0-based; default 0)")
      ->transform(decimal_at_most(std::numeric_limits<std::uint32_t>::max()));
  args->signing.add_to(*cmd, false);
  // A lab identity replaces every SCEP payload: a challenge would go nowhere, so asking for
  // both is a usage error rather than a challenge dropped without a word.
  CLI::Option* issue = args->identity.add_to(*cmd);
  challenge->excludes(issue);
  challenge_file->excludes(issue);
  add_json_flag(*cmd);
  cmd->callback([cmd, args, inputs, challenge, output, out_dir, &exit_code] {
    if (output->count() + out_dir->count() != 1) throw CLI::RequiredError("-o or --out-dir");
    // Two documents on one stream could not be told apart: the profile keeps standard output.
    if (report_policy().json && args->output == "-") {
      report_policy().json = false;  // the refusal is a usage error, told on standard error
      throw CLI::ValidationError("--json", "the profile goes to standard output (-o -), where the JSON report would "
                                           "go; write the profile to a file, or leave out --json");
    }
    refuse_challenge_words_as_inputs(*cmd, challenge, inputs, args->inputs);
    args->signing.validate();
    exit_code = finish_json_report(*cmd, run_compile(*args));
  });
}

}  // namespace mcc::cli
