// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>

#include "cli/app_shell.hpp"
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

}  // namespace

void register_table_commands(CLI::App& app, int& exit_code) {
  auto ex = std::make_shared<ExplainArgs>();
  CLI::App* explain = app.add_subcommand("explain", "Print how a Graph type maps to profile keys");
  if (!registers_in_full(*explain)) return;
  explain->add_option("type", ex->type, "Graph type, e.g. iosikEv2VpnConfiguration");
  explain->add_flag("--markdown", ex->markdown, "Markdown table output");
  explain->add_flag("--all", ex->all, "Every supported type");
  explain->add_option("--mappings", ex->mappings, "Mapping table directory")->check(CLI::ExistingDirectory);
  explain->callback([ex, &exit_code] { exit_code = run_explain(*ex); });
}

}  // namespace mcc::cli
