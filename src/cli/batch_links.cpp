#include "cli/batch_links.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string_view>
#include <utility>

#include "cli/io.hpp"
#include "base/ascii.hpp"
#include "base/messages.hpp"

namespace mcc::cli {
namespace {

// Intune chains are two deep (VPN → certificate → root); deeper chains are hostile input.
constexpr int kMaxDepth = 4;

// Candidates an ambiguity warning names; the others are counted ("and 9997 more"), so a
// name shared by thousands of objects does not print thousands of lines of thousands of names.
constexpr std::size_t kListed = 3;

bool iless(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

// Orders positions by an object's key, and compares them with a key value (std::equal_range).
template <typename Key, typename Less = std::less<>>
struct ByKey {
  const std::vector<IndexedObject>& objects;
  Key key;
  Less less{};
  template <typename V>
  bool operator()(std::size_t a, const V& v) const { return less(key(objects[a]), v); }
  template <typename V>
  bool operator()(const V& v, std::size_t b) const { return less(v, key(objects[b])); }
  bool operator()(std::size_t a, std::size_t b) const { return less(key(objects[a]), key(objects[b])); }
};

struct NameAndTypeLess {
  using Pair = std::pair<std::string_view, std::string_view>;
  bool operator()(const Pair& a, const Pair& b) const {
    if (a.first != b.first) return a.first < b.first;
    return iless(a.second, b.second);
  }
};

auto id_of = [](const IndexedObject& o) -> std::string_view { return o.id; };
auto name_of = [](const IndexedObject& o) -> std::string_view { return o.display_name; };
auto name_and_type_of = [](const IndexedObject& o) { return std::pair<std::string_view, std::string_view>(o.display_name, o.type); };

using Run = std::pair<std::vector<std::size_t>::const_iterator, std::vector<std::size_t>::const_iterator>;

// The first `n` positions of `run` other than `from` (runs hold positions in input order).
std::vector<std::size_t> first_of(const Run& run, std::size_t from, std::size_t n) {
  std::vector<std::size_t> out;
  for (auto it = run.first; it != run.second && out.size() < n; ++it)
    if (*it != from) out.push_back(*it);
  return out;
}

// `values` without repeats, in their order; `same` says which are the same.
template <typename Same = std::equal_to<>>
std::vector<std::string_view> distinct(const std::vector<std::string>& values, Same same = {}) {
  std::vector<std::string_view> out;
  for (const auto& v : values)
    if (std::none_of(out.begin(), out.end(), [&](std::string_view o) { return same(o, std::string_view(v)); })) out.push_back(v);
  return out;
}

}  // namespace

std::size_t ObjectIndex::add_file(std::string path) {
  files_.push_back(std::move(path));
  return files_.size() - 1;
}

bool ObjectIndex::located_in(const Diagnostic& d, std::size_t i) const {
  const auto& o = objects_[i];
  if (d.file != display_name(files_[o.file])) return false;
  return o.pointer.empty() || d.pointer == o.pointer || d.pointer.rfind(o.pointer + "/", 0) == 0;
}

std::size_t ObjectIndex::add(IndexedObject object) {
  objects_.push_back(std::move(object));
  return objects_.size() - 1;
}

void ObjectIndex::seal() {
  by_id_.clear();
  by_name_.clear();
  by_name_and_type_.clear();
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    by_id_.push_back(i);
    if (!objects_[i].display_name.empty()) by_name_.push_back(i);
  }
  by_name_and_type_ = by_name_;
  // Stable, so each run keeps input order and messages are the same on every run.
  std::stable_sort(by_id_.begin(), by_id_.end(), ByKey<decltype(id_of)>{objects_, id_of});
  std::stable_sort(by_name_.begin(), by_name_.end(), ByKey<decltype(name_of)>{objects_, name_of});
  std::stable_sort(by_name_and_type_.begin(), by_name_and_type_.end(),
                   ByKey<decltype(name_and_type_of), NameAndTypeLess>{objects_, name_and_type_of});
}

// A few lookups in the sorted positions, whatever the number of matches: the count, and the
// first matches in the order a linear search would find them (references in their order,
// objects in input order).
ObjectIndex::Match ObjectIndex::resolve(const GraphReference& ref, std::size_t from) const {
  Match m;
  auto add = [&](const Run& run, bool has_from) {
    m.count += static_cast<std::size_t>(run.second - run.first) - (has_from ? 1 : 0);
    for (std::size_t j : first_of(run, from, kListed - std::min(kListed, m.first.size()))) m.first.push_back(j);
  };
  const IndexedObject& self = objects_[from];
  for (std::string_view id : distinct(ref.ids))
    add(std::equal_range(by_id_.begin(), by_id_.end(), id, ByKey<decltype(id_of)>{objects_, id_of}), self.id == id);
  if (m.count > 0) {
    m.by_id = true;
    return m;
  }
  auto same_type = [](std::string_view a, std::string_view b) { return iequals(a, b); };
  for (std::string_view name : distinct(ref.display_names)) {
    if (name.empty()) continue;  // objects without a display name are not indexed by it
    if (ref.types.empty()) {
      add(std::equal_range(by_name_.begin(), by_name_.end(), name, ByKey<decltype(name_of)>{objects_, name_of}),
          self.display_name == name);
      continue;
    }
    // One run per type, each in input order: merged, their first matches are the name's first.
    std::vector<std::size_t> first;
    for (std::string_view type : distinct(ref.types, same_type)) {
      Run run = std::equal_range(by_name_and_type_.begin(), by_name_and_type_.end(), std::pair(name, type),
                                 ByKey<decltype(name_and_type_of), NameAndTypeLess>{objects_, name_and_type_of});
      m.count += static_cast<std::size_t>(run.second - run.first) - (self.display_name == name && iequals(self.type, type) ? 1 : 0);
      for (std::size_t j : first_of(run, from, kListed)) first.push_back(j);
    }
    std::sort(first.begin(), first.end());
    for (std::size_t k = 0; k < first.size() && m.first.size() < kListed; ++k) m.first.push_back(first[k]);
  }
  return m;
}

std::string ObjectIndex::describe(std::size_t i) const {
  const auto& o = objects_[i];
  std::string out = o.type;
  if (!o.display_name.empty()) out += " " + msg::quote(o.display_name, '\'');
  out += " (" + display_name(path(i)) + (o.pointer.empty() ? "" : ": " + o.pointer) + ", id " + msg::excerpt(o.id) + ")";
  return out;
}

Embedding ObjectIndex::embedding(std::size_t i) const {
  Embedding e;
  struct Step {
    std::size_t object;
    std::size_t position;  // in e.objects; npos for object i
    int depth;
  };
  std::vector<Step> queue{{i, std::string::npos, 0}};
  for (std::size_t q = 0; q < queue.size(); ++q) {
    auto [at, position, depth] = queue[q];
    if (depth >= kMaxDepth) continue;
    for (const auto& ref : objects_[at].references) {
      Match m = resolve(ref, at);
      if (m.count == 0) continue;  // compiling reports it (MCC-M010) unless the link is optional
      // Only the object's own references are reported here: an embedded object's own profile
      // reports its references.
      bool own = at == i;
      if (m.count > 1) {
        if (!own) continue;
        std::string what = "the " + ref.property + " reference is ambiguous: " + std::to_string(m.count) +
                           " objects in the inputs have " +
                           (m.by_id ? "its id" : "its display name" + std::string(ref.types.empty() ? "" : " and type")) +
                           ": ";
        for (std::size_t k = 0; k < m.first.size(); ++k) what += (k ? "; " : "") + describe(m.first[k]);
        if (m.count > m.first.size()) what += "; and " + std::to_string(m.count - m.first.size()) + " more";
        what += m.by_id ? "; none is embedded (remove the duplicates from the inputs)"
                        : "; none is embedded (reference one by id with " + ref.property +
                              "@odata.bind, or give the others different names)";
        e.diags.add(msg::link_unresolved({display_name(path(i)), ref.pointer}, what));
        e.explained.push_back(ref.pointer);
        continue;
      }
      std::size_t target = m.first.front();
      if (!objects_[target].supported) {
        if (!own) continue;
        e.diags.add(msg::link_unresolved({display_name(path(i)), ref.pointer},
                                         "the " + ref.property + " reference names " + describe(target) +
                                             ", which is not a supported graph type; it is not embedded"));
        e.explained.push_back(ref.pointer);
        continue;
      }
      if (target == i || std::any_of(e.objects.begin(), e.objects.end(), [&](const Embedded& x) { return x.object == target; }))
        continue;
      e.objects.push_back({target, position, own ? ref.pointer : e.objects[position].via});
      queue.push_back({target, e.objects.size() - 1, depth + 1});
    }
  }
  return e;
}

}  // namespace mcc::cli
