// SPDX-License-Identifier: Apache-2.0
// `inspect`: a readable (or JSON) summary of any profile — signed, encrypted, XML or binary —
// with its signer, identity and payloads, secrets redacted unless asked for.

#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/app_shell.hpp"
#include "base/base64.hpp"
#include "base/messages.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/encrypt_commands.hpp"
#include "cli/io.hpp"
#include "cli/json_report.hpp"
#include "crypto/certificate.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/profile_view.hpp"
#include "mobileconfigc/secrets.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {
namespace {

struct InspectArgs {
  std::string input;
  bool show_secrets = false;
  DecryptKeyOption key;  // shows an encrypted profile's payloads
};

constexpr const char* kRedacted = "<redacted>";

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

  std::vector<Setting> flatten(const PayloadView& payload) {
    out_.clear();
    for (const auto& s : payload.settings) walk(std::string(s.key), *s.value);
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

Json identity_json(const std::vector<KeyValue>& identity) {
  Json out = Json::object();
  for (const auto& [key, value] : identity) out[std::string(key)] = scalar_json(*value);
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
  const ProfileView view = view_profile(in.root);
  for (const PayloadView& p : view.payloads) {
    Json entry = identity_json(p.identity);
    Json settings = Json::object();
    Json certificates = Json::array();
    for (const auto& [key, value] : p.settings)
      settings[std::string(key)] = setting_json(p.type, std::string(key), *value, in.show_secrets, certificates);
    entry["settings"] = std::move(settings);
    entry["certificates"] = std::move(certificates);
    payloads.push_back(std::move(entry));
  }
  return Json{{"file", escape_for_display(in.file)},
              {"format", in.format},
              {"signature", in.signature ? signature_json(*in.signature) : Json(nullptr)},
              {"profile", identity_json(view.identity)},
              {"encryption", encryption_json(in)},
              {"payloads", in.encryption && !in.decrypted ? Json(nullptr) : std::move(payloads)}};
}

void print_identity(std::ostream& out, const std::vector<KeyValue>& identity, const char* indent, const PayloadView* heading) {
  for (const auto& k : identity)
    if (heading == nullptr || !heading->names_it(k)) out << indent << k.key << ": " << scalar_text(*k.value) << '\n';
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
  const ProfileView view = view_profile(in.root);
  print_identity(out, view.identity, "  ", nullptr);
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
  out << "payloads:   " << view.payloads.size() << (in.decrypted ? " (decrypted)" : "") << '\n';
  std::size_t n = 0;
  for (const PayloadView& p : view.payloads) {
    out << "  [" << ++n << "] " << (p.type.empty() ? "(no payload type)" : p.type);
    if (!p.display_name.empty()) out << " \"" << p.display_name << '"';
    out << '\n';
    print_identity(out, p.identity, "      ", &p);
    for (const auto& s : SettingsFlattener(p.type, in.show_secrets).flatten(p)) {
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

void register_inspect_command(CLI::App& app, int& exit_code) {
  auto inspect = std::make_shared<InspectArgs>();
  CLI::App* i = app.add_subcommand("inspect", "Summarise a profile (signed, XML or binary): signer, identity, payloads");
  if (!registers_in_full(*i)) return;
  i->add_option("profile", inspect->input, "Profile (- for standard input)")->required();
  add_json_flag(*i);
  i->add_flag("--show-secrets", inspect->show_secrets, "Show shared secrets, passwords and challenges instead of <redacted>");
  inspect->key.add_to(*i, false);
  i->callback([i, inspect, &exit_code] { exit_code = finish_json_report(*i, run_inspect(*inspect)); });
}

}  // namespace mcc::cli
