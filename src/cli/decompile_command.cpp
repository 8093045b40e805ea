// SPDX-License-Identifier: Apache-2.0
// `decompile`: profiles → Graph objects (a list response, or IntuneManagement's folder).

#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "cli/app_shell.hpp"
#include "base/ascii.hpp"
#include "base/messages.hpp"
#include "cli/commands.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/io.hpp"
#include "mobileconfigc/decompile.hpp"

namespace mcc::cli {
namespace {

struct DecompileArgs {
  std::vector<std::string> profiles;
  std::string output;
  std::string out_dir;
  std::string format = "graph";
  std::string as = "native";
  std::string platform;
  std::string mappings;
  bool force = false;
};

int run_decompile(const DecompileArgs& a) {
  Diagnostics diags;
  if (a.format == "intunemanagement" && a.out_dir.empty()) {
    std::cerr << "decompile: --format intunemanagement writes a folder; give --out-dir\n";
    return kUsageError;
  }
  if (!a.output.empty() && !a.out_dir.empty()) {
    std::cerr << "decompile: give -o or --out-dir, not both\n";
    return kUsageError;
  }
  if (!a.out_dir.empty())
    if (auto problem = make_output_directory(a.out_dir)) {  // as mkdir -p
      diags.add(msg::cannot_write(a.out_dir, *problem));
      print_diagnostics(std::cerr, diags);
      return kInputError;
    }
  auto compiler = Compiler::create(a.mappings.empty() ? std::nullopt : std::optional(a.mappings), diags);
  if (!compiler) {
    print_diagnostics(std::cerr, diags);
    return kInputError;
  }
  DecompileOptions options;
  if (!a.platform.empty()) options.platform = parse_platform(a.platform);
  InputFiles inputs;
  for (const auto& p : a.profiles) inputs.add_path(p);

  std::vector<DecompiledObject> all;
  struct Output {
    std::string path;
    std::string bytes;
    bool holds_secret;  // 0600: the objects may carry the profile's secrets
  };
  std::vector<Output> files;
  bool failed = false, any_secret = false;
  std::vector<bool> secret_of;  // by object in `all`
  std::set<std::string> stems;  // --out-dir graph files written, lower case
  const bool joined = a.out_dir.empty() || a.format == "intunemanagement";  // one naming for every profile's objects
  for (const auto& path : a.profiles) {
    ReadError error;
    ReadOptions ro;
    ro.inputs = &inputs;
    auto bytes = read_input(path, error, ro);
    if (!bytes) {
      diags.add(read_failure(path, error));
      failed = true;
      continue;
    }
    InputFile input{display_name(path), std::move(*bytes)};
    auto result = a.as == "custom" ? wrap_as_custom(input, options, diags) : decompile(*compiler, input, options, diags);
    if (!result) {
      failed = true;
      continue;
    }
    any_secret = any_secret || result->holds_secret;
    if (joined) {
      // References are indices into this profile's objects; keep them valid in the joined list.
      const std::size_t offset = all.size();
      for (auto& o : result->objects) {
        for (auto& r : o.references) r.target += offset;
        all.push_back(std::move(o));
        secret_of.push_back(result->holds_secret);
      }
    } else {
      // Profiles of the same name from different folders get -2, -3, ... in the order given.
      const std::string base = std::filesystem::path(path == "-" ? "stdin" : path).stem().string();
      std::string stem = base;
      for (int n = 2; !stems.insert(ascii_lower(stem)).second; ++n) stem = base + "-" + std::to_string(n);
      files.push_back({(std::filesystem::path(a.out_dir) / (stem + ".json")).string(), graph_list_json(result->objects),
                       result->holds_secret});
    }
  }
  // IntuneManagement's file names are the display names, made unique across every profile.
  if (!a.out_dir.empty() && a.format == "intunemanagement") {
    auto named = intune_management_files(all);
    for (std::size_t k = 0; k < named.size(); ++k)
      files.push_back({(std::filesystem::path(a.out_dir) / named[k].first).string(), std::move(named[k].second), secret_of[k]});
  }
  // With -o (or standard output), an error in any profile writes nothing at all.
  if (a.out_dir.empty() && !failed) files.push_back({a.output.empty() ? "-" : a.output, graph_list_json(all), any_secret});
  int rc = failed ? kInputError : kOk;
  for (const auto& [out, content, secret] : files) {
    if (a.format == "intunemanagement") {
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(out).parent_path(), ec);
    }
    WriteOptions wo;
    wo.existing = a.force ? Existing::replace : Existing::keep;
    wo.inputs = &inputs;
    wo.holds_secret = secret;
    std::string error;
    switch (write_output(out, content, error, wo)) {
      case WriteStatus::ok: break;
      case WriteStatus::exists:
        diags.add(msg::cannot_write(display_output_name(out), "it exists; give --force to replace it"));
        rc = kInputError;
        break;
      case WriteStatus::is_input:
        diags.add(msg::output_is_input(display_output_name(out)));
        rc = kInputError;
        break;
      case WriteStatus::failed:
      case WriteStatus::terminal:  // JSON is text: not reached
        diags.add(msg::cannot_write(display_output_name(out), error));
        rc = kInputError;
        break;
    }
  }
  print_diagnostics(std::cerr, diags);
  return rc;
}

}  // namespace

void register_decompile_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<DecompileArgs>();
  CLI::App* cmd = app.add_subcommand("decompile", "Turn configuration profiles back into Intune Graph objects");
  if (!registers_in_full(*cmd)) return;
  cmd->add_option("profiles", a->profiles, "Profiles (XML, binary or signed; - for standard input)")->required();
  cmd->add_option("-o,--output", a->output, "Write one Graph list response here (default: standard output)");
  cmd->add_option("--out-dir", a->out_dir, "Write one file per profile (graph) or IntuneManagement's folder layout here");
  cmd->add_option("--format", a->format, "graph (a {\"value\": [...]} list) or intunemanagement")
      ->check(CLI::IsMember({"graph", "intunemanagement"}))
      ->capture_default_str();
  cmd->add_option("--as", a->as,
                  "native (the Graph types the tables map) or custom (the whole profile, as it is, in an "
                  "iosCustomConfiguration or macOSCustomConfiguration)")
      ->check(CLI::IsMember({"native", "custom"}))
      ->capture_default_str();
  cmd->add_option("--platform", a->platform, "Platform of the Graph types to produce")->check(CLI::IsMember({"ios", "macos"}));
  cmd->add_option("--mappings", a->mappings, "Mapping table directory")->check(CLI::ExistingDirectory);
  cmd->add_flag("--force", a->force, "Replace existing output files");
  cmd->callback([a, &exit_code] { exit_code = run_decompile(*a); });
}

}  // namespace mcc::cli
