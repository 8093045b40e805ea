// SPDX-License-Identifier: Apache-2.0
// `validate`: any profile (a signed one: its content) against Apple's payload schema, with
// what devices accept told apart from what they refuse.

#include <iostream>
#include <memory>

#include "cli/app_shell.hpp"
#include "base/messages.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/io.hpp"
#include "cli/json_report.hpp"
#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {
namespace {

struct ValidateArgs {
  std::string profile;
  std::string platform;  // empty: detected from the profile
};

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
  auto compiler = Compiler::create(std::nullopt, diags);
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

void register_validate_command(CLI::App& app, int& exit_code) {
  auto va = std::make_shared<ValidateArgs>();
  CLI::App* validate = app.add_subcommand("validate", "Check any profile against Apple's payload schema (a signed one: its content)");
  if (!registers_in_full(*validate)) return;
  validate->add_option("profile", va->profile, "Profile (XML or binary; - for standard input)")->required();
  validate->add_option("--platform", va->platform, "Platform to check for (default: detected from the profile)")->check(CLI::IsMember({"ios", "macos"}));
  add_json_flag(*validate);
  validate->callback([validate, va, &exit_code] { exit_code = finish_json_report(*validate, run_validate(*va)); });
}

}  // namespace mcc::cli
