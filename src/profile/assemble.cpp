#include "profile/assemble.hpp"

#include <algorithm>

#include "core/messages.hpp"
#include "map/value_path.hpp"
#include "profile/sha1.hpp"
#include "profile/uuid.hpp"

namespace mcc::profile {
namespace {

bool all_zero_guid(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0-") == std::string::npos;
}

struct Placed {
  std::string id;
  std::string identifier;
  std::string uuid;
};

}  // namespace

std::string stable_id(const nlohmann::json& object) {
  if (auto it = object.find("id"); it != object.end() && it->is_string()) {
    std::string id = it->get<std::string>();
    if (!id.empty() && !all_zero_guid(id)) return id;
  }
  // No usable id (create requests, trimmed exports): derive one from the content itself.
  return uuid_v5(kUuidNamespace, "content:" + object.dump());
}

Value assemble_profile(std::vector<Unit>& units, const std::string& prefix, const std::vector<ExplicitLink>& explicit_links,
                       Diagnostics& diags) {
  std::vector<Placed> placed;
  for (const auto& u : units) {
    Placed p;
    p.id = stable_id(u.object->json);
    p.identifier = prefix + "." + u.mapped.graph_type + "." + p.id + "." + u.mapped.payload_role;
    p.uuid = uuid_v5(kUuidNamespace, p.id + ":" + u.mapped.payload_role);
    placed.push_back(std::move(p));
  }

  // --link FROM=TO: each side names an object of this compile by Graph id or display name.
  auto named = [&](std::size_t j, const std::string& what) {
    if (placed[j].id == what) return true;
    const auto& o = units[j].object->json;
    auto it = o.find("displayName");
    return it != o.end() && it->is_string() && it->get_ref<const std::string&>() == what;
  };
  std::vector<bool> link_used(explicit_links.size(), false);
  for (std::size_t k = 0; k < explicit_links.size(); ++k)
    for (const std::string* side : {&explicit_links[k].from, &explicit_links[k].to}) {
      bool found = false;
      for (std::size_t j = 0; j < units.size() && !found; ++j) found = named(j, *side);
      if (!found)
        diags.add(msg::explicit_link_unknown(units.front().object->file, explicit_links[k].from + "=" + explicit_links[k].to, *side));
    }

  for (std::size_t i = 0; i < units.size(); ++i) {
    auto& u = units[i];
    for (const auto& link : u.mapped.links) {
      std::optional<std::size_t> target;
      auto role_ok = [&](std::size_t j) {
        return link.target_roles.empty() ||
               std::find(link.target_roles.begin(), link.target_roles.end(), units[j].mapped.payload_role) != link.target_roles.end();
      };
      for (std::size_t k = 0; k < explicit_links.size() && !target; ++k) {
        if (!named(i, explicit_links[k].from)) continue;
        for (std::size_t j = 0; j < units.size() && !target; ++j)
          if (j != i && named(j, explicit_links[k].to) && role_ok(j)) {
            target = j;
            link_used[k] = true;
          }
      }
      for (std::size_t j = 0; j < units.size() && !target; ++j) {
        if (j == i) continue;
        const auto& ids = link.graph_ids;
        const auto& names = link.display_names;
        const auto& types = link.graph_types;
        const auto& other = units[j].object->json;
        std::string name = other.contains("displayName") && other["displayName"].is_string() ? other["displayName"].get<std::string>() : "";
        // A name is not unique: when the reference names the target's type, the type must match too.
        bool type_ok = types.empty() || std::find(types.begin(), types.end(), units[j].mapped.graph_type) != types.end();
        if (std::find(ids.begin(), ids.end(), placed[j].id) != ids.end() ||
            (!name.empty() && type_ok && std::find(names.begin(), names.end(), name) != names.end()))
          target = j;
      }
      // No reference at all: a single payload of the kind the link expects is the one meant.
      if (!target && link.graph_ids.empty() && link.display_names.empty() && !link.target_roles.empty()) {
        std::vector<std::size_t> candidates;
        for (std::size_t j = 0; j < units.size(); ++j)
          if (j != i && std::find(link.target_roles.begin(), link.target_roles.end(), units[j].mapped.payload_role) != link.target_roles.end())
            candidates.push_back(j);
        if (candidates.size() == 1) {
          target = candidates.front();
          diags.add(msg::mapping_note({u.object->file, link.pointer},
                                      "the " + link.purpose + " is not referenced; it is linked to the only candidate in this profile, " +
                                          units[*target].mapped.graph_type + " " + placed[*target].id));
        }
      }
      if (target && link.fill == "sha1Fingerprint") {
        // The fingerprint of the target's certificate (a com.apple.security.root payload's data).
        const Value* cert = units[*target].mapped.payload.find("PayloadContent");
        if (cert != nullptr && cert->is(Value::Kind::data)) {
          const auto& bytes = cert->as_data().bytes;
          auto digest = sha1(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
          map::set_path(u.mapped.payload, link.key_path, Value(Data{{digest.begin(), digest.end()}}));
        }
        continue;
      }
      if (target) {
        map::set_path(u.mapped.payload, link.key_path, Value(placed[*target].uuid));
        continue;
      }
      if (link.optional) continue;
      std::string what = "certificate authentication needs the " + link.purpose + " payload, which is not in this profile";
      if (!link.graph_ids.empty()) what += "; add the Graph object with id " + msg::excerpt(link.graph_ids.front()) + " to the same compile";
      else if (!link.display_names.empty()) what += "; add the Graph object named " + msg::quote(link.display_names.front(), '\'') + " to the same compile";
      else what += "; add the SCEP or PKCS certificate profile to the same compile";
      diags.add(msg::link_unresolved({u.object->file, link.pointer}, what));
    }
  }

  for (std::size_t k = 0; k < explicit_links.size(); ++k)
    if (!link_used[k] && !diags.has_errors())
      diags.add(msg::explicit_link_unused(units.front().object->file, explicit_links[k].from + "=" + explicit_links[k].to));

  Array content;
  for (std::size_t i = 0; i < units.size(); ++i) {
    Value payload = units[i].mapped.payload;
    payload.set("PayloadIdentifier", placed[i].identifier);
    payload.set("PayloadUUID", placed[i].uuid);
    payload.set("PayloadVersion", 1);
    content.push_back(std::move(payload));
  }

  Value root{Dict{}};
  std::string id_part;
  if (units.size() == 1) {
    id_part = units[0].mapped.graph_type + "." + placed[0].id;
  } else {
    std::string joined;
    for (std::size_t i = 0; i < units.size(); ++i) joined += units[i].mapped.graph_type + "/" + placed[i].id + "\n";
    id_part = "profile." + uuid_v5(kUuidNamespace, joined);
  }
  for (const auto& m : units.front().mapped.profile_keys.as_dict()) root.set(m.key, m.value);
  if (root.find("PayloadDisplayName") == nullptr) root.set("PayloadDisplayName", "mobileconfigc profile");
  root.set("PayloadIdentifier", prefix + "." + id_part);
  root.set("PayloadUUID", uuid_v5(kUuidNamespace, id_part + ":profile"));
  root.set("PayloadType", "Configuration");
  root.set("PayloadVersion", 1);
  root.set("PayloadContent", std::move(content));
  return root;
}

}  // namespace mcc::profile
