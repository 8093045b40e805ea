// SPDX-License-Identifier: Apache-2.0
#include "driver/pipeline.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "base/ascii.hpp"
#include "base/carriable.hpp"
#include "base/messages.hpp"
#include "base/stable_id.hpp"
#include "base/strings.hpp"
#include "check/checker.hpp"
#include "link/assemble.hpp"
#include "link/variables.hpp"
#include "map/engine.hpp"
#include "map/transforms/registry.hpp"
#include "schema/embedded.hpp"

namespace mcc::driver {
namespace {

namespace fs = std::filesystem;

std::string_view embedded_file(std::string_view path) {
  for (const auto& r : embedded::resources())
    if (r.path == path) return r.content;
  return {};
}

bool is_table_file(std::string_view name) { return name.size() > 5 && name.substr(name.size() - 5) == ".json" && name != "schema.json"; }

void check_option_text(const std::string& file, const std::string& subject, std::string_view value, TextRule rule,
                       Diagnostics& diags) {
  if (auto at = find_uncarriable(value, rule); at != std::string_view::npos)
    diags.add(msg::uncarriable_value({file, ""}, subject, describe_uncarriable(value, at)));
}

// Every string of `v` with the supplied variables substituted; the name of a variable left
// open, if any (a certificate cannot be issued for "{{UserName}}").
void substitute_request(Value& v, const std::map<std::string, std::string>& values, std::string& open) {
  if (v.is(Value::Kind::string)) {
    v = Value(link::substitute_variables(v.as_string(), values));
    if (auto left = link::find_variables(v.as_string()); !left.empty() && open.empty()) open = left.front().name;
  } else if (v.is(Value::Kind::array)) {
    for (auto& e : v.as_array()) substitute_request(e, values, open);
  } else if (v.is(Value::Kind::dict)) {
    for (auto& m : v.as_dict()) substitute_request(m.value, values, open);
  }
}

std::vector<std::string> strings_of(const Value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (v->is(Value::Kind::string)) out.push_back(v->as_string());
  if (v->is(Value::Kind::array))
    for (const auto& e : v->as_array())
      if (e.is(Value::Kind::string)) out.push_back(e.as_string());
  return out;
}

// The issuance request the rows of scope "issuance" wrote (see mappings/README.md), after
// variable substitution, turned into what the lab CA needs.
std::optional<IdentityRequest> identity_request(Value request, const CompileOptions& options, const read::GraphObject& object,
                                                Diagnostics& diags) {
  std::string open;
  substitute_request(request, options.variables, open);
  if (!open.empty()) {
    Diagnostic d = msg::issuance_failed({object.file, object.pointer},
                                        "{{" + open + "}} has no value, and a certificate cannot carry a variable");
    d.argument = msg::argument::var;
    d.argument_value = open;
    diags.add(std::move(d));
    return std::nullopt;
  }
  IdentityRequest r;
  r.seed_info = object.type + '\n' + stable_id(object.json);
  r.name = "lab identity " + stable_id(object.json);
  if (const Value* subject = request.find("subject"); subject && subject->is(Value::Kind::array))
    for (const auto& rdn : subject->as_array()) {
      if (!rdn.is(Value::Kind::array)) continue;
      std::vector<std::pair<std::string, std::string>> entries;
      for (const auto& pair : rdn.as_array()) {
        auto parts = strings_of(&pair);
        if (parts.size() == 2) entries.emplace_back(parts[0], parts[1]);
      }
      if (!entries.empty()) r.subject.push_back(std::move(entries));
    }
  if (const Value* sans = request.find("subjectAltNames"); sans && sans->is(Value::Kind::dict))
    for (const auto& m : sans->as_dict())
      for (auto& value : strings_of(&m.value)) r.alt_names.emplace_back(m.key, std::move(value));
  if (const Value* bits = request.find("keySize"); bits && bits->is(Value::Kind::integer))
    r.key_bits = static_cast<int>(bits->as_int());
  if (const Value* usage = request.find("keyUsage"); usage && usage->is(Value::Kind::integer))
    r.key_usage = static_cast<int>(usage->as_int());
  r.extended_key_usages = strings_of(request.find("extendedKeyUsages"));
  if (const Value* validity = request.find("validity"); validity && validity->is(Value::Kind::dict)) {
    if (const Value* n = validity->find("value"); n && n->is(Value::Kind::integer)) r.validity_value = n->as_int();
    if (auto unit = strings_of(validity->find("unit")); !unit.empty()) r.validity_unit = unit.front();
  }
  return r;
}

// The Graph pointer behind payload key `path` of `mapped`: the closest enclosing key that
// has a source when `nearest`, else only `path` itself; the object's pointer when none has.
std::string source_of(const read::GraphObject& object, const map::MappedObject& mapped, const std::string& path, bool nearest) {
  for (std::string k = path; !k.empty();) {
    if (auto it = mapped.key_sources.find(k); it != mapped.key_sources.end()) return it->second;
    std::size_t cut = nearest ? k.find_last_of(".[") : std::string::npos;
    k = cut == std::string::npos ? std::string() : k.substr(0, cut);
  }
  return object.pointer;
}

}  // namespace

std::optional<TableFiles> Pipeline::table_files(const std::string& dir, Diagnostics& diags) {
  TableFiles files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.add(msg::table_io(dir, "not a directory"));
    return std::nullopt;
  }
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir, ec))
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
  if (files.empty()) diags.add(msg::table_io(dir, "no *.json tables"));
  return files;
}

namespace {

// The embedded schemas, then the tables `load_tables` gives.
template <class LoadTables>
std::optional<Pipeline> load_with(LoadTables&& load_tables, Diagnostics& diags) {
  // Graph's types are indexed now and each read when first used.
  std::optional<schema::GraphSchema> graph =
      schema::GraphSchema::from_static_text(embedded_file("schemas/graph-types.json"), "schemas/graph-types.json", diags);
  const schema::AppleSchema* apple = schema::AppleSchema::embedded(diags);
  if (!graph || !apple || diags.has_errors()) return std::nullopt;
  std::optional<map::TableSet> tables = load_tables();
  if (!tables) return std::nullopt;
  return Pipeline{std::move(*graph), *apple, std::move(*tables)};
}

}  // namespace

std::optional<Pipeline> Pipeline::load(const TableFiles& files, Diagnostics& diags) {
  return load_with([&] { return map::TableSet::load(files, map::transforms::signatures(), diags); }, diags);
}

std::optional<Pipeline> Pipeline::load_built_in(Diagnostics& diags) {
  return load_with(
      [&] {
        std::vector<std::pair<std::string_view, std::string_view>> files;
        for (const auto& r : embedded::resources())
          if (r.path.substr(0, 9) == "mappings/" && is_table_file(r.path.substr(9))) files.emplace_back(r.path, r.content);
        return map::TableSet::load_built_in(files, map::transforms::signatures(), diags);
      },
      diags);
}

bool Pipeline::check_options(const CompileOptions& o, const std::string& file, Diagnostics& diags) const {
  const std::size_t errors = diags.count(Severity::error);
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
  return diags.count(Severity::error) == errors;
}

std::string Pipeline::identity_key(std::string_view type, std::string_view id) {
  std::string key = ascii_lower(type);
  key += '/';
  key += id;
  return key;
}

std::vector<read::GraphObject> Pipeline::read(const std::vector<InputFile>& inputs, const CompileOptions& options,
                                              Diagnostics& diags) const {
  std::vector<read::GraphObject> objects;
  // An object given twice (the same Graph type and id) is compiled once: two payloads would
  // share one PayloadUUID. The same contents is a note; different contents is an error.
  std::unordered_map<std::string, std::size_t> seen;  // "type/id" → position in `objects`
  for (const auto& in : inputs) {
    auto found = read::read_graph_objects(in.name, in.bytes, options.graph_type, diags);
    RepeatLimit twice;  // a list of one object a million times
    for (auto& o : found) {
      const std::string id = stable_id(o.json);
      auto [it, first] = seen.try_emplace(identity_key(o.type, id), objects.size());
      if (first) {
        objects.push_back(std::move(o));
        continue;
      }
      const read::GraphObject& earlier = objects[it->second];
      twice.add(diags, msg::object_given_twice({o.file, o.pointer}, o.type, id, earlier.file, earlier.json == o.json));
    }
    twice.finish(diags, in.name);
  }
  return objects;
}

bool Pipeline::check(read::GraphObject& object, std::size_t object_index, Diagnostics& diags,
                     RepeatLimit* unsupported) const {
  const std::size_t reported = diags.size();
  const map::Table* table = tables.for_graph_type(object.type);
  if (table == nullptr) {
    auto d = msg::unsupported_type({object.file, object.pointer}, object.type, join(tables.supported_types()));
    if (unsupported != nullptr) {
      unsupported->add(diags, std::move(d));
    } else {
      diags.add(std::move(d));
    }
  } else {
    object.type = *table->graph_type;  // the table's spelling, whatever case the input used
    check::check_object(graph, object, diags);
  }
  diags.set_object(reported, object_index);
  return table != nullptr;
}

Platform Pipeline::platform_of(std::string_view type) const {
  const map::Table* table = tables.for_graph_type(type);
  return table != nullptr && table->platform == std::optional<std::string>("macos") ? Platform::macos : Platform::ios;
}

std::optional<map::MappedObject> Pipeline::map(const read::GraphObject& object, Platform platform, const CompileOptions& options,
                                               std::size_t object_index, Diagnostics& diags) const {
  map::MapInput input;
  input.platform = platform;
  input.scep_challenge = options.scep_challenge;
  input.scep_url_index = options.scep_url_index;
  input.vpn_subtype = options.vpn_subtype;
  input.now = options.now ? *options.now : static_cast<std::int64_t>(std::time(nullptr));
  input.variable = [&](std::string_view name) { return link::lookup_variable(options.variables, name); };
  input.identity = options.identity.get();
  // A lab identity: issued once for this object, when its identity row asks for it.
  std::optional<PayloadIdentity> issued;
  bool asked = false;
  if (options.lab_ca)
    input.issue_identity = [&](const Value& request, const std::string& file, const std::string&) -> const PayloadIdentity* {
      if (!asked) {
        asked = true;
        if (auto r = identity_request(request, options, object, diags))
          issued = options.lab_ca->issue(*r, options.source_date_epoch, input.now, file, diags);
      }
      return issued ? &*issued : nullptr;
    };
  const std::size_t reported = diags.size();
  auto mapped = map::map_object(tables, apple, object, input, diags);
  diags.set_object(reported, object_index);
  return mapped;
}

std::optional<Prepared> Pipeline::prepare(read::GraphObject object, const std::optional<Platform>& platform,
                                          const CompileOptions& options, std::size_t object_index, Diagnostics& diags) const {
  const std::size_t errors = diags.count(Severity::error);
  if (!check(object, object_index, diags) || diags.count(Severity::error) > errors) return std::nullopt;
  auto mapped = map(object, platform ? *platform : platform_of(object.type), options, object_index, diags);
  if (!mapped) return std::nullopt;
  return Prepared{std::move(object), std::move(*mapped)};
}

std::optional<CompiledProfile> Pipeline::link(const std::vector<const Prepared*>& objects, Platform platform,
                                              const CompileOptions& options, Diagnostics& diags,
                                              const std::vector<std::string>& explained) const {
  const std::size_t errors = diags.count(Severity::error);
  std::vector<link::Unit> units;
  units.reserve(objects.size());
  for (const Prepared* p : objects) units.push_back(link::make_unit(p->object, p->mapped));
  // Intune variables: substituted when values were given, reported when unknown or left open;
  // secrets are left as they are (Intune does not substitute in them) and never mentioned.
  for (std::size_t i = 0; i < units.size(); ++i) {
    auto& u = units[i];
    const std::size_t reported = diags.size();
    const std::string type = u.payload.find("PayloadType")->as_string();
    link::substitute_tree(u.payload, options.variables, u.object->file,
                          [&u](const std::string& path) { return source_of(*u.object, *u.mapped, path, true); },
                          [&](const std::string& path) { return apple.is_secret(type, path); }, diags,
                          link::VariableScope{u.mapped->device_certificate, &u.mapped->variable_places});
    link::substitute_tree(u.profile_keys, options.variables, u.object->file,
                          [&u](const std::string&) { return u.object->pointer; },
                          [&](const std::string& path) { return apple.is_secret("", path); }, diags);
    diags.set_object(reported, i);
  }
  if (diags.count(Severity::error) > errors) return std::nullopt;

  link::Assembled assembled = link::assemble_profile(std::move(units), options.identifier_prefix, options.links, diags, explained);
  Value& root = assembled.profile;
  const std::vector<std::size_t>& order = assembled.order;

  // What we emit must satisfy Apple's schema and be text a plist can carry; a violation names
  // the Graph property behind it. Top-level keys are traced to the object that supplies them;
  // a payload's keys to the object it was made from (PayloadContent[k] is objects[order[k]]:
  // certificates come first).
  auto object_of = [&](std::optional<std::size_t> payload) -> std::size_t {
    return payload && *payload < order.size() ? order[*payload] : assembled.lead;
  };
  auto where = [&](std::size_t object, const std::string& key, bool nearest) {
    const Prepared& p = *objects[object];
    return msg::Where{p.object.file, source_of(p.object, p.mapped, key, nearest)};
  };
  auto add = [&](Diagnostic d, std::size_t object) {
    d.object = object;
    diags.add(std::move(d));
  };
  // A top-level key and a payload key often hold the same value: one report per source.
  std::set<std::tuple<std::string, std::string, std::string>> reported;
  auto report_uncarriable = [&](const Value& tree, std::size_t object, const std::string& prefix) {
    for (auto bad : find_uncarriable_text(tree)) {
      const msg::Where w = where(object, bad.path, true);
      bad.path = prefix.empty() ? bad.path : bad.path.empty() ? prefix : prefix + "." + bad.path;
      if (reported.emplace(w.file, w.pointer, bad.what).second) add(msg::uncarriable_value(w, bad.subject(), bad.what), object);
    }
  };
  {
    Value top{Dict{}};
    for (const auto& m : root.as_dict())
      if (m.key != "PayloadContent") top.set(m.key, m.value);
    report_uncarriable(top, assembled.lead, "");
  }
  if (const Value* content = root.find("PayloadContent"); content != nullptr && content->is(Value::Kind::array))
    for (std::size_t i = 0; i < content->as_array().size(); ++i)
      report_uncarriable(content->as_array()[i], object_of(i), "PayloadContent[" + std::to_string(i) + "]");
  for (const auto& issue : apple.validate_profile(root, platform, schema::AppleSchema::TextCheck::skip)) {
    const std::string& key = issue.payload ? issue.key : issue.path;
    const std::size_t object = object_of(issue.payload);
    const msg::Where w = issue.payload ? where(object, key, false) : msg::Where{objects[assembled.lead]->object.file, ""};
    if (issue.kind == schema::SchemaIssue::Kind::missing_required) {
      std::string hint;
      if (issue.payload)
        if (auto it = objects[object]->mapped.key_sources.find(key); it != objects[object]->mapped.key_sources.end())
          hint = it->second;
      add(msg::apple_key_missing(w, key, hint), object);
    } else {
      add(msg::schema_violation(w, issue.diagnostic.message), object);
    }
  }
  if (diags.count(Severity::error) > errors) return std::nullopt;
  return CompiledProfile{std::move(root), platform};
}

}  // namespace mcc::driver
