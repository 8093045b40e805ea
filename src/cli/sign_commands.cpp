// SPDX-License-Identifier: Apache-2.0
#include "cli/sign_commands.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/app_shell.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/encrypt_commands.hpp"
#include "mobileconfigc/identity.hpp"
#include "cli/io.hpp"
#include "cli/json_report.hpp"
#include "mobileconfigc/secrets.hpp"
#include "cli/signed_content.hpp"
#include "cli/signing_options.hpp"
#include "base/base64.hpp"
#include "base/messages.hpp"
#include "crypto/certificate.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {
namespace {

// ---- sign ----------------------------------------------------------------------

struct SignArgs {
  std::string input;
  std::string output;
  SigningOptions signing;
};

// An already signed input is refused rather than re-signed: re-signing would silently
// drop someone else's signature, and `inspect` shows what is inside.
int run_sign(const SignArgs& a) {
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  const std::string name = display_name(a.input);
  InputFiles inputs;
  inputs.add_path(a.input);
  a.signing.add_paths(inputs);
  if (inputs.is_input(a.output)) {
    diags.add(msg::output_is_input(a.output));
    return finish(kUsageError);
  }
  ReadError read_error;
  ReadOptions read_options;
  read_options.inputs = &inputs;
  auto bytes = read_input(a.input, read_error, read_options);
  if (!bytes) {
    diags.add(read_failure(a.input, read_error));
    return finish(kInputError);
  }
  if (looks_like_cms(*bytes)) {
    diags.add(msg::already_signed(name));
    return finish(kInputError);
  }
  auto root = parse_plist(*bytes, name, diags);
  if (!root) return finish(kInputError);
  auto signer = a.signing.load(diags, inputs);
  if (!signer) return finish(kInputError);
  auto der = signer->sign(*bytes, name, diags);
  if (!der) return finish(kInputError);
  if (const int written = write_profile(a.output, *der, holds_secret(*root), inputs, diags); written != kOk)
    return finish(written);
  const int code = finish(kOk);
  if (a.output != "-") {
    const std::size_t chain = signer->certificates().size() - 1;
    status_stream() << "signed " << a.output << " (signer " << signer->certificates().front().subject << ", " << chain
                    << (chain == 1 ? " chain certificate)\n" : " chain certificates)\n");
  }
  return code;
}

// ---- verify --------------------------------------------------------------------

struct VerifyArgs {
  std::string input;
  std::string output;  // -o: the signed content, written when the profile verifies
  std::vector<std::string> anchors;
  bool require_signed = false;
  bool no_system_ca = false;
};

std::string validity(const CertificateSummary& c) { return format_utc(c.not_before) + " to " + format_utc(c.not_after); }

// Where the trust anchors came from, for the report: "1 --ca file", "the system trust store (FILE, DIR)".
std::string anchor_source(const VerifyArgs& a) {
  if (!a.anchors.empty())
    return std::to_string(a.anchors.size()) + (a.anchors.size() == 1 ? " --ca file" : " --ca files");
  const TrustStoreLocation at = system_trust_store();
  return "the system trust store (" + at.file + ", " + at.directory + ")";
}

void print_report(std::ostream& out, const std::string& name, const VerifyResult& r, const std::string& anchors) {
  out << name << ": " << (r.valid() ? "valid" : "not valid") << '\n';
  if (!r.chain.empty()) {
    const auto& signer = r.chain.front();
    out << "signer:     " << signer.subject << '\n'
        << "  key:      " << signer.key << '\n'
        << "  valid:    " << validity(signer) << '\n'
        << "  sha-256:  " << signer.sha256 << '\n';
    out << "chain:\n";
    for (std::size_t i = 0; i < r.chain.size(); ++i) {
      const auto& c = r.chain[i];
      const bool anchor = r.chain_valid && i + 1 == r.chain.size();
      out << "  [" << i << "] " << c.subject << " (" << c.key << ", " << validity(c) << ")"
          << (anchor ? " trust anchor" : c.self_signed ? " self-signed" : "") << '\n';
    }
  }
  if (!r.digest_algorithm.empty())
    out << "digest:     " << r.digest_algorithm
        << (!r.digest_accepted ? " (refused: not collision-resistant)" : r.digest_algorithm == "SHA-1" ? " (weak)" : "")
        << '\n';
  if (!r.signature_algorithm.empty()) out << "signature:  " << r.signature_algorithm << '\n';
  if (r.signing_time) out << "signed at:  " << format_utc(*r.signing_time) << '\n';
  if (r.signer_count > 1) out << "signers:    " << r.signer_count << " (only the first is checked)\n";
  out << "content:    " << (r.content_is_plist ? "a property list" : "not a property list") << '\n';
  out << "integrity:  " << (r.signature_valid ? "the signature matches the content" : "failed") << '\n';
  if (!r.chain_checked) out << "trust:      not checked (--no-system-ca and no --ca): signature integrity only\n";
  else
    out << "trust:      "
        << (r.chain_valid ? "chains to a trust anchor from " : "does not chain to a trust anchor from ") << anchors
        << '\n';
  if (r.chain_valid && !r.chain.empty()) out << "anchor:     " << r.chain.back().subject << '\n';
}

// `verify --json`: the report's facts as values. "trust.anchors" says which anchors the chain
// was checked against: "system" (the store, named), "ca" (the files), or "none".
Json verify_json(const VerifyArgs& a, const VerifyResult& r, bool verified) {
  Json chain = Json::array();
  for (const auto& c : r.chain) chain.push_back(certificate_json(c));
  Json trust{{"checked", r.chain_checked}, {"anchors", !r.chain_checked ? "none" : a.anchors.empty() ? "system" : "ca"}};
  if (r.chain_checked && a.anchors.empty()) {
    const TrustStoreLocation at = system_trust_store();
    trust["store"] = Json{{"file", at.file}, {"directory", at.directory}};
  } else {
    trust["store"] = nullptr;
  }
  Json files = Json::array();
  for (const auto& path : a.anchors) files.push_back(escape_for_display(path));
  trust["ca_files"] = std::move(files);
  trust["chained"] = r.chain_valid;
  trust["anchor"] = r.chain_valid && !r.chain.empty() ? certificate_json(r.chain.back()) : Json(nullptr);
  return Json{{"file", escape_for_display(display_name(a.input))},
              {"signed", r.is_signed},
              {"verified", verified},
              {"signature_valid", r.signature_valid},
              {"content_is_plist", r.content_is_plist},
              {"signer", r.chain.empty() ? Json(nullptr) : certificate_json(r.chain.front())},
              {"chain", std::move(chain)},
              {"trust", std::move(trust)},
              {"digest_algorithm", r.digest_algorithm.empty() ? Json(nullptr) : Json(r.digest_algorithm)},
              {"digest_accepted", r.digest_accepted},
              {"signature_algorithm", r.signature_algorithm.empty() ? Json(nullptr) : Json(r.signature_algorithm)},
              {"signing_time", r.signing_time ? Json(format_utc(*r.signing_time)) : Json(nullptr)},
              {"signer_count", r.signer_count}};
}

int run_verify(const VerifyArgs& a) {
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  const std::string name = display_name(a.input);
  InputFiles inputs;
  inputs.add_path(a.input);
  for (const auto& path : a.anchors) inputs.add_path(path);
  if (!a.output.empty() && inputs.is_input(a.output)) {
    diags.add(msg::output_is_input(a.output));
    return finish(kUsageError);
  }
  if (a.output == "-" && report_policy().json) {
    std::cerr << "verify: --json and -o - both want standard output; write the profile to a file\n";
    return kUsageError;
  }
  ReadError error;
  ReadOptions read_options;
  read_options.inputs = &inputs;
  auto bytes = read_input(a.input, error, read_options);
  if (!bytes) {
    diags.add(read_failure(a.input, error));
    return finish(kInputError);
  }
  VerifyOptions options;
  options.system_trust = !a.no_system_ca;  // --ca replaces the system store
  for (const auto& path : a.anchors) {
    auto anchor = read_input(path, error);
    if (!anchor) diags.add(msg::cannot_read_signing_file(path, error.reason));
    else options.trust_anchors.push_back({path, std::move(*anchor)});
  }
  if (diags.has_errors()) return finish(kInputError);

  if (!looks_like_cms(*bytes)) {
    if (!parse_plist(*bytes, name, diags)) return finish(kInputError);
    // -o asks for what a signature carries: an unsigned profile has none to give.
    const bool required = a.require_signed || !a.output.empty();
    diags.add(msg::profile_not_signed(name, required));
    if (report_policy().json) json_report() = verify_json(a, VerifyResult{}, false);
    else if (a.output != "-") std::cout << name << ": not signed\n";
    return finish(required ? kInputError : kOk);
  }
  VerifyResult r = verify_profile(*bytes, name, options, diags);
  const bool verified = r.valid() && !diags.has_errors();
  if (report_policy().json) json_report() = verify_json(a, r, verified);
  // With -o - the profile goes to standard output, and the report to standard error.
  else print_report(a.output == "-" ? std::cerr : std::cout, name, r, anchor_source(a));
  // The content is written only when the profile verified: trust included, unlike unsign.
  if (!verified || a.output.empty()) return finish(verified ? kOk : kInputError);
  return finish(write_signed_content(name, r.content, a.output, inputs, diags));
}

}  // namespace

void register_sign_commands(CLI::App& app, int& exit_code) {
  auto sign = std::make_shared<SignArgs>();
  CLI::App* s = app.add_subcommand("sign", "Sign a profile (CMS SignedData, DER) so devices show it as verified");
  if (registers_in_full(*s)) {
    s->add_option("profile", sign->input, "Unsigned profile, XML or binary plist (- for standard input)")->required();
    s->add_option("-o,--output", sign->output, "Signed profile (- for standard output)")->required();
    sign->signing.add_to(*s, true);
    s->callback([sign, &exit_code] {
      sign->signing.validate();
      exit_code = run_sign(*sign);
    });
  }

  auto verify = std::make_shared<VerifyArgs>();
  CLI::App* v = app.add_subcommand("verify", "Check a signed profile's signature and its certificate chain");
  if (!registers_in_full(*v)) return;
  v->add_option("profile", verify->input, "Profile (- for standard input)")->required();
  v->add_option("--ca", verify->anchors,
                "Trust anchor certificates, PEM or DER (repeatable); replace the system trust store "
                "($SSL_CERT_FILE, $SSL_CERT_DIR or OpenSSL's default)")
      ->allow_extra_args(false);
  v->add_flag("--no-system-ca", verify->no_system_ca,
              "Without --ca: do not check the chain against the system trust store (signature integrity only)");
  v->add_flag("--require-signed", verify->require_signed, "Fail on an unsigned profile");
  v->add_option("-o,--output", verify->output,
                "When it verifies, write the profile it carries here, byte for byte (- for standard output)");
  add_json_flag(*v);
  v->callback([v, verify, &exit_code] { exit_code = finish_json_report(*v, run_verify(*verify)); });
}

}  // namespace mcc::cli
