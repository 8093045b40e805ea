// SPDX-License-Identifier: Apache-2.0
#include "link/assemble.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>

#include "base/messages.hpp"
#include "base/key_path.hpp"
#include "base/sha1.hpp"
#include "base/stable_id.hpp"
#include "base/uuid.hpp"
#include "link/resolve.hpp"

namespace mcc::link {
namespace {

struct Placed {
  std::string id;
  std::string identifier;
  std::string uuid;
};

using Positions = std::vector<std::size_t>;  // units, in unit order

// The first unit in `p` other than `from`.
std::optional<std::size_t> first_other(const Positions& p, std::size_t from) {
  for (std::size_t k = 0; k < p.size() && k < 2; ++k)
    if (p[k] != from) return p[k];
  return std::nullopt;
}

const Positions* find_in(const std::unordered_map<std::string, Positions>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// The roles of `roles`, each once.
std::vector<std::string> distinct(const std::vector<std::string>& roles) {
  std::vector<std::string> out;
  for (const auto& r : roles)
    if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  return out;
}

std::string_view display_name_of(const Unit& u) {
  auto it = u.object->json.find("displayName");
  return it != u.object->json.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view();
}

// The units of one profile for the one Resolver, and by payload role: each link is resolved
// with a few lookups, not a pass over every unit, so a profile of many objects is assembled
// in linear time.
class UnitIndex {
 public:
  UnitIndex(const std::vector<Unit>& units, const std::vector<Placed>& placed) : resolver_(candidates(units, placed)) {
    for (std::size_t j = 0; j < units.size(); ++j) {
      roles_.push_back(units[j].mapped->payload_role);
      by_role_[roles_.back()].push_back(j);
    }
  }

  // Units whose Graph id or display name is `what`.
  [[nodiscard]] Positions named(const std::string& what) const { return resolver_.named(what); }

  // The first unit other than `from` the link's references name (see Resolver::resolve).
  [[nodiscard]] std::optional<std::size_t> referenced(std::size_t from, const map::LinkRequest& link) const {
    auto m = resolver_.resolve({link.graph_ids, link.display_names, link.graph_types}, from, 1);
    if (m.first.empty()) return std::nullopt;
    return m.first.front();
  }

  // The only unit other than `from` whose payload role is one of `roles`; nothing when there
  // are none or several.
  [[nodiscard]] std::optional<std::size_t> only_with_role(std::size_t from, const std::vector<std::string>& roles) const {
    std::size_t count = 0;
    std::optional<std::size_t> found;
    for (const auto& role : distinct(roles)) {
      const Positions* p = find_in(by_role_, role);
      if (p == nullptr) continue;
      count += p->size() - (roles_[from] == role ? 1 : 0);
      if (!found) found = first_other(*p, from);
    }
    return count == 1 ? found : std::nullopt;
  }

  [[nodiscard]] const std::string& role(std::size_t j) const { return roles_[j]; }

 private:
  static std::vector<Candidate> candidates(const std::vector<Unit>& units, const std::vector<Placed>& placed) {
    std::vector<Candidate> out;
    out.reserve(units.size());
    for (std::size_t j = 0; j < units.size(); ++j) out.push_back({placed[j].id, display_name_of(units[j]), units[j].mapped->graph_type});
    return out;
  }

  Resolver resolver_;
  std::unordered_map<std::string, Positions> by_role_;
  std::vector<std::string> roles_;
};

// What one --link FROM=TO links: the units named FROM, and for each payload role the first
// units named TO with that role.
class ExplicitTargets {
 public:
  ExplicitTargets(const UnitIndex& index, const ExplicitLink& link) : from_(index.named(link.from)) {
    for (std::size_t j : index.named(link.to)) {
      if (first_.size() < 2) first_.push_back(j);
      auto& by_role = first_by_role_[index.role(j)];
      if (by_role.size() < 2) by_role.push_back(j);
    }
  }

  // The unit linked to unit `i` when it is named FROM: the first unit named TO, other than
  // `i`, whose role is one of `roles` (any role when `roles` is empty).
  [[nodiscard]] std::optional<std::size_t> target(std::size_t i, const std::vector<std::string>& roles) const {
    if (!std::binary_search(from_.begin(), from_.end(), i)) return std::nullopt;
    if (roles.empty()) return first_other(first_, i);
    std::optional<std::size_t> best;
    for (const auto& role : roles)
      if (const Positions* p = find_in(first_by_role_, role))
        if (auto j = first_other(*p, i); j && (!best || *j < *best)) best = j;
    return best;
  }

 private:
  Positions from_;
  Positions first_;  // the first two units named TO
  std::unordered_map<std::string, Positions> first_by_role_;
};

// A link resolved to another unit of the profile: unit `from` writes `link` with `target`.
struct Resolved {
  std::size_t from, target;
  const map::LinkRequest* link;
};

// Unit positions such that every unit comes after the units it links to (a trusted root, then
// the SCEP payload that enrols against it, then the VPN that uses the certificate), ties and
// units without links in input order. Links only go to certificates, so the tables make no
// cycle; should one come, input order stays.
std::vector<std::size_t> dependency_order(std::size_t n, const std::vector<Resolved>& resolved) {
  std::vector<std::vector<std::size_t>> users(n);  // target → the units that link to it
  std::vector<std::size_t> waiting(n, 0);          // unit → its links not yet placed
  for (const auto& r : resolved) {
    users[r.target].push_back(r.from);
    ++waiting[r.from];
  }
  // Kahn's algorithm, always taking the ready unit that comes first in input order.
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const std::size_t next = ready.top();
    ready.pop();
    order.push_back(next);
    for (std::size_t u : users[next])
      if (--waiting[u] == 0) ready.push(u);
  }
  if (order.size() != n) {  // a cycle: keep input order
    order.clear();
    for (std::size_t i = 0; i < n; ++i) order.push_back(i);
  }
  return order;
}

}  // namespace

Unit make_unit(const read::GraphObject& object, const map::MappedObject& mapped) {
  return Unit{&object, &mapped, mapped.payload, mapped.profile_keys};
}

Assembled assemble_profile(std::vector<Unit> units, const std::string& prefix, const std::vector<ExplicitLink>& explicit_links,
                           Diagnostics& diags, const std::vector<std::string>& explained) {
  std::vector<Placed> placed;
  for (const auto& u : units) {
    Placed p;
    p.id = stable_id(u.object->json);
    p.identifier = prefix + "." + u.mapped->graph_type + "." + p.id + "." + u.mapped->payload_role;
    p.uuid = uuid_v5(kUuidNamespace, p.id + ":" + u.mapped->payload_role);
    placed.push_back(std::move(p));
  }
  const UnitIndex index(units, placed);

  // --link FROM=TO: each side names an object of this compile by Graph id or display name.
  std::vector<ExplicitTargets> explicit_targets;
  for (const auto& link : explicit_links) explicit_targets.emplace_back(index, link);
  std::vector<bool> link_used(explicit_links.size(), false);
  for (std::size_t k = 0; k < explicit_links.size(); ++k)
    for (const std::string* side : {&explicit_links[k].from, &explicit_links[k].to})
      if (index.named(*side).empty())
        diags.add(msg::explicit_link_unknown(units.front().object->file, explicit_links[k].from + "=" + explicit_links[k].to, *side));

  // Links are resolved first and written once every payload's identity is known: a payload
  // another one links to is embedded, and its identity depends on the profile it is in.
  std::vector<Resolved> resolved;
  for (std::size_t i = 0; i < units.size(); ++i) {
    auto& u = units[i];
    const std::size_t reported = diags.size();
    for (const auto& link : u.mapped->links) {
      std::optional<std::size_t> target;
      for (std::size_t k = 0; k < explicit_links.size() && !target; ++k) {
        target = explicit_targets[k].target(i, link.target_roles);
        if (target) link_used[k] = true;
      }
      if (!target) target = index.referenced(i, link);
      // No reference at all: a single payload of the kind the link expects is the one meant.
      if (!target && link.graph_ids.empty() && link.display_names.empty() && !link.target_roles.empty()) {
        target = index.only_with_role(i, link.target_roles);
        if (target)
          diags.add(msg::linked_to_only_candidate({u.object->file, link.pointer}, link.purpose,
                                                  units[*target].mapped->graph_type, placed[*target].id));
      }
      if (target) {
        resolved.push_back({i, *target, &link});
        continue;
      }
      if (link.optional) continue;
      if (i == 0 && std::find(explained.begin(), explained.end(), link.pointer) != explained.end()) continue;
      diags.add(msg::linked_payload_missing({u.object->file, link.pointer}, link.purpose,
                                            link.graph_ids.empty() ? std::string_view() : link.graph_ids.front(),
                                            link.display_names.empty() ? std::string_view() : link.display_names.front()));
    }
    diags.set_object(reported, i);
  }

  for (std::size_t k = 0; k < explicit_links.size(); ++k)
    if (!link_used[k] && !diags.has_errors())
      diags.add(msg::explicit_link_unused(units.front().object->file, explicit_links[k].from + "=" + explicit_links[k].to));

  // The profile's identity is its owner's, the one unit no other links to: a VPN keeps its
  // identity whether or not its certificates are embedded, so a recompile replaces it. With
  // several such units, one identity derived from all of them.
  std::vector<bool> embedded(units.size(), false);
  for (const auto& r : resolved) embedded[r.target] = true;
  std::vector<std::size_t> owners;
  for (std::size_t i = 0; i < units.size(); ++i)
    if (!embedded[i]) owners.push_back(i);
  std::string id_part;
  if (owners.size() == 1) {
    id_part = units[owners[0]].mapped->graph_type + "." + placed[owners[0]].id;
  } else {
    std::string joined;
    for (std::size_t i = 0; i < units.size(); ++i) joined += units[i].mapped->graph_type + "/" + placed[i].id + "\n";
    id_part = "profile." + uuid_v5(kUuidNamespace, joined);
  }
  // An embedded payload's identity is derived from the profile as well: the same SCEP payload
  // embedded in two VPN profiles and in its own profile has three UUIDs (Apple: PayloadUUID
  // "must be globally unique"; Microsoft: each profile that references a SCEP profile gets its
  // own certificate). Deterministic, and stable between recompiles of the same profile.
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!embedded[i]) continue;
    const auto& role = units[i].mapped->payload_role;
    placed[i].identifier = prefix + "." + id_part + "." + units[i].mapped->graph_type + "." + placed[i].id + "." + role;
    placed[i].uuid = uuid_v5(kUuidNamespace, id_part + "/" + placed[i].id + ":" + role);
  }
  // Each link names the copy in this profile.
  for (const auto& r : resolved) {
    if (r.link->fill == "sha1Fingerprint") {
      // The fingerprint of the target's certificate (a com.apple.security.root payload's data).
      const Value* cert = units[r.target].payload.find("PayloadContent");
      if (cert != nullptr && cert->is(Value::Kind::data)) {
        const auto& bytes = cert->as_data().bytes;
        auto digest = sha1(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
        set_path(units[r.from].payload, r.link->key_path, Value(Data{{digest.begin(), digest.end()}}));
      }
      continue;
    }
    set_path(units[r.from].payload, r.link->key_path, Value(placed[r.target].uuid));
  }

  // Payloads come after the payloads they link to (root → SCEP → VPN), so the device trusts a
  // CA before it enrols against it; otherwise in input order.
  Assembled out;
  out.order = dependency_order(units.size(), resolved);
  Array content;
  for (std::size_t i : out.order) {
    Value payload = std::move(units[i].payload);
    payload.set("PayloadIdentifier", placed[i].identifier);
    payload.set("PayloadUUID", placed[i].uuid);
    payload.set("PayloadVersion", 1);
    content.push_back(std::move(payload));
  }

  Value root{Dict{}};
  // The top-level keys (display name, description, ...) are the owner's too, else the first unit's.
  out.lead = owners.size() == 1 ? owners[0] : 0;
  for (const auto& m : units[out.lead].profile_keys.as_dict()) root.set(m.key, m.value);
  if (root.find("PayloadDisplayName") == nullptr) root.set("PayloadDisplayName", "mobileconfigc profile");
  root.set("PayloadIdentifier", prefix + "." + id_part);
  root.set("PayloadUUID", uuid_v5(kUuidNamespace, id_part + ":profile"));
  root.set("PayloadType", "Configuration");
  root.set("PayloadVersion", 1);
  root.set("PayloadContent", std::move(content));
  out.profile = std::move(root);
  return out;
}

}  // namespace mcc::link
