#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>
#include <tuple>
#include <fstream>
#include <sstream>

#include "check/checker.hpp"
#include "schema/graph_schema.hpp"
#include "base/carriable.hpp"
#include "driver/compiler_impl.hpp"
#include "schema/embedded.hpp"
#include "base/fast_json.hpp"
#include "base/messages.hpp"
#include "map/engine.hpp"
#include "map/explain.hpp"
#include "map/table.hpp"
#include "mobileconfigc/compile.hpp"
#include "schema/apple_schema.hpp"
#include "link/assemble.hpp"
#include "link/variables.hpp"
#include "read/reader.hpp"
#include "map/transforms/registry.hpp"

namespace mcc {
namespace {

namespace fs = std::filesystem;
using Files = std::vector<std::pair<std::string, std::string>>;

std::string_view embedded_file(std::string_view path) {
  for (const auto& r : embedded::resources())
    if (r.path == path) return r.content;
  return {};
}

bool is_table_file(std::string_view name) { return name.size() > 5 && name.substr(name.size() - 5) == ".json" && name != "schema.json"; }

std::optional<Files> table_files(const std::optional<std::string>& dir, Diagnostics& diags) {
  Files files;
  if (!dir) {
    for (const auto& r : embedded::resources()) {
      std::string_view p = r.path;
      if (p.substr(0, 9) == "mappings/" && is_table_file(p.substr(9))) files.emplace_back(std::string(p), std::string(r.content));
    }
    return files;
  }
  std::error_code ec;
  if (!fs::is_directory(*dir, ec)) {
    diags.add(msg::table_io(*dir, "not a directory"));
    return std::nullopt;
  }
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(*dir, ec))
    if (e.is_regular_file() && is_table_file(e.path().filename().string())) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) {
      diags.add(msg::table_io(p.string(), "cannot read"));
      return std::nullopt;
    }
    files.emplace_back(p.string(), ss.str());
  }
  if (files.empty()) diags.add(msg::table_io(*dir, "no *.json tables"));
  return files;
}

// Options reach the profile without passing the Graph checks, so what a property list
// cannot carry is refused here; the message names the option, never its value.
void check_option_text(const std::string& file, const std::string& subject, std::string_view value, TextRule rule,
                       Diagnostics& diags) {
  if (auto at = find_uncarriable(value, rule); at != std::string_view::npos)
    diags.add(msg::uncarriable_value({file, ""}, subject, describe_uncarriable(value, at)));
}

void check_options(const CompileOptions& o, const std::string& file, Diagnostics& diags) {
  check_option_text(file, "the identifier prefix", o.identifier_prefix, TextRule::identifier, diags);
  for (const auto& [name, value] : o.variables) {
    if (find_uncarriable(name, TextRule::identifier) != std::string::npos) {
      check_option_text(file, "a variable name", name, TextRule::identifier, diags);
      continue;
    }
    check_option_text(file, "the value of variable " + name, value, TextRule::text, diags);
  }
  if (o.scep_challenge) check_option_text(file, "the SCEP challenge", *o.scep_challenge, TextRule::text, diags);
  if (o.vpn_subtype) check_option_text(file, "the VPN subtype", *o.vpn_subtype, TextRule::identifier, diags);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

Compiler::Compiler(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compiler::Compiler(Compiler&&) noexcept = default;
Compiler& Compiler::operator=(Compiler&&) noexcept = default;
Compiler::~Compiler() = default;

const char* version() { return MCC_VERSION_STRING; }

std::optional<Compiler> Compiler::create(const std::optional<std::string>& mappings_dir, Diagnostics& diags) {
  using nlohmann::json;
  auto parse = [&](std::string_view path) {
    json j = parse_json_or_discarded(embedded_file(path));
    if (j.is_discarded()) diags.add(msg::table_io(std::string(path), "embedded schema is not valid JSON"));
    return j;
  };
  // Each parsed schema is released as soon as it is built: a fresh process touches fewer new
  // pages, and page faults are a good part of its start-up.
  std::optional<schema::GraphSchema> graph;
  {
    json graph_json = parse("schemas/graph-types.json");
    if (diags.has_errors()) return std::nullopt;
    graph = schema::GraphSchema::from_json(graph_json, "schemas/graph-types.json", diags);
  }
  std::optional<schema::AppleSchema> apple;
  {
    json apple_json = parse("schemas/apple-payloads.json");
    json overlay_json = parse("schemas/apple-overlay.json");
    if (diags.has_errors()) return std::nullopt;
    apple = schema::AppleSchema::from_json(apple_json, overlay_json, diags);
  }
  auto files = table_files(mappings_dir, diags);
  if (!graph || !apple || !files || diags.has_errors()) return std::nullopt;
  auto tables = map::TableSet::load(*files, map::transforms::signatures(), diags, /*built_in=*/!mappings_dir);
  if (!tables) return std::nullopt;
  return Compiler(std::make_unique<Impl>(Impl{std::move(*graph), std::move(*apple), std::move(*tables)}));
}

std::optional<CompiledProfile> Compiler::compile(const std::vector<InputFile>& inputs, const CompileOptions& options,
                                                 Diagnostics& diags) const {
  const auto& I = *impl_;
  std::size_t errors_before = diags.count(Severity::error);
  check_options(options, inputs.empty() ? std::string() : inputs.front().name, diags);
  if (diags.count(Severity::error) > errors_before) return std::nullopt;
  std::vector<read::GraphObject> objects;
  for (const auto& in : inputs) {
    if (!in.pointer.empty()) {  // one object cut out of its file
      if (auto o = read::read_graph_object(in.name, in.bytes, in.pointer, options.graph_type, diags)) objects.push_back(std::move(*o));
      continue;
    }
    auto found = read::read_graph_objects(in.name, in.bytes, options.graph_type, diags);
    for (auto& o : found) objects.push_back(std::move(o));
  }
  std::vector<link::Unit> units;
  std::optional<Platform> platform;
  platform = options.platform;
  for (auto& obj : objects) {
    const map::Table* table = I.tables.for_graph_type(obj.type);
    if (table == nullptr) {
      diags.add(msg::unsupported_type({obj.file, obj.pointer}, obj.type, join(I.tables.supported_types())));
      continue;
    }
    obj.type = *table->graph_type;  // the table's spelling, whatever case the input used
    check::check_object(I.graph, obj, diags);
    if (!platform) platform = table->platform == std::optional<std::string>("macos") ? Platform::macos : Platform::ios;
  }
  if (diags.count(Severity::error) > errors_before || objects.empty()) {
    if (objects.empty() && diags.count(Severity::error) == errors_before)
      diags.add(msg::no_graph_object({inputs.empty() ? "" : inputs.front().name, ""}, "nothing"));
    return std::nullopt;
  }
  map::MapInput map_input;
  map_input.platform = *platform;
  map_input.scep_challenge = options.scep_challenge;
  map_input.scep_url_index = options.scep_url_index;
  map_input.vpn_subtype = options.vpn_subtype;
  map_input.now = options.now ? *options.now : static_cast<std::int64_t>(std::time(nullptr));
  map_input.variable = [&](std::string_view name) { return link::lookup_variable(options.variables, name); };
  for (const auto& obj : objects) {
    if (auto mapped = map::map_object(I.tables, I.apple, obj, map_input, diags))
      units.push_back(link::Unit{&obj, std::move(*mapped)});
  }
  // Intune variables: substituted when values were given, reported when unknown or left open;
  // secrets are left as they are (Intune does not substitute in them) and never mentioned.
  for (auto& u : units) {
    auto pointer_of = [&u](const std::string& path) {
      for (std::string p = path; !p.empty();) {
        if (auto it = u.mapped.key_sources.find(p); it != u.mapped.key_sources.end()) return it->second;
        std::size_t cut = p.find_last_of(".[");
        p = cut == std::string::npos ? std::string() : p.substr(0, cut);
      }
      return u.object->pointer;
    };
    const std::string type = u.mapped.payload.find("PayloadType")->as_string();
    link::substitute_tree(u.mapped.payload, options.variables, u.object->file, pointer_of,
                             [&](const std::string& path) { return I.apple.is_secret(type, path); }, diags);
    link::substitute_tree(u.mapped.profile_keys, options.variables, u.object->file,
                             [&u](const std::string&) { return u.object->pointer; },
                             [&](const std::string& path) { return I.apple.is_secret("", path); }, diags);
  }
  if (diags.count(Severity::error) > errors_before) return std::nullopt;

  Value root = link::assemble_profile(units, options.identifier_prefix, options.links, diags);
  // What we emit must satisfy Apple's schema and be text a plist can carry; a violation
  // names the Graph property behind it. `nearest`: the closest enclosing key that has a
  // source, and the top-level keys are traced to the first object, which supplies them.
  // `unit` receives the unit whose payload holds the key (the first input's for top-level keys).
  const std::string& first_file = inputs.front().name;
  auto first_unit = std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.object->file == first_file; });
  auto locate = [&](const std::string& path, std::string& key, bool nearest, const link::Unit*& unit) {
    msg::Where w{first_file, ""};
    unit = first_unit != units.end() ? &*first_unit : nullptr;
    key = path;
    const bool in_payload = key.rfind("PayloadContent[", 0) == 0;
    if (!in_payload && (!nearest || units.empty())) return w;
    std::size_t index = 0;
    if (in_payload) {
      // "PayloadContent[N].Key": the payload of units[N]. Parsed without stoul/at, which
      // throw: a path of any other shape (a --mappings table can write odd top-level keys)
      // is reported against the first input.
      const std::size_t close = key.find(']');
      bool indexed = close != std::string::npos && close > 15 && close - 15 <= 9;
      for (std::size_t i = 15; indexed && i < close; ++i) {
        indexed = key[i] >= '0' && key[i] <= '9';
        index = index * 10 + static_cast<std::size_t>(key[i] - '0');
      }
      if (!indexed || index >= units.size()) return w;
      key = key.substr(std::min(key.size(), close + 2));
    }
    unit = &units[index];
    w = {unit->object->file, unit->object->pointer};
    for (std::string k = key; !k.empty();) {
      if (auto it = unit->mapped.key_sources.find(k); it != unit->mapped.key_sources.end()) {
        w.pointer = it->second;
        break;
      }
      std::size_t cut = nearest ? k.find_last_of(".[") : std::string::npos;
      k = cut == std::string::npos ? std::string() : k.substr(0, cut);
    }
    return w;
  };
  // A top-level key and a payload key often hold the same value: one report per source.
  std::set<std::tuple<std::string, std::string, std::string>> reported;
  for (const auto& bad : find_uncarriable_text(root)) {
    std::string key;
    const link::Unit* unit = nullptr;
    const msg::Where where = locate(bad.path, key, true, unit);
    if (reported.emplace(where.file, where.pointer, bad.what).second)
      diags.add(msg::uncarriable_value(where, bad.subject(), bad.what));
  }
  for (const auto& issue : I.apple.validate_profile(root, *platform)) {
    if (issue.kind == schema::SchemaIssue::Kind::uncarriable) continue;  // reported above, with its Graph pointer
    std::string key;
    const link::Unit* unit = nullptr;
    const msg::Where where = locate(issue.path, key, false, unit);
    const std::string& file = where.file;
    const std::string& pointer = where.pointer;
    if (issue.kind == schema::SchemaIssue::Kind::missing_required) {
      std::string hint;
      if (unit != nullptr)
        if (auto it = unit->mapped.key_sources.find(key); it != unit->mapped.key_sources.end()) hint = it->second;
      diags.add(msg::apple_key_missing({file, pointer}, key, hint));
    } else {
      diags.add(msg::schema_violation({file, pointer}, issue.diagnostic.message));
    }
  }
  if (diags.count(Severity::error) > errors_before) return std::nullopt;
  return CompiledProfile{std::move(root), *platform};
}

std::vector<std::string> Compiler::supported_types() const { return impl_->tables.supported_types(); }

std::optional<std::string> Compiler::explain(std::string_view graph_type, bool markdown) const {
  const map::Table* table = impl_->tables.for_graph_type(graph_type);
  if (table == nullptr) return std::nullopt;
  return map::render_explain(*table, map::explain_lines(impl_->tables, *table), markdown);
}

std::vector<std::string> Compiler::uncovered_properties() const { return map::coverage_gaps(impl_->tables, impl_->graph); }

Diagnostics Compiler::validate(const Value& profile, Platform platform, std::string_view file) const {
  Diagnostics out;
  for (auto& issue : impl_->apple.validate_profile(profile, platform)) {
    issue.diagnostic.file = std::string(file);
    out.add(std::move(issue.diagnostic));
  }
  return out;
}

}  // namespace mcc
