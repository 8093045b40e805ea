// SPDX-License-Identifier: Apache-2.0
#include "cli/sign_commands.hpp"

#include <algorithm>
#include <array>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

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
  WriteOptions write_options;
  write_options.holds_secret = holds_secret(*root);
  write_options.inputs = &inputs;
  std::string error;
  switch (write_output(a.output, *der, error, write_options)) {
    case WriteStatus::ok: break;
    case WriteStatus::is_input: diags.add(msg::output_is_input(a.output)); return finish(kUsageError);
    case WriteStatus::terminal: diags.add(msg::binary_to_terminal(a.output)); return finish(kUsageError);
    default: diags.add(msg::cannot_write(display_output_name(a.output), error)); return finish(kInputError);
  }
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

// ---- inspect -------------------------------------------------------------------

struct InspectArgs {
  std::string input;
  bool show_secrets = false;
  DecryptKeyOption key;  // shows an encrypted profile's payloads
};

constexpr std::array kIdentityKeys = {"PayloadDisplayName", "PayloadIdentifier", "PayloadUUID", "PayloadType",
                                      "PayloadVersion",     "PayloadOrganization", "PayloadDescription",
                                      "PayloadScope",       "PayloadRemovalDisallowed"};
constexpr const char* kRedacted = "<redacted>";

bool is_identity(std::string_view key) {
  return std::find(kIdentityKeys.begin(), kIdentityKeys.end(), key) != kIdentityKeys.end();
}

std::string apple_date(const Date& d) {
  constexpr std::int64_t kAppleEpoch = 978307200;  // 2001-01-01T00:00:00Z
  return format_utc(kAppleEpoch + static_cast<std::int64_t>(d.seconds));
}

Json scalar_json(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::real: return v.as_real();
    case Value::Kind::string: return v.as_string();
    case Value::Kind::data: return encode_base64(v.as_data().bytes);
    case Value::Kind::date: return apple_date(v.as_date());
    case Value::Kind::array: return Json::array();
    case Value::Kind::dict: return Json::object();
  }
  return nullptr;
}

std::string scalar_text(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::string: return v.as_string();
    case Value::Kind::real: {
      std::ostringstream s;
      s << v.as_real();
      return s.str();
    }
    case Value::Kind::data: return "<data, " + std::to_string(v.as_data().bytes.size()) + " bytes>";
    case Value::Kind::date: return apple_date(v.as_date());
    case Value::Kind::array: return "[]";
    case Value::Kind::dict: return "{}";
    default: return describe(v);
  }
}

// One leaf setting of a payload: "IKEv2.RemoteAddress" and its value (nullptr: redacted).
struct Setting {
  std::string path;
  const Value* value;
};

// Flattens a payload's settings (identity keys aside), redacting secrets and everything
// inside a secret container (is_secret_key, the library's one rule) unless asked not to.
class SettingsFlattener {
 public:
  SettingsFlattener(std::string payload_type, bool show_secrets)
      : type_(std::move(payload_type)), show_secrets_(show_secrets) {}

  std::vector<Setting> flatten(const Value& payload) {
    out_.clear();
    for (const auto& m : payload.as_dict())
      if (!is_identity(m.key)) walk(m.key, m.value);
    return std::move(out_);
  }

 private:
  void walk(const std::string& path, const Value& v) {
    if (!show_secrets_ && is_secret_key(type_, path)) {
      out_.push_back({path, nullptr});
    } else if (v.is(Value::Kind::dict) && !v.as_dict().empty()) {
      for (const auto& m : v.as_dict()) walk(path + "." + m.key, m.value);
    } else if (v.is(Value::Kind::array) && !v.as_array().empty()) {
      for (std::size_t i = 0; i < v.as_array().size(); ++i) walk(path + "[" + std::to_string(i) + "]", v.as_array()[i]);
    } else {
      out_.push_back({path, &v});
    }
  }

  std::string type_;
  bool show_secrets_;
  std::vector<Setting> out_;
};

std::string string_at(const Value& dict, std::string_view key) {
  const Value* v = dict.find(key);
  return v && v->is(Value::Kind::string) ? v->as_string() : "";
}

std::vector<const Value*> payloads_of(const Value& root) {
  std::vector<const Value*> out;
  const Value* content = root.find("PayloadContent");
  if (content && content->is(Value::Kind::array))
    for (const auto& p : content->as_array())
      if (p.is(Value::Kind::dict)) out.push_back(&p);
  return out;
}

struct Inspection {
  std::string file;
  std::string format;
  std::optional<VerifyResult> signature;
  Value root;
  bool show_secrets = false;
  std::optional<EncryptionSummary> encryption;  // the profile's payloads are encrypted
  bool decrypted = false;                       // ...and were decrypted with --decrypt-key
};

Json encryption_json(const Inspection& in) {
  if (!in.encryption) return Json(nullptr);
  const EncryptionSummary& e = *in.encryption;
  Json recipients = Json::array();
  for (const auto& r : e.recipients) recipients.push_back(r);
  return Json{{"content_type", e.readable ? Json(e.content_type) : Json(nullptr)},
              {"size", e.size},
              {"problem", e.readable ? Json(nullptr) : Json(e.problem)},
              {"recipients", recipients},
              {"decrypted", in.decrypted}};
}

Json signature_json(const VerifyResult& r) {
  Json certs = Json::array();
  for (const auto& c : r.embedded) certs.push_back(certificate_json(c));
  return Json{{"signature_valid", r.signature_valid},
              {"trust_checked", false},
              {"signer", r.chain.empty() ? Json(nullptr) : certificate_json(r.chain.front())},
              {"certificates", certs},
              {"digest_algorithm", r.digest_algorithm},
              {"signature_algorithm", r.signature_algorithm},
              {"signing_time", r.signing_time ? Json(format_utc(*r.signing_time)) : Json(nullptr)}};
}

Json identity_json(const Value& dict) {
  Json out = Json::object();
  for (const char* key : kIdentityKeys)
    if (const Value* v = dict.find(key)) out[key] = scalar_json(*v);
  return out;
}

// A setting's whole value, nested dictionaries and arrays kept, with the same redaction as
// SettingsFlattener (`path` is spelled as it spells it: "IKEv2.SharedSecret", "Items[0].Password").
// Data that is one X.509 certificate (a root or PKCS#1 payload's content) is also decoded
// into `certificates`, with the path it sits at.
Json setting_json(const std::string& type, const std::string& path, const Value& v, bool show_secrets, Json& certificates) {
  if (!show_secrets && is_secret_key(type, path)) return kRedacted;
  if (v.is(Value::Kind::dict)) {
    Json out = Json::object();
    for (const auto& m : v.as_dict())
      out[m.key] = setting_json(type, path + "." + m.key, m.value, show_secrets, certificates);
    return out;
  }
  if (v.is(Value::Kind::array)) {
    Json out = Json::array();
    for (std::size_t i = 0; i < v.as_array().size(); ++i)
      out.push_back(setting_json(type, path + "[" + std::to_string(i) + "]", v.as_array()[i], show_secrets, certificates));
    return out;
  }
  if (v.is(Value::Kind::data)) {
    const auto& bytes = v.as_data().bytes;
    std::string why;
    if (auto cert = crypto::read_certificate(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), why))
      certificates.push_back(Json{{"setting", path}, {"certificate", certificate_json(cert->summary)}});
  }
  return scalar_json(v);
}

Json inspection_json(const Inspection& in) {
  Json payloads = Json::array();
  for (const Value* p : payloads_of(in.root)) {
    Json entry = identity_json(*p);
    Json settings = Json::object();
    Json certificates = Json::array();
    const std::string type = string_at(*p, "PayloadType");
    for (const auto& m : p->as_dict())
      if (!is_identity(m.key)) settings[m.key] = setting_json(type, m.key, m.value, in.show_secrets, certificates);
    entry["settings"] = std::move(settings);
    entry["certificates"] = std::move(certificates);
    payloads.push_back(std::move(entry));
  }
  return Json{{"file", escape_for_display(in.file)},
              {"format", in.format},
              {"signature", in.signature ? signature_json(*in.signature) : Json(nullptr)},
              {"profile", identity_json(in.root)},
              {"encryption", encryption_json(in)},
              {"payloads", in.encryption && !in.decrypted ? Json(nullptr) : std::move(payloads)}};
}

void print_identity(std::ostream& out, const Value& dict, const char* indent, bool skip_type) {
  for (const char* key : kIdentityKeys) {
    if (skip_type && (std::string_view(key) == "PayloadType" || std::string_view(key) == "PayloadDisplayName")) continue;
    if (const Value* v = dict.find(key)) out << indent << key << ": " << scalar_text(*v) << '\n';
  }
}

void print_inspection(std::ostream& out, const Inspection& in) {
  out << "file:       " << in.file << '\n' << "format:     " << in.format << '\n';
  if (in.signature) {
    const VerifyResult& r = *in.signature;
    out << "signed by:  " << (r.chain.empty() ? "(no signer certificate)" : r.chain.front().subject) << '\n'
        << "signature:  " << (r.signature_valid ? "intact" : "does not verify") << ", " << r.digest_algorithm << ", "
        << r.embedded.size() << " certificates embedded (trust not checked: use verify --ca)\n";
    if (r.signing_time) out << "signed at:  " << format_utc(*r.signing_time) << '\n';
  } else {
    out << "signed by:  (not signed)\n";
  }
  out << "profile:\n";
  print_identity(out, in.root, "  ", false);
  if (in.encryption) {
    const EncryptionSummary& e = *in.encryption;
    out << "encrypted:  EncryptedPayloadContent, " << e.size << " bytes, "
        << (e.readable ? "CMS " + e.content_type : "unreadable: " + e.problem) << '\n';
    for (const auto& r : e.recipients) out << "  recipient: " << r << '\n';
    if (!in.decrypted) {
      out << "payloads:   encrypted (inspect --decrypt-key KEY shows them)\n";
      return;
    }
  }
  const auto payloads = payloads_of(in.root);
  out << "payloads:   " << payloads.size() << (in.decrypted ? " (decrypted)" : "") << '\n';
  std::size_t n = 0;
  for (const Value* p : payloads) {
    const std::string type = string_at(*p, "PayloadType");
    const std::string display = string_at(*p, "PayloadDisplayName");
    out << "  [" << ++n << "] " << (type.empty() ? "(no PayloadType)" : type);
    if (!display.empty()) out << " \"" << display << '"';
    out << '\n';
    print_identity(out, *p, "      ", true);
    for (const auto& s : SettingsFlattener(type, in.show_secrets).flatten(*p)) {
      std::string text = s.value ? scalar_text(*s.value) : kRedacted;
      if (text.size() > 100) text = text.substr(0, 97) + "...";
      out << "      " << s.path << ": " << text << '\n';
    }
  }
}

int run_inspect(const InspectArgs& a) {
  Diagnostics diags;
  auto finish = [&](int code) {
    print_diagnostics(std::cerr, diags);
    return code;
  };
  Inspection in;
  in.file = display_name(a.input);
  in.show_secrets = a.show_secrets;
  ReadError error;
  auto bytes = read_input(a.input, error);
  if (!bytes) {
    diags.add(read_failure(a.input, error));
    return finish(kInputError);
  }
  std::string content = std::move(*bytes);
  if (looks_like_cms(content)) {
    // Integrity is checked and shown; trust needs anchors, which is verify's job.
    in.signature = verify_profile(content, in.file, {}, diags);
    if (in.signature->content.empty() || !in.signature->content_is_plist) return finish(kInputError);
    content = std::move(in.signature->content);
  }
  const bool binary = content.rfind("bplist00", 0) == 0;
  in.format = std::string(in.signature ? "signed (CMS, DER), " : "") + (binary ? "binary plist" : "xml plist");
  auto root = parse_plist(content, in.file, diags);
  if (!root) return finish(kInputError);
  if (!root->is(Value::Kind::dict)) {
    diags.add(msg::not_a_plist(in.file, "the top level is not a dictionary"));
    return finish(kInputError);
  }
  in.encryption = encryption_of(*root);
  if (in.encryption && a.key.given()) {
    InputFiles inputs;
    auto decrypted = a.key.decrypt(*root, in.file, inputs, diags);
    if (!decrypted) return finish(kInputError);
    root = std::move(decrypted);
    in.decrypted = true;
  }
  in.root = std::move(*root);
  if (report_policy().json) json_report() = inspection_json(in);
  else print_inspection(std::cout, in);
  return finish(exit_code_for(diags));
}

}  // namespace

void register_sign_commands(CLI::App& app, int& exit_code) {
  auto sign = std::make_shared<SignArgs>();
  CLI::App* s = app.add_subcommand("sign", "Sign a profile (CMS SignedData, DER) so devices show it as verified");
  s->add_option("profile", sign->input, "Unsigned profile, XML or binary plist (- for standard input)")->required();
  s->add_option("-o,--output", sign->output, "Signed profile (- for standard output)")->required();
  sign->signing.add_to(*s, true);
  s->callback([sign, &exit_code] {
    sign->signing.validate();
    exit_code = run_sign(*sign);
  });

  auto verify = std::make_shared<VerifyArgs>();
  CLI::App* v = app.add_subcommand("verify", "Check a signed profile's signature and its certificate chain");
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

  auto inspect = std::make_shared<InspectArgs>();
  CLI::App* i = app.add_subcommand("inspect", "Summarise a profile (signed, XML or binary): signer, identity, payloads");
  i->add_option("profile", inspect->input, "Profile (- for standard input)")->required();
  add_json_flag(*i);
  i->add_flag("--show-secrets", inspect->show_secrets, "Show shared secrets, passwords and challenges instead of <redacted>");
  inspect->key.add_to(*i, false);
  i->callback([i, inspect, &exit_code] { exit_code = finish_json_report(*i, run_inspect(*inspect)); });
}

}  // namespace mcc::cli
