// `decompile`: profiles → Graph objects (a list response, or IntuneManagement's folder).

#include <filesystem>
#include <iostream>
#include <memory>

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
    if (auto problem = output_directory_problem(a.out_dir)) {
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
  std::vector<std::pair<std::string, std::string>> files;  // path → bytes
  bool failed = false;
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
    auto result = decompile(*compiler, InputFile{display_name(path), std::move(*bytes)}, options, diags);
    if (!result) {
      failed = true;
      continue;
    }
    if (a.out_dir.empty()) {
      // References are indices into this profile's objects; keep them valid in the joined list.
      const std::size_t offset = all.size();
      for (auto& o : result->objects) {
        for (auto& r : o.references) r.target += offset;
        all.push_back(std::move(o));
      }
    } else if (a.format == "intunemanagement") {
      for (auto& [rel, content] : intune_management_files(result->objects))
        files.emplace_back((std::filesystem::path(a.out_dir) / rel).string(), std::move(content));
    } else {
      std::string stem = std::filesystem::path(path == "-" ? "stdin" : path).stem().string();
      files.emplace_back((std::filesystem::path(a.out_dir) / (stem + ".json")).string(), graph_list_json(result->objects));
    }
  }
  // With -o (or standard output), an error in any profile writes nothing at all.
  if (a.out_dir.empty() && !failed) files.emplace_back(a.output.empty() ? "-" : a.output, graph_list_json(all));
  int rc = failed ? kInputError : kOk;
  for (const auto& [out, content] : files) {
    if (a.format == "intunemanagement") {
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(out).parent_path(), ec);
    }
    WriteOptions wo;
    wo.existing = a.force ? Existing::replace : Existing::keep;
    wo.inputs = &inputs;
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
  cmd->add_option("profiles", a->profiles, "Profiles (XML, binary or signed; - for standard input)")->required();
  cmd->add_option("-o,--output", a->output, "Write one Graph list response here (default: standard output)");
  cmd->add_option("--out-dir", a->out_dir, "Write one file per profile (graph) or IntuneManagement's folder layout here");
  cmd->add_option("--format", a->format, "graph (a {\"value\": [...]} list) or intunemanagement")
      ->check(CLI::IsMember({"graph", "intunemanagement"}))
      ->capture_default_str();
  cmd->add_option("--platform", a->platform, "Platform of the Graph types to produce")->check(CLI::IsMember({"ios", "macos"}));
  cmd->add_option("--mappings", a->mappings, "Mapping table directory")->check(CLI::ExistingDirectory);
  cmd->add_flag("--force", a->force, "Replace existing output files");
  cmd->callback([a, &exit_code] { exit_code = run_decompile(*a); });
}

}  // namespace mcc::cli
