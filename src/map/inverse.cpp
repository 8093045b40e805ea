// SPDX-License-Identifier: Apache-2.0
#include "map/inverse.hpp"

#include <algorithm>
#include <set>

#include "base/key_path.hpp"
#include "map/engine.hpp"

namespace mcc::map {
namespace {

using nlohmann::json;
using transforms::to_json;

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + "." + std::string(b);
}

// Equal as the profile means them: a boolean is the integer 0 or 1, an integral real an integer.
bool same(const json& a, const json& b) {
  auto number = [](const json& j, double& out) {
    if (j.is_boolean()) out = j.get<bool>() ? 1 : 0;
    else if (j.is_number()) out = j.get<double>();
    else return false;
    return true;
  };
  double x = 0, y = 0;
  if (number(a, x) && number(b, y)) return x == y;
  if (a.is_array() && b.is_array()) {  // a list of values is a set (Interfaces: [WiFi, Cellular])
    if (a.size() != b.size()) return false;
    std::vector<std::string> l, r;
    for (const auto& e : a) l.push_back(e.dump());
    for (const auto& e : b) r.push_back(e.dump());
    std::sort(l.begin(), l.end());
    std::sort(r.begin(), r.end());
    return l == r;
  }
  return a == b;
}

bool contains(const std::vector<json>& any_of, const json& v) {
  return std::any_of(any_of.begin(), any_of.end(), [&](const json& w) { return w == v; });
}

std::string describe(const Condition& c) {
  std::string out = c.pointer + (c.any_of.size() == 1 ? " is " : " is one of ");
  for (std::size_t i = 0; i < c.any_of.size(); ++i) out += (i ? ", " : "") + c.any_of[i].dump();
  return out;
}

class Unmapper {
 public:
  Unmapper(const TableSet& tables, const Value& payload, const std::string& id)
      : tables_(tables), payload_(payload), id_(id) {}

  UnmappedObject run(const Table& table, const Value* profile) {
    UnmappedObject out;
    out.table = &table;
    // A payload of a variant's type (the app-layer VPN) says the variant's conditions held.
    if (const Value* t = payload_.find("PayloadType"); t && t->is(Value::Kind::string) && table.payload_type &&
                                                     *table.payload_type != t->as_string())
      for (const Variant* v : tables_.variants(table))
        if (v->payload_type == t->as_string()) {
          Row facts;
          facts.when = v->when;
          facts.unless = v->unless;
          assert_conditions(facts, "");
          break;
        }
    level(table, "", "");
    if (profile != nullptr) profile_rows(table, *profile, out);
    // Values still open among several members take the preferred one.
    auto open = std::move(soft_);
    soft_.clear();
    for (auto& [ptr, candidates] : open)
      if (!candidates.empty()) put(ptr, candidates.front());
    out.object = std::move(obj_);
    out.keys = std::move(keys_);
    out.references = std::move(refs_);
    for (const auto& [k, o] : out.keys) out.claimed += o.claimed ? 1 : 0;
    return out;
  }

 private:
  struct Item {
    const Row* row;
    std::string kp;
  };

  void level(const Table& table, const std::string& prefix, const std::string& base) {
    if (++depth_ > 32) {
      --depth_;
      return;
    }
    std::vector<Item> items;
    std::map<std::string, int> writers;
    std::map<std::string, std::vector<const Row*>> appended;  // array key path → its [+] rows
    for (const Row& row : tables_.expanded_rows(table)) {
      if (row.profile_scope || row.kind == RowKind::none || row.kind == RowKind::include || row.to.empty()) continue;
      if (auto plus = row.to.find("[+]"); plus != std::string::npos) {  // appended elements, resolved per element below
        if (plus + 3 == row.to.size() && row.enum_map) appended[join_path(prefix, row.to.substr(0, plus))].push_back(&row);
        continue;
      }
      items.push_back({&row, join_path(prefix, row.to)});
      ++writers[items.back().kp];
    }
    auto nested = [](const Row& r) { return r.kind == RowKind::table || r.kind == RowKind::each; };
    auto ancestor = [&](const std::string& kp) {
      return std::any_of(items.begin(), items.end(), [&](const Item& o) {
        return o.kp.size() > kp.size() && o.kp.compare(0, kp.size(), kp) == 0 && (o.kp[kp.size()] == '.' || o.kp[kp.size()] == '[');
      });
    };
    // 1. Keys one row writes, the most specific first (a dictionary-valued row takes only what is left).
    // A row whose condition would decide a property still open (IPv4.OverridePrimary, only
    // for connectionType ciscoIPSec) waits until the keys several rows write (VPNType) have
    // decided it from the profile's own values.
    auto decides_open = [&](const Row& r) {
      return std::any_of(r.when.begin(), r.when.end(), [&](const Condition& c) { return unset(base + c.pointer); });
    };
    std::vector<const Item*> waiting;
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& it : items)
        if (writers[it.kp] == 1 && !nested(*it.row) && it.row->as != "nonEmpty01" && ancestor(it.kp) == (pass == 1)) {
          if (decides_open(*it.row)) waiting.push_back(&it);
          else invert_row(*it.row, it.kp, base, true);
        }
    // 2. Keys several rows write: constants that match, then copies and enums, then transforms;
    // among rows of one kind the last in table order first, as compile keeps the last row's value.
    std::set<std::string> done;
    for (const auto& first : items) {
      if (writers[first.kp] < 2 || nested(*first.row) || !done.insert(first.kp).second) continue;
      bool claimed = false;
      for (int order = 0; order < 3 && !claimed; ++order)
        for (auto rit = items.rbegin(); rit != items.rend(); ++rit) {
          const auto& it = *rit;
          if (it.kp != first.kp || nested(*it.row)) continue;
          int rank = it.row->kind == RowKind::constant ? 0 : it.row->kind == RowKind::transform ? 2 : 1;
          if (rank == order && invert_row(*it.row, it.kp, base, false)) {
            claimed = true;
            break;
          }
        }
    }
    for (const Item* it : waiting) invert_row(*it->row, it->kp, base, true);
    // 2b. Arrays whose elements rows append ([+]): each element goes to the first row that gives
    // exactly it and whose property is still unset.
    for (const auto& [kp, rows] : appended) invert_appended(rows, kp, base);
    // 3. Nested dictionaries and arrays, once this level's values are known.
    for (const auto& it : items)
      if (nested(*it.row)) invert_nested(*it.row, it.kp, base);
    // 4. Flags derived from a collection (nonEmpty01), once the collection is known.
    for (const auto& it : items)
      if (it.row->as == "nonEmpty01") invert_row(*it.row, it.kp, base, true);
    --depth_;
  }

  // --- Graph state: hard values in obj_, several-candidate values in soft_ ---

  const json* get(const std::string& ptr) const { return resolve_pointer(obj_, ptr); }
  bool unset(const std::string& ptr) const {
    if (soft_.count(ptr)) return false;
    const json* v = get(ptr);
    return v == nullptr || v->is_null();
  }
  void put(const std::string& ptr, json v) {
    soft_.erase(ptr);
    try {
      obj_[json::json_pointer(ptr)] = std::move(v);
    } catch (const json::exception&) {
    }
  }
  void erase(const std::string& ptr) {
    auto slash = ptr.rfind('/');
    if (slash == std::string::npos) return;
    try {
      json& parent = obj_.at(json::json_pointer(ptr.substr(0, slash)));
      std::string token = ptr.substr(slash + 1);
      if (parent.is_object()) parent.erase(token);
      else if (parent.is_array() && !parent.empty()) parent.erase(parent.size() - 1);
    } catch (const json::exception&) {
    }
  }
  // Gives `ptr` the value `v`; false when it already holds another one.
  bool assign(const std::string& ptr, const json& v) {
    if (auto s = soft_.find(ptr); s != soft_.end()) {
      if (!contains(s->second, v)) return false;
      put(ptr, v);
      return true;
    }
    if (unset(ptr)) {
      put(ptr, v);
      return true;
    }
    return same(*get(ptr), v);
  }

  bool compatible(const Condition& c, const std::string& base, bool when) const {
    std::string ptr = base + c.pointer;
    if (auto s = soft_.find(ptr); s != soft_.end()) {
      for (const auto& cand : s->second)
        if (contains(c.any_of, cand) == when) return true;
      return false;
    }
    const json* v = get(ptr);
    json actual = v ? *v : json();
    bool in = contains(c.any_of, actual);
    if (actual.is_null() && when)
      return in || std::any_of(c.any_of.begin(), c.any_of.end(), [](const json& w) { return !w.is_null(); });
    return when ? in : !in;
  }

  std::string incompatible(const Row& row, const std::string& base) const {
    for (const auto& c : row.when)
      if (!compatible(c, base, true)) return "applies only when " + describe(c);
    for (const auto& c : row.unless)
      if (!compatible(c, base, false)) return "does not apply when " + describe(c);
    return "";
  }

  void assert_conditions(const Row& row, const std::string& base) {
    for (const auto& c : row.when) {
      std::string ptr = base + c.pointer;
      if (auto s = soft_.find(ptr); s != soft_.end()) {
        std::vector<json> kept;
        for (const auto& cand : s->second)
          if (contains(c.any_of, cand)) kept.push_back(cand);
        if (kept.size() == 1) put(ptr, kept.front());
        else s->second = std::move(kept);
      } else if (unset(ptr)) {
        for (const auto& w : c.any_of)
          if (!w.is_null()) {
            put(ptr, w);
            break;
          }
      }
    }
    for (const auto& c : row.unless) {
      std::string ptr = base + c.pointer;
      if (auto s = soft_.find(ptr); s != soft_.end()) {
        std::vector<json> kept;
        for (const auto& cand : s->second)
          if (!contains(c.any_of, cand)) kept.push_back(cand);
        if (kept.size() == 1) put(ptr, kept.front());
        else s->second = std::move(kept);
      }
    }
  }

  // --- key outcomes ---

  void claim(const std::string& kp, const std::string& graph_pointer) {
    auto& o = keys_[kp];
    o.claimed = true;
    o.graph_pointer = graph_pointer;
    o.reason.clear();
    o.error = false;
  }
  void note(const std::string& kp, const std::string& reason, bool error = false) {
    auto& o = keys_[kp];
    if (o.claimed || (!o.reason.empty() && !error)) return;
    o.reason = reason;
    o.error = error;
  }
  std::size_t claimed_count() const {
    std::size_t n = 0;
    for (const auto& [k, o] : keys_) n += o.claimed ? 1 : 0;
    return n;
  }

  // --- rows ---

  bool invert_row(const Row& row, const std::string& kp, const std::string& base, bool alone) {
    const Value* k = find_path(payload_, kp);
    if (k == nullptr) return false;
    if (auto it = keys_.find(kp); it != keys_.end() && it->second.claimed) return false;
    const std::string ptr = row.from ? base + *row.from : std::string();
    if (std::string why = incompatible(row, base); !why.empty()) {
      note(kp, "this row " + why);
      return false;
    }
    const json value = to_json(*k);
    switch (row.kind) {
      case RowKind::constant:
        if (!same(value, row.value)) {
          if (alone && !row.from) note(kp, "Intune always writes " + row.value.dump(), true);
          return false;
        }
        if (row.from && row.when.empty() && unset(ptr)) {
          note(kp, "Intune writes it only when " + *row.from + " is set");
          return false;
        }
        break;
      case RowKind::copy:
        if (row.enum_map) {
          if (!invert_enum(row, kp, ptr, value, alone)) return false;
        } else if (!invert_copy(row, kp, ptr, value)) {
          return false;
        }
        break;
      case RowKind::transform:
        if (!invert_transform(row, kp, ptr, base, *k)) return false;
        break;
      default: return false;
    }
    claim(kp, ptr);
    assert_conditions(row, base);
    return true;
  }

  bool invert_enum(const Row& row, const std::string& kp, const std::string& ptr, const json& value, bool alone) {
    std::vector<json> members;
    for (const auto& p : row.prefer)
      if (auto t = row.enum_map->find(p); t != row.enum_map->end() && !t->is_null() && same(*t, value)) members.emplace_back(p);
    std::string allowed;
    for (const auto& [member, target] : row.enum_map->items()) {
      if (target.is_null()) continue;
      allowed += (allowed.empty() ? "" : ", ") + target.dump() + " → " + member;
      if (same(target, value) && !contains(members, json(member))) members.emplace_back(member);
    }
    if (members.empty()) {
      if (alone) note(kp, "value " + value.dump() + " has no equivalent for " + *row.from + " (allowed: " + allowed + ")", true);
      return false;
    }
    if (auto s = soft_.find(ptr); s != soft_.end()) {
      std::vector<json> kept;
      for (const auto& m : s->second)
        if (contains(members, m)) kept.push_back(m);
      if (kept.empty()) return false;
      if (kept.size() == 1) put(ptr, kept.front());
      else s->second = std::move(kept);
      return true;
    }
    if (!unset(ptr)) {
      if (contains(members, *get(ptr))) return true;
      note(kp, *row.from + " is already " + get(ptr)->dump() + ", which gives another value");
      return false;
    }
    if (members.size() == 1) put(ptr, members.front());
    else soft_[ptr] = std::move(members);
    return true;
  }

  bool invert_copy(const Row& row, const std::string& kp, const std::string& ptr, const json& value) {
    json graph = value;
    if (row.as == "integer01" || row.as == "invert01") {
      double n = -1;
      if (value.is_boolean()) n = value.get<bool>() ? 1 : 0;
      else if (value.is_number()) n = value.get<double>();
      if (n != 0 && n != 1) {
        note(kp, "value " + value.dump() + " is not 0 or 1", true);
        return false;
      }
      graph = (n == 1) != (row.as == "invert01");
    } else if (row.as == "nonEmpty01") {
      bool on = (value.is_boolean() && value.get<bool>()) || (value.is_number() && value.get<double>() != 0);
      const json* collection = get(ptr);
      bool filled = collection != nullptr && !collection->is_null() && !collection->empty();
      if (on && filled) return true;
      if (on) {
        note(kp, "Intune writes it only when " + *row.from + " is not empty");
        return false;
      }
      if (filled) {  // off, with rules: Intune would turn it on, so the collection is dropped
        erase(ptr);
        for (auto& [other, o] : keys_)
          if (o.claimed && o.graph_pointer.compare(0, ptr.size(), ptr) == 0) {
            o.claimed = false;
            o.reason = kp + " is off; Intune turns it on whenever " + *row.from + " is set, so " + *row.from + " is left out";
          }
      }
      note(kp, "0 is what leaving the key out means; Intune writes only 1");
      return false;
    } else if (row.as == "data" && !value.is_string()) {
      return false;
    }
    if (!assign(ptr, graph)) {
      note(kp, *row.from + " already has another value (" + (get(ptr) ? get(ptr)->dump() : std::string("?")) + ")");
      return false;
    }
    return true;
  }

  bool invert_transform(const Row& row, const std::string& kp, const std::string& ptr, const std::string& base, const Value& k) {
    const auto& all = transforms::inverse_registry();
    auto spec = all.find(row.transform);
    if (spec == all.end() || spec->second.inverse == nullptr) {
      note(kp, spec == all.end() ? "no inverse for transform " + row.transform : std::string(spec->second.lossy));
      if (auto it = keys_.find(kp); it != keys_.end() && !it->second.claimed && spec != all.end()) {
        it->second.lossy = true;
        it->second.argument = spec->second.argument;
      }
      return false;
    }
    auto claimed = [&](std::string_view member) {
      auto it = keys_.find(kp + "." + std::string(member));
      return it != keys_.end() && it->second.claimed;
    };
    transforms::InverseContext ctx{k, kp, row.args, ptr, base, id_, claimed};
    auto result = spec->second.inverse(ctx);
    for (const auto& [member, why] : result.refused) note(member.empty() ? kp : kp + "." + member, why, result.error);
    if (!result.carried) return false;
    for (const auto& [p, v] : result.sets)
      if (!assign(p, v)) {
        note(kp, p + " already has another value");
        return false;
      }
    if (result.reference) refs_.push_back(std::move(*result.reference));
    return true;
  }

  void invert_appended(const std::vector<const Row*>& rows, const std::string& kp, const std::string& base) {
    const Value* k = find_path(payload_, kp);
    if (k == nullptr || !k->is(Value::Kind::array)) return;
    if (k->as_array().empty()) note(kp, "Graph's default carries an empty list");
    for (std::size_t i = 0; i < k->as_array().size(); ++i) {
      const std::string element_kp = kp + "[" + std::to_string(i) + "]";
      const json element = to_json(k->as_array()[i]);
      bool placed = false;
      for (const Row* row : rows) {
        const std::string ptr = base + row->from.value_or("");
        if (!row->from || !unset(ptr) || !incompatible(*row, base).empty()) continue;
        for (const auto& [member, target] : row->enum_map->items())
          if (!target.is_null() && same(target, element)) {
            put(ptr, member);
            claim(element_kp, ptr);
            assert_conditions(*row, base);
            placed = true;
            break;
          }
        if (placed) break;
      }
      if (!placed) note(element_kp, "no property of this type gives this element (or another element already gave it)");
    }
  }

  void invert_nested(const Row& row, const std::string& kp, const std::string& base) {
    const Value* k = find_path(payload_, kp);
    if (k == nullptr) return;
    if (std::string why = incompatible(row, base); !why.empty()) {
      note(kp, "this dictionary " + why);
      return;
    }
    const Table* nested = tables_.find(row.nested);
    if (nested == nullptr) return;
    const std::string ptr = base + row.from.value_or("");
    std::size_t before = claimed_count();
    if (row.kind == RowKind::table) {
      if (!k->is(Value::Kind::dict)) return;
      level(*nested, kp, ptr);
    } else {
      if (!k->is(Value::Kind::array)) return;
      if (!unset(ptr)) return;
      put(ptr, json::array());
      std::size_t kept = 0;
      for (std::size_t i = 0; i < k->as_array().size(); ++i) {
        std::string element_kp = kp + "[" + std::to_string(i) + "]";
        std::string element_ptr = ptr + "/" + std::to_string(kept);
        level(*nested, element_kp, element_ptr);
        const json* made = get(element_ptr);
        if (made == nullptr || made->empty()) erase(element_ptr);
        else ++kept;
      }
      if (kept == 0) {
        erase(ptr);
        note(kp, "Graph's empty collection means not configured");
      }
    }
    if (claimed_count() > before) {
      assert_conditions(row, base);
      if (!keys_[kp].claimed) claim(kp, ptr);
    }
  }

  // Profile-scope rows fill what the payload left unset.
  void profile_rows(const Table& table, const Value& profile, UnmappedObject& out) {
    for (const Row& row : tables_.expanded_rows(table)) {
      if (!row.profile_scope || row.kind != RowKind::copy || row.enum_map || !row.from || row.to.empty()) continue;
      const Value* k = profile.find(row.to);
      if (k == nullptr) continue;
      auto& o = out.profile_keys[row.to];
      json value = to_json(*k);
      if (assign(*row.from, value)) {
        o.claimed = true;
        o.graph_pointer = *row.from;
      } else {
        o.reason = "the payload's own key gives " + *row.from + " " + get(*row.from)->dump();
      }
    }
  }

  const TableSet& tables_;
  const Value& payload_;
  const std::string& id_;
  json obj_ = json::object();
  std::map<std::string, std::vector<json>> soft_;
  std::map<std::string, KeyOutcome> keys_;
  std::vector<ReferenceClaim> refs_;
  int depth_ = 0;
};

}  // namespace

std::vector<const Table*> tables_for_payload(const TableSet& tables, std::string_view payload_type) {
  std::vector<const Table*> out;
  for (const auto& [name, table] : tables.all()) {
    if (!table.payload_type || !table.graph_type) continue;
    bool fits = *table.payload_type == payload_type;
    if (!fits)
      for (const Variant* v : tables.variants(table))
        if (v->payload_type == payload_type) fits = true;
    if (fits) out.push_back(&table);
  }
  return out;
}

UnmappedObject unmap_payload(const TableSet& tables, const Table& table, const Value& payload, const Value* profile,
                             const std::string& id) {
  return Unmapper(tables, payload, id).run(table, profile);
}

std::optional<PayloadIdentity> embedded_identity(const TableSet& tables, const Table& table, const Value& payload) {
  PayloadIdentity id;
  bool data = false;
  for (const Row& row : tables.expanded_rows(table)) {
    if (row.kind != RowKind::transform || row.transform != "pkcs12Identity" || row.issuance_scope) continue;
    const Value* v = find_path(payload, row.to);
    if (v == nullptr) continue;
    const std::string part = row.args.value("part", "");
    if (part == "data" && v->is(Value::Kind::data)) {
      const auto& b = v->as_data().bytes;
      id.pkcs12.assign(b.begin(), b.end());
      data = true;
    } else if (part == "password" && v->is(Value::Kind::string)) {
      id.password = v->as_string();
    } else if (part == "fileName" && v->is(Value::Kind::string)) {
      id.file_name = v->as_string();
    }
  }
  if (!data) return std::nullopt;
  return id;
}

}  // namespace mcc::map
