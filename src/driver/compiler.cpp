// SPDX-License-Identifier: Apache-2.0
#include "base/messages.hpp"
#include "driver/compiler_impl.hpp"
#include "map/explain.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc {

Compiler::Compiler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compiler::Compiler(Compiler&&) noexcept = default;
Compiler& Compiler::operator=(Compiler&&) noexcept = default;
Compiler::~Compiler() = default;

const char* version() { return MCC_VERSION_STRING; }

std::optional<Compiler> Compiler::create(const std::optional<std::string>& mappings_dir, Diagnostics& diags) {
  if (!mappings_dir) {
    auto pipeline = driver::Pipeline::load_built_in(diags);
    if (!pipeline) return std::nullopt;
    return Compiler(std::make_unique<Impl>(Impl{std::move(*pipeline)}));
  }
  auto files = driver::Pipeline::table_files(*mappings_dir, diags);
  if (!files || diags.has_errors()) return std::nullopt;
  return create_from(*files, diags);
}

std::optional<Compiler> Compiler::create(const std::vector<TableText>& tables, Diagnostics& diags) {
  driver::TableFiles files;
  for (const auto& t : tables) files.emplace_back(t.name, t.json);
  return create_from(files, diags);
}

std::optional<Compiler> Compiler::create_from(const driver::TableFiles& files, Diagnostics& diags) {
  auto pipeline = driver::Pipeline::load(files, diags);
  if (!pipeline) return std::nullopt;
  return Compiler(std::make_unique<Impl>(Impl{std::move(*pipeline)}));
}

std::optional<CompiledProfile> Compiler::compile(const std::vector<InputFile>& inputs, const CompileOptions& options,
                                                 Diagnostics& diags) const {
  const driver::Pipeline& P = *impl_;
  const std::size_t errors_before = diags.count(Severity::error);
  const std::string first_file = inputs.empty() ? std::string() : inputs.front().name;
  if (!P.check_options(options, first_file, diags)) return std::nullopt;
  std::vector<read::GraphObject> objects = P.read(inputs, options, diags);
  std::optional<Platform> platform = options.platform;
  RepeatLimit unsupported;  // per input: a list of a million objects of another type
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (i > 0 && objects[i].file != objects[i - 1].file) unsupported.finish(diags, objects[i - 1].file);
    if (P.check(objects[i], i, diags, &unsupported) && !platform) platform = P.platform_of(objects[i].type);
  }
  if (!objects.empty()) unsupported.finish(diags, objects.back().file);
  if (diags.count(Severity::error) > errors_before || objects.empty()) {
    if (objects.empty() && diags.count(Severity::error) == errors_before) diags.add(msg::no_graph_object({first_file, ""}, "nothing"));
    return std::nullopt;
  }
  std::vector<driver::Prepared> prepared;
  prepared.reserve(objects.size());
  for (std::size_t i = 0; i < objects.size(); ++i)
    if (auto mapped = P.map(objects[i], *platform, options, i, diags)) prepared.push_back({std::move(objects[i]), std::move(*mapped)});
  if (diags.count(Severity::error) > errors_before) return std::nullopt;
  std::vector<const driver::Prepared*> units;
  units.reserve(prepared.size());
  for (const auto& p : prepared) units.push_back(&p);
  return P.link(units, *platform, options, diags);
}

std::vector<std::string> Compiler::supported_types() const { return impl_->tables.supported_types(); }

std::optional<std::string> Compiler::explain(std::string_view graph_type, bool markdown) const {
  const map::Table* table = impl_->tables.for_graph_type(graph_type);
  if (table == nullptr) return std::nullopt;
  std::string out = map::render_explain(*table, map::explain_lines(impl_->tables, *table), markdown);
  // What the type becomes under lab issuance follows, when that is another table.
  if (const map::Table* lab = impl_->tables.lab_variant(*table))
    out += (markdown ? "\n" : "") + map::render_explain(*lab, map::explain_lines(impl_->tables, *lab), markdown, table);
  return out;
}

std::vector<std::string> Compiler::uncovered_properties() const { return map::coverage_gaps(impl_->tables, impl_->graph); }

Diagnostics Compiler::validate(const Value& profile, Platform platform, std::string_view file) const {
  Diagnostics out;
  // An encrypted profile: its top level is checked, and its envelope read without a key.
  const Value* checked = &profile;
  Value top;
  if (auto encrypted = encryption_of(profile)) {
    if (profile.find("PayloadContent") != nullptr)
      out.add(msg::encrypted_payloads_invalid(std::string(file), "PayloadContent and EncryptedPayloadContent are both present; a device takes one of them"));
    if (!encrypted->readable)
      out.add(msg::encrypted_payloads_invalid(std::string(file), "EncryptedPayloadContent is not CMS EnvelopedData: " + encrypted->problem));
    // A device opens the envelope with its own key: a recipient whose key transport Apple's
    // decoder does not take is a device that cannot install the profile.
    for (const auto& why : encrypted->not_for_apple) out.add(msg::encryption_not_for_apple(std::string(file), why));
    top = profile;
    top.erase("EncryptedPayloadContent");
    top.erase("IsEncrypted");
    top.set("PayloadContent", Value(Array{}));
    checked = &top;
  }
  for (auto& issue : impl_->apple.validate_profile(*checked, platform)) {
    issue.diagnostic.file = std::string(file);
    out.add(std::move(issue.diagnostic));
  }
  return out;
}

Compiler::DetectedPlatform Compiler::detect_platform(const Value& profile) const {
  auto guess = impl_->apple.detect_platform(profile);
  return {guess.platform, std::move(guess.reason)};
}

}  // namespace mcc
