// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/io.hpp"
#include "cli/json_report.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {
namespace {

struct ExplainArgs {
  std::string type;
  bool markdown = false;
  bool all = false;
  std::string mappings;
};

struct ValidateArgs {
  std::string profile;
  std::string platform;  // empty: detected from the profile
};

std::optional<Compiler> load(const std::string& mappings, Diagnostics& diags) {
  return Compiler::create(mappings.empty() ? std::nullopt : std::optional(mappings), diags);
}

int run_explain(const ExplainArgs& a) {
  Diagnostics diags;
  auto compiler = load(a.mappings, diags);
  print_diagnostics(std::cerr, diags);
  if (!compiler) return kInputError;
  if (a.all) {
    for (const auto& t : compiler->supported_types()) std::cout << *compiler->explain(t, a.markdown) << '\n';
    return kOk;
  }
  if (a.type.empty()) {
    std::cerr << "explain: name a Graph type, or --all; supported types:\n";
    for (const auto& t : compiler->supported_types()) std::cerr << "  " << t << '\n';
    return kUsageError;
  }
  // As `compile --type` does: "#microsoft.graph.iosVpnConfiguration" names the same type.
  std::string_view type = a.type;
  constexpr std::string_view kQualifier = "#microsoft.graph.";
  if (type.size() > kQualifier.size() &&
      std::equal(kQualifier.begin(), kQualifier.end(), type.begin(), [](char x, char y) { return x == std::tolower(static_cast<unsigned char>(y)); }))
    type.remove_prefix(kQualifier.size());
  auto text = compiler->explain(type, a.markdown);
  if (!text) {
    std::cerr << "explain: no mapping table for '" << a.type << "'; supported types:\n";
    for (const auto& t : compiler->supported_types()) std::cerr << "  " << t << '\n';
    return kInputError;
  }
  std::cout << *text;
  return kOk;
}

int run_validate(const ValidateArgs& a) {
  if (report_policy().json)  // "valid" turns true once the schema check finds nothing
    json_report() = Json{{"file", escape_for_display(display_name(a.profile))},
                         {"platform", a.platform.empty() ? Json(nullptr) : Json(a.platform)},  // detected below
                         {"valid", false}};
  Diagnostics diags;
  ReadError error;
  auto bytes = read_input(a.profile, error);
  if (!bytes) {
    diags.add(read_failure(a.profile, error));
    print_diagnostics(std::cerr, diags);
    return kInputError;
  }
  if (looks_like_cms(*bytes)) {  // its content is validated; verify checks the signature
    Diagnostics unchecked;
    auto opened = verify_profile(*bytes, display_name(a.profile), VerifyOptions{}, unchecked);
    if (!opened.is_signed || opened.content.empty()) {
      diags.add(msg::signed_profile(display_name(a.profile)));
      print_diagnostics(std::cerr, diags);
      return kInputError;
    }
    diags.add(msg::signed_content_validated(display_name(a.profile)));
    *bytes = std::move(opened.content);
  }
  auto compiler = load("", diags);
  auto root = parse_plist(*bytes, display_name(a.profile), diags);
  print_diagnostics(std::cerr, diags);
  if (!compiler || !root) return kInputError;
  if (encryption_of(*root)) {
    Diagnostics note;
    note.add(msg::payloads_encrypted(display_name(a.profile), "the payloads are encrypted and were not checked; "
                                                              "'mobileconfigc decrypt' gives a profile whose payloads can be"));
    print_diagnostics(std::cerr, note);
  }
  std::string detected;
  Platform platform = Platform::ios;
  if (auto given = parse_platform(a.platform)) {
    platform = *given;
  } else {
    auto guess = compiler->detect_platform(*root);
    platform = guess.platform;
    detected = guess.reason.empty() ? " (nothing in the profile names a platform)" : " (detected from " + guess.reason + ")";
  }
  auto problems = compiler->validate(*root, platform, display_name(a.profile));
  print_diagnostics(std::cerr, problems);
  const bool ok = !problems.has_errors();
  if (report_policy().json) {
    json_report()["platform"] = std::string(platform_name(platform));
    json_report()["valid"] = ok;
    return ok ? kOk : kInputError;
  }
  std::cout << display_name(a.profile) << (ok ? ": satisfies" : ": does not satisfy") << " apple's schema for "
            << platform_name(platform) << detected;
  auto count = [](std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
  if (!problems.empty())
    std::cout << ": " << count(problems.count(Severity::error), "error") << ", " << count(problems.count(Severity::warning), "warning")
              << ", " << count(problems.count(Severity::note), "note");
  std::cout << '\n';
  return ok ? kOk : kInputError;
}

}  // namespace

void register_table_commands(CLI::App& app, int& exit_code) {
  auto ex = std::make_shared<ExplainArgs>();
  CLI::App* explain = app.add_subcommand("explain", "Print how a Graph type maps to profile keys");
  explain->add_option("type", ex->type, "Graph type, e.g. iosikEv2VpnConfiguration");
  explain->add_flag("--markdown", ex->markdown, "Markdown table output");
  explain->add_flag("--all", ex->all, "Every supported type");
  explain->add_option("--mappings", ex->mappings, "Mapping table directory")->check(CLI::ExistingDirectory);
  explain->callback([ex, &exit_code] { exit_code = run_explain(*ex); });

  auto va = std::make_shared<ValidateArgs>();
  CLI::App* validate = app.add_subcommand("validate", "Check any profile against Apple's payload schema (a signed one: its content)");
  validate->add_option("profile", va->profile, "Profile (XML or binary; - for standard input)")->required();
  validate->add_option("--platform", va->platform, "Platform to check for (default: detected from the profile)")->check(CLI::IsMember({"ios", "macos"}));
  add_json_flag(*validate);
  validate->callback([validate, va, &exit_code] { exit_code = finish_json_report(*validate, run_validate(*va)); });
}

}  // namespace mcc::cli
