#include "cli/batch_links.hpp"

#include <algorithm>
#include <utility>

#include "cli/io.hpp"
#include "core/ascii.hpp"
#include "core/messages.hpp"

namespace mcc::cli {
namespace {

// Intune chains are two deep (VPN → certificate → root); deeper chains are hostile input.
constexpr int kMaxDepth = 4;

// The positions in `sorted` (ordered by `key`) whose key equals `value`.
template <typename Key>
std::vector<std::size_t> run_of(const std::vector<IndexedObject>& objects, const std::vector<std::size_t>& sorted,
                                const std::string& value, Key key) {
  auto lo = std::partition_point(sorted.begin(), sorted.end(), [&](std::size_t i) { return key(objects[i]) < value; });
  auto hi = std::partition_point(lo, sorted.end(), [&](std::size_t i) { return key(objects[i]) == value; });
  return {lo, hi};
}

void add_unique(std::vector<std::size_t>& v, std::size_t i) {
  if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
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
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    by_id_.push_back(i);
    if (!objects_[i].display_name.empty()) by_name_.push_back(i);
  }
  // Stable, so candidates keep input order and messages are the same on every run.
  std::stable_sort(by_id_.begin(), by_id_.end(), [&](std::size_t a, std::size_t b) { return objects_[a].id < objects_[b].id; });
  std::stable_sort(by_name_.begin(), by_name_.end(),
                   [&](std::size_t a, std::size_t b) { return objects_[a].display_name < objects_[b].display_name; });
}

ObjectIndex::Match ObjectIndex::resolve(const GraphReference& ref, std::size_t from) const {
  Match m;
  auto id_of = [](const IndexedObject& o) -> const std::string& { return o.id; };
  auto name_of = [](const IndexedObject& o) -> const std::string& { return o.display_name; };
  for (const auto& id : ref.ids) {
    for (std::size_t j : run_of(objects_, by_id_, id, id_of))
      if (j != from) add_unique(m.objects, j);
  }
  if (!m.objects.empty()) {
    m.by_id = true;
    return m;
  }
  auto type_ok = [&](std::size_t j) {
    return ref.types.empty() || std::any_of(ref.types.begin(), ref.types.end(),
                                            [&](const std::string& t) { return iequals(t, objects_[j].type); });
  };
  for (const auto& name : ref.display_names) {
    for (std::size_t j : run_of(objects_, by_name_, name, name_of))
      if (j != from && type_ok(j)) add_unique(m.objects, j);
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
      if (m.objects.empty()) continue;  // compiling reports it (MCC-M010) unless the link is optional
      // Only the object's own references are reported here: an embedded object's own profile
      // reports its references.
      bool own = at == i;
      if (m.objects.size() > 1) {
        if (!own) continue;
        std::string what = "the " + ref.property + " reference is ambiguous: " + std::to_string(m.objects.size()) +
                           " objects in the inputs have " +
                           (m.by_id ? "its id" : "its display name" + std::string(ref.types.empty() ? "" : " and type")) +
                           ": ";
        for (std::size_t k = 0; k < m.objects.size(); ++k) what += (k ? "; " : "") + describe(m.objects[k]);
        what += m.by_id ? "; none is embedded (remove the duplicates from the inputs)"
                        : "; none is embedded (reference one by id with " + ref.property +
                              "@odata.bind, or give the others different names)";
        e.diags.add(msg::link_unresolved({display_name(path(i)), ref.pointer}, what));
        e.explained.push_back(ref.pointer);
        continue;
      }
      std::size_t target = m.objects.front();
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
