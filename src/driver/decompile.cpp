// SPDX-License-Identifier: Apache-2.0
// decompile: profile → Graph objects, through the same tables compile uses (map/inverse.*),
// then verified by compiling the objects back and comparing key by key.

#include "mobileconfigc/decompile.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "base/key_path.hpp"
#include "base/messages.hpp"
#include "base/sha1.hpp"
#include "base/uuid.hpp"
#include "driver/compiler_impl.hpp"
#include "driver/profile_content.hpp"
#include "map/inverse.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/secrets.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc {
namespace {

using nlohmann::json;

constexpr std::string_view kGraphPrefix = "#microsoft.graph.";
constexpr std::string_view kBindBase = "https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations('";

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_identity_key(std::string_view k) {
  return k == "PayloadUUID" || k == "PayloadIdentifier" || k == "PayloadType" || k == "PayloadVersion";
}

std::string pointer_escape(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Every leaf of a dictionary: (key path, JSON pointer suffix, value). Arrays of dictionaries
// are walked; other arrays, and empty dictionaries, are leaves.
struct Leaf {
  std::string path;
  std::string pointer;
  const Value* value;
};
void leaves(const Value& v, const std::string& path, const std::string& pointer, std::vector<Leaf>& out, bool top) {
  if (v.is(Value::Kind::dict) && !v.as_dict().empty()) {
    for (const auto& m : v.as_dict()) {
      if (top && is_identity_key(m.key)) continue;
      leaves(m.value, path.empty() ? m.key : path + "." + m.key, pointer + "/" + pointer_escape(m.key), out, false);
    }
    return;
  }
  if (v.is(Value::Kind::array) && !v.as_array().empty() &&
      std::all_of(v.as_array().begin(), v.as_array().end(), [](const Value& e) { return e.is(Value::Kind::dict); })) {
    for (std::size_t i = 0; i < v.as_array().size(); ++i)
      leaves(v.as_array()[i], path + "[" + std::to_string(i) + "]", pointer + "/" + std::to_string(i), out, false);
    return;
  }
  out.push_back({path, pointer, &v});
}

// Equal as a device reads them: booleans are 0/1, integral reals integers, payload UUIDs
// compared through the payload correspondence (`uuids`: original → recompiled, upper case).
bool equivalent(const Value& a, const Value& b, const std::map<std::string, std::string>& uuids) {
  if (auto x = a.device_number(), y = b.device_number(); x && y) return *x == *y;
  if (a.is(Value::Kind::string) && b.is(Value::Kind::string)) {
    if (a.as_string() == b.as_string()) return true;
    std::string ua = a.as_string(), ub = b.as_string();
    for (auto* s : {&ua, &ub})
      for (auto& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto it = uuids.find(ua);
    return it != uuids.end() && it->second == ub;
  }
  if (a.is(Value::Kind::array) && b.is(Value::Kind::array)) {
    if (a.as_array().size() != b.as_array().size()) return false;
    for (std::size_t i = 0; i < a.as_array().size(); ++i)
      if (!equivalent(a.as_array()[i], b.as_array()[i], uuids)) return false;
    return true;
  }
  if (a.is(Value::Kind::dict) && b.is(Value::Kind::dict)) {
    if (a.as_dict().size() != b.as_dict().size()) return false;
    for (const auto& m : a.as_dict()) {
      const Value* other = b.find(m.key);
      if (other == nullptr || !equivalent(m.value, *other, uuids)) return false;
    }
    return true;
  }
  return a == b;
}

// The outcome recorded for `path`, else the nearest reason recorded for a dictionary above it
// that is not carried (a carried dictionary says nothing about a key no row of it reads).
const map::KeyOutcome* outcome_for(const std::map<std::string, map::KeyOutcome>& keys, std::string path) {
  bool exact = true;
  while (!path.empty()) {
    if (auto it = keys.find(path); it != keys.end() && (exact || !it->second.claimed)) return &it->second;
    std::size_t cut = path.find_last_of(".[");
    path = cut == std::string::npos ? std::string() : path.substr(0, cut);
    exact = false;
  }
  return nullptr;
}

// "IKEv2.OnDemandRules[0].Action" → "/IKEv2/OnDemandRules/0/Action".
std::string key_path_pointer(const std::string& path) {
  std::string out = "/";
  for (char c : path) {
    if (c == '.' || c == '[') out += '/';
    else if (c != ']') out += c;
  }
  return out;
}

std::string file_stem(const std::string& name) {
  std::string base = name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1);
  if (auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base.empty() ? "profile" : base;
}

struct Payload {
  std::size_t index;  // in PayloadContent
  const Value* dict;
  std::string type, uuid, role;
  const map::Table* table = nullptr;
  std::string id;
  std::string prefix;  // the recovered identifier prefix
  map::UnmappedObject unmapped;
  bool decompiled = false;
};

// mobileconfigc's own PayloadIdentifier: <prefix>.<graphType>.<id>.<role>, with PayloadUUID
// uuid_v5(id:role); or, for a payload embedded in another's profile (a certificate),
// <prefix>.<profile part>.<graphType>.<id>.<role> with uuid_v5(<profile part>/id:role), where
// the profile part is "<ownerType>.<ownerId>" or "profile.<uuid>". Recovers the table, the id
// and the prefix.
bool recover(const map::TableSet& tables, const std::string& identifier, Payload& p) {
  auto last = identifier.rfind('.');
  if (last == std::string::npos) return false;
  std::string role = identifier.substr(last + 1);
  std::string lowered = lower(identifier);
  for (const auto& [name, t] : tables.all()) {
    if (!t.payload_type || !t.graph_type || t.payload_role != role) continue;
    std::string needle = "." + lower(*t.graph_type) + ".";
    auto at = lowered.rfind(needle, last);
    if (at == std::string::npos || at + needle.size() > last) continue;
    std::string id = identifier.substr(at + needle.size(), last - at - needle.size());
    if (lower(uuid_v5(kUuidNamespace, id + ":" + role)) == lower(p.uuid)) {
      p.table = &t;
      p.id = id;
      p.prefix = identifier.substr(0, at);
      return true;
    }
    // Embedded: the profile part is the last two dot-separated parts before the type.
    auto dot = at == 0 ? std::string::npos : identifier.rfind('.', at - 1);
    if (dot == std::string::npos || dot == 0) continue;
    auto start = identifier.rfind('.', dot - 1);
    if (start == std::string::npos) continue;
    const std::string profile_part = identifier.substr(start + 1, at - start - 1);
    if (lower(uuid_v5(kUuidNamespace, profile_part + "/" + id + ":" + role)) != lower(p.uuid)) continue;
    p.table = &t;
    p.id = id;
    p.prefix = identifier.substr(0, start);
    return true;
  }
  return false;
}

std::string declaring_type(const schema::GraphSchema& graph, const std::string& type, const std::string& property) {
  for (const auto* t : graph.chain(type))
    for (const auto& p : t->properties)
      if (p.name == property) return t->name;
  return type;
}

}  // namespace

std::optional<driver::ProfileContent> driver::profile_content(const InputFile& input, Diagnostics& diags) {
  if (!looks_like_cms(input.bytes)) return ProfileContent{input.bytes, false};
  Diagnostics scratch;  // the signature is not checked: verify's findings do not apply
  auto verified = verify_profile(input.bytes, input.name, VerifyOptions{}, scratch);
  if (!verified.is_signed || verified.content.empty()) {
    diags.add(msg::not_decompilable({input.name, ""}, "a signed profile whose content cannot be read"));
    return std::nullopt;
  }
  return ProfileContent{std::move(verified.content), true};
}

std::optional<DecompileResult> decompile(const Compiler& compiler, const InputFile& input, const DecompileOptions& options,
                                         Diagnostics& diags) {
  const driver::Pipeline& I = driver::Access::pipeline(compiler);
  const std::string& file = input.name;
  std::size_t errors_before = diags.count(Severity::error);
  auto profile = driver::profile_content(input, diags);
  if (!profile) return std::nullopt;
  if (profile->signed_input) diags.add(msg::signature_not_checked(file));
  auto root = parse_plist(profile->bytes, file, diags);
  if (!root) return std::nullopt;
  const Value* content = root->is(Value::Kind::dict) ? root->find("PayloadContent") : nullptr;
  if (root->is(Value::Kind::dict) && root->find("EncryptedPayloadContent")) {
    diags.add(msg::not_decompilable({file, "/EncryptedPayloadContent"}, "the payloads are encrypted"));
    return std::nullopt;
  }
  if (content == nullptr || !content->is(Value::Kind::array) || content->as_array().empty()) {
    diags.add(msg::not_decompilable({file, ""}, "not a configuration profile with payloads (no PayloadContent array)"));
    return std::nullopt;
  }
  const Value* profile_uuid = root->find("PayloadUUID");
  const std::string profile_id = profile_uuid && profile_uuid->is(Value::Kind::string) ? profile_uuid->as_string() : std::string();

  std::vector<Payload> payloads;
  for (std::size_t i = 0; i < content->as_array().size(); ++i) {
    const Value& d = content->as_array()[i];
    Payload p{i, &d, "", "", "", nullptr, "", "", {}, false};
    if (!d.is(Value::Kind::dict)) continue;
    if (const Value* t = d.find("PayloadType"); t && t->is(Value::Kind::string)) p.type = t->as_string();
    if (const Value* u = d.find("PayloadUUID"); u && u->is(Value::Kind::string)) p.uuid = u->as_string();
    if (const Value* id = d.find("PayloadIdentifier"); id && id->is(Value::Kind::string)) recover(I.tables, id->as_string(), p);
    payloads.push_back(std::move(p));
  }

  // The platform: given, from a recovered type, from PayloadScope (macOS only), else ios.
  Platform platform = Platform::ios;
  if (options.platform) {
    platform = *options.platform;
  } else if (auto it = std::find_if(payloads.begin(), payloads.end(), [](const Payload& p) { return p.table && p.table->platform; });
             it != payloads.end()) {
    platform = *it->table->platform == "macos" ? Platform::macos : Platform::ios;
  } else if (root->find("PayloadScope")) {
    platform = Platform::macos;
  } else {
    diags.add(msg::platform_assumed(file));
  }
  const std::string platform_text(platform_name(platform));

  // The payload whose top-level keys the profile carries: its owner, whose identity the
  // profile has (the profile's PayloadIdentifier and the payload's role), else the first that
  // is decompiled. Its object comes first, as the compile takes the keys from it.
  std::optional<std::size_t> owner;
  if (const Value* rid = root->find("PayloadIdentifier"); rid && rid->is(Value::Kind::string))
    for (std::size_t k = 0; k < payloads.size() && !owner; ++k) {
      const Value* pid = payloads[k].dict->find("PayloadIdentifier");
      if (payloads[k].table && pid && pid->is(Value::Kind::string) && pid->as_string() == rid->as_string() + "." + payloads[k].table->payload_role)
        owner = k;
    }
  std::optional<std::size_t> lead;
  std::set<std::string> ids;
  bool first = true;
  for (std::size_t k = 0; k < payloads.size(); ++k) {
    auto& p = payloads[k];
    std::vector<const map::Table*> candidates;
    if (p.table) {
      candidates.push_back(p.table);
    } else {
      for (const auto* t : map::tables_for_payload(I.tables, p.type))
        if (!t->platform || *t->platform == platform_text) candidates.push_back(t);
      std::string name = "decompile:" + profile_id + "/" + p.uuid;
      p.id = lower(uuid_v5(kUuidNamespace, name));
      for (int n = 1; ids.count(p.id); ++n) p.id = lower(uuid_v5(kUuidNamespace, name + "#" + std::to_string(n)));
    }
    if (candidates.empty()) {
      diags.add(msg::payload_not_decompiled({file, "/PayloadContent/" + std::to_string(p.index)}, p.type));
      continue;
    }
    if (!ids.insert(p.id).second) {
      diags.add(msg::not_decompilable({file, "/PayloadContent/" + std::to_string(p.index)}, "two payloads give the same graph id " + p.id));
      continue;
    }
    const bool takes_profile = owner ? k == *owner : first;
    if (takes_profile) lead = k;
    for (const auto* t : candidates) {
      auto u = map::unmap_payload(I.tables, *t, *p.dict, takes_profile ? &*root : nullptr, p.id);
      if (!p.decompiled || u.claimed > p.unmapped.claimed) {
        p.unmapped = std::move(u);
        p.table = t;
        p.decompiled = true;
      }
    }
    first = false;
  }

  // Objects in payload order, the lead first; references point at the payload they name.
  DecompileResult result;
  result.platform = platform;
  result.holds_secret = holds_secret(*root);
  std::vector<std::size_t> object_of(payloads.size(), SIZE_MAX);
  std::vector<json> objects;
  const Value* top_name = root->find("PayloadDisplayName");
  std::vector<std::size_t> object_order;
  if (lead) object_order.push_back(*lead);
  for (std::size_t k = 0; k < payloads.size(); ++k)
    if (k != lead) object_order.push_back(k);
  for (std::size_t k : object_order) {
    auto& p = payloads[k];
    if (!p.decompiled) continue;
    object_of[k] = result.objects.size();
    json obj = p.unmapped.object;
    obj["@odata.type"] = std::string(kGraphPrefix) + *p.table->graph_type;
    obj["id"] = p.id;
    if (!obj.contains("displayName") || !obj["displayName"].is_string()) {
      std::string base = top_name && top_name->is(Value::Kind::string) ? top_name->as_string() : file_stem(file);
      obj["displayName"] = base + " (" + p.table->payload_role + ")";
      diags.add(msg::display_name_made_up({file, "/PayloadContent/" + std::to_string(p.index)}, obj["displayName"].get<std::string>()));
    }
    DecompiledObject out;
    out.graph_type = *p.table->graph_type;
    out.id = p.id;
    out.display_name = obj["displayName"].get<std::string>();
    result.objects.push_back(std::move(out));
    objects.push_back(std::move(obj));
  }
  for (std::size_t k = 0; k < payloads.size(); ++k) {
    auto& p = payloads[k];
    if (!p.decompiled) continue;
    for (const auto& ref : p.unmapped.references) {
      std::string at = "/PayloadContent/" + std::to_string(p.index) + key_path_pointer(ref.key_path);
      std::optional<std::size_t> target;
      for (std::size_t j = 0; j < payloads.size() && !target; ++j) {
        if (j == k) continue;
        const auto& q = payloads[j];
        bool named = false;
        if (ref.fill == "PayloadUUID") {
          named = ref.value.is(Value::Kind::string) && lower(ref.value.as_string()) == lower(q.uuid);
        } else if (const Value* data = q.dict->find("PayloadContent"); data && data->is(Value::Kind::data) && ref.value.is(Value::Kind::data)) {
          const auto& b = data->as_data().bytes;
          auto digest = sha1(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
          named = std::vector<std::uint8_t>(digest.begin(), digest.end()) == ref.value.as_data().bytes;
        }
        if (!named) continue;
        if (!q.decompiled || std::find(ref.target_roles.begin(), ref.target_roles.end(), q.table->payload_role) == ref.target_roles.end()) {
          diags.add(msg::reference_not_recreated({file, at}, "it names payload " + std::to_string(q.index) + " (" + q.type +
                                                                 "), which is not decompiled to a " + (ref.target_roles.empty() ? std::string("supported") : ref.target_roles.front()) + " object"));
          target = SIZE_MAX;
          break;
        }
        target = j;
      }
      if (!target) {
        diags.add(msg::reference_not_recreated({file, at}, "no payload of this profile is the one it names"));
        continue;
      }
      if (*target == SIZE_MAX) continue;
      auto& obj = objects[object_of[k]];
      obj[ref.property + "@odata.bind"] = std::string(kBindBase) + payloads[*target].id + "')";
      result.objects[object_of[k]].references.push_back(
          {ref.property, declaring_type(I.graph, *p.table->graph_type, ref.property), object_of[*target]});
    }
  }

  // Verification: compile the objects back and compare every key. A value without a Graph
  // equivalent already fails the profile: then the claims are reported as they are.
  bool refused = false;
  for (const auto& p : payloads)
    for (const auto& [k, o] : p.unmapped.keys) refused = refused || (p.decompiled && o.error);
  std::optional<CompiledProfile> back;
  Diagnostics forward;
  if (!objects.empty() && !refused) {
    CompileOptions co;
    co.platform = platform;
    for (const auto& p : payloads)
      if (p.decompiled && !p.prefix.empty()) {
        co.identifier_prefix = p.prefix;
        break;
      }
    // Graph carries no PKCS#12 identity: the compile back embeds the profile's own (the
    // first), as --identity-p12 would, and its keys are reported as not carried.
    for (const auto& p : payloads)
      if (p.decompiled)
        if (auto id = map::embedded_identity(I.tables, *p.table, *p.dict)) {
          co.identity = std::make_shared<const PayloadIdentity>(std::move(*id));
          break;
        }
    json list = {{"value", objects}};
    back = compiler.compile({InputFile{file, list.dump()}}, co, forward);
    for (const auto& d : forward.items())
      if (d.severity == Severity::error) diags.add(msg::does_not_compile_back({file, ""}, format_diagnostic(d)));
  }
  std::map<std::string, std::string> uuids;  // original PayloadUUID → recompiled, upper case
  const Value* back_content = back ? back->root.find("PayloadContent") : nullptr;
  std::vector<const Value*> back_payload(payloads.size(), nullptr);
  if (back_content) {
    // The compile orders payloads itself (certificates first): each is found by its id.
    std::map<std::string, const Value*> back_by_id;
    for (const auto& b : back_content->as_array()) {
      const Value* u = b.find("PayloadUUID");
      const Value* pid = b.find("PayloadIdentifier");
      Payload q{0, &b, "", u && u->is(Value::Kind::string) ? u->as_string() : "", "", nullptr, "", "", {}, false};
      if (pid && pid->is(Value::Kind::string) && recover(I.tables, pid->as_string(), q)) back_by_id.emplace(q.id, &b);
    }
    for (std::size_t k = 0; k < payloads.size(); ++k) {
      if (object_of[k] == SIZE_MAX) continue;
      auto found = back_by_id.find(payloads[k].id);
      if (found == back_by_id.end()) continue;
      back_payload[k] = found->second;
      const Value* u = back_payload[k]->find("PayloadUUID");
      std::string a = payloads[k].uuid, b = u && u->is(Value::Kind::string) ? u->as_string() : "";
      for (auto* s : {&a, &b})
        for (auto& c : *s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      uuids[a] = b;
    }
  }

  // Apple's spec of a key: of the payload type, or of the profile's top level ("").
  auto apple_spec = [&](const std::string& payload_type, const std::string& path) -> const schema::KeySpec* {
    if (!payload_type.empty()) return I.apple.lookup(payload_type, path, platform).spec;
    const auto& keys = I.apple.toplevel().root.keys;
    auto it = keys.find(path);
    return it == keys.end() ? nullptr : &it->second;
  };
  auto report = [&](const Leaf& leaf, const Value* again, const std::map<std::string, map::KeyOutcome>& outcomes,
                    const std::string& what, const std::string& payload_type, const std::string& graph_base) {
    KeyReport r;
    r.pointer = leaf.pointer;
    const map::KeyOutcome* o = outcome_for(outcomes, leaf.path);
    const bool secret = I.apple.is_secret(payload_type, leaf.path);
    if ((again && !(o && o->lossy && !o->claimed) && equivalent(*leaf.value, *again, uuids)) || (refused && o && o->claimed)) {
      r.status = KeyReport::Status::carried;
      r.graph_pointer = o && o->claimed ? graph_base + o->graph_pointer : graph_base;
      result.keys.push_back(std::move(r));
      return;
    }
    if (o && o->error) {
      r.status = KeyReport::Status::error;
      r.reason = secret ? "the value has no graph equivalent" : o->reason;
      diags.add(msg::no_graph_equivalent({file, leaf.pointer}, r.reason));
    } else {
      r.status = KeyReport::Status::not_carried;
      if (o && !o->claimed && !o->reason.empty()) r.reason = o->reason;
      else if (o && o->claimed)
        r.reason = again ? "compiling " + graph_base + o->graph_pointer + " back gives " + (secret ? "another value" : describe(*again)) + " instead"
                         : "compiling " + graph_base + o->graph_pointer + " back leaves the key out";
      else r.reason = "no property of " + what + " carries it";
      // Left out (not given another value) and holding Apple's default: the device behaves
      // the same without it, so it is a note, not a loss.
      const schema::KeySpec* spec = apple_spec(payload_type, leaf.path);
      if (!again && (back || !(o && o->claimed)) && !secret && spec && spec->is_default(*leaf.value)) {
        r.status = KeyReport::Status::apple_default;
        diags.add(msg::key_holds_apple_default({file, leaf.pointer}, describe(*leaf.value), r.reason));
      } else {
        diags.add(msg::key_not_carried({file, leaf.pointer}, r.reason, o ? o->argument : std::string()));
      }
    }
    result.keys.push_back(std::move(r));
  };

  // Top-level keys.
  {
    std::vector<Leaf> top;
    Value rest = *root;
    rest.erase("PayloadContent");
    leaves(rest, "", "", top, true);
    std::map<std::string, map::KeyOutcome> outcomes;
    if (lead && payloads[*lead].decompiled) outcomes = payloads[*lead].unmapped.profile_keys;
    for (const auto& leaf : top) {
      const Value* again = back ? find_path(back->root, leaf.path) : nullptr;
      report(leaf, again, outcomes, "the graph objects", "", "/value/0");
    }
  }
  for (std::size_t k = 0; k < payloads.size(); ++k) {
    const auto& p = payloads[k];
    std::vector<Leaf> ls;
    std::string base = "/PayloadContent/" + std::to_string(p.index);
    leaves(*p.dict, "", base, ls, true);
    if (!p.decompiled) {
      for (const auto& leaf : ls)
        result.keys.push_back({leaf.pointer, KeyReport::Status::not_carried, "", "payload type " + p.type + " is not decompiled"});
      continue;
    }
    std::string graph_base = "/value/" + std::to_string(object_of[k]);
    for (const auto& leaf : ls) {
      const Value* again = back_payload[k] ? find_path(*back_payload[k], leaf.path) : nullptr;
      report(leaf, again, p.unmapped.keys, *p.table->graph_type, p.type, graph_base);
    }
    if (back_payload[k]) {
      std::vector<Leaf> added;
      leaves(*back_payload[k], "", base, added, true);
      for (const auto& leaf : added) {
        if (find_path(*p.dict, leaf.path) != nullptr) continue;
        const std::string value = I.apple.is_secret(p.type, leaf.path) ? "<redacted>" : describe(*leaf.value);
        // A key the profile lacks means Apple's default: another value changes the device.
        const schema::KeySpec* spec = apple_spec(p.type, leaf.path);
        if (spec && spec->default_value && !spec->is_default(*leaf.value) && value != "<redacted>")
          diags.add(msg::key_added_changes_behaviour({file, leaf.pointer}, leaf.path, value, spec->default_value->dump()));
        else
          diags.add(msg::key_added({file, leaf.pointer}, leaf.path, value));
      }
    }
  }
  for (std::size_t k = 0; k < payloads.size(); ++k)
    for (const auto* id : {"PayloadUUID", "PayloadIdentifier", "PayloadType", "PayloadVersion"})
      if (payloads[k].dict->find(id))
        result.keys.push_back({"/PayloadContent/" + std::to_string(payloads[k].index) + "/" + id, KeyReport::Status::identity, "", ""});
  for (const auto* id : {"PayloadUUID", "PayloadIdentifier", "PayloadType", "PayloadVersion"})
    if (root->find(id)) result.keys.push_back({std::string("/") + id, KeyReport::Status::identity, "", ""});

  if (diags.count(Severity::error) > errors_before) return std::nullopt;
  for (std::size_t i = 0; i < objects.size(); ++i) result.objects[i].json = objects[i].dump();
  return result;
}

std::string graph_list_json(const std::vector<DecompiledObject>& objects) {
  json list = {{"value", json::array()}};
  for (const auto& o : objects) list["value"].push_back(json::parse(o.json));
  return list.dump(2) + "\n";
}

std::vector<std::pair<std::string, std::string>> intune_management_files(const std::vector<DecompiledObject>& objects) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> taken;  // lower case: Windows file names ignore case
  for (const auto& o : objects) {
    json obj = json::parse(o.json);
    for (const auto& ref : o.references) {
      obj.erase(ref.property + "@odata.bind");
      const auto& target = objects[ref.target];
      obj["#CustomRef_" + ref.property] = target.display_name + "|:|" + std::string(kGraphPrefix) + target.graph_type;
      obj[ref.property + "@odata.associationLink"] = std::string(kBindBase) + o.id + "')/microsoft.graph." + ref.declaring_type + "/" +
                                                     ref.property + "/$ref";
    }
    // The name IntuneManagement gives the file: the display name without the characters
    // Windows refuses, without leading or trailing dots.
    std::string name;
    for (char c : o.display_name)
      if (static_cast<unsigned char>(c) >= 0x20 && std::string_view("\"<>|:*?\\/").find(c) == std::string_view::npos) name += c;
    while (!name.empty() && (name.front() == '.' || name.front() == ' ')) name.erase(0, 1);
    while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.pop_back();
    std::string low = lower(name);
    static const std::set<std::string> reserved = {"con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6",
                                                   "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"};
    auto ends = [&](std::string_view s) { return low.size() >= s.size() && low.compare(low.size() - s.size(), s.size(), s) == 0; };
    if (name.empty() || reserved.count(low) || ends("_settings") || ends("_assignments") || taken.count(low + ".json"))
      name += "_" + o.id;
    taken.insert(lower(name) + ".json");
    out.emplace_back("DeviceConfiguration/" + name + ".json", "\xEF\xBB\xBF" + obj.dump(2) + "\n");
  }
  return out;
}

}  // namespace mcc
