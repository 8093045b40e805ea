// SPDX-License-Identifier: Apache-2.0
#include "link/resolve.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "base/ascii.hpp"

namespace mcc::link {
namespace {

bool iless(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

using NameAndType = std::pair<std::string_view, std::string_view>;

struct NameAndTypeLess {
  bool operator()(const NameAndType& a, const NameAndType& b) const {
    if (a.first != b.first) return a.first < b.first;
    return iless(a.second, b.second);
  }
};

// Orders positions by a candidate's key, and compares them with a key value (std::equal_range).
template <typename Key, typename Less = std::less<>>
struct ByKey {
  const std::vector<Candidate>& candidates;
  Key key;
  Less less{};
  template <typename V>
  bool operator()(std::size_t a, const V& v) const { return less(key(candidates[a]), v); }
  template <typename V>
  bool operator()(const V& v, std::size_t b) const { return less(v, key(candidates[b])); }
  bool operator()(std::size_t a, std::size_t b) const { return less(key(candidates[a]), key(candidates[b])); }
};

auto id_of = [](const Candidate& c) { return c.id; };
auto name_of = [](const Candidate& c) { return c.display_name; };
auto name_and_type_of = [](const Candidate& c) { return NameAndType(c.display_name, c.type); };

using Run = std::pair<std::vector<std::size_t>::const_iterator, std::vector<std::size_t>::const_iterator>;

// The first `n` positions of `run` other than `from` (runs hold positions in order).
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

Resolver::Resolver(std::vector<Candidate> candidates) : candidates_(std::move(candidates)) {
  by_id_.reserve(candidates_.size());
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    by_id_.push_back(i);
    if (!candidates_[i].display_name.empty()) by_name_.push_back(i);
  }
  by_name_and_type_ = by_name_;
  // Stable, so each run keeps candidate order and messages are the same on every run.
  std::stable_sort(by_id_.begin(), by_id_.end(), ByKey<decltype(id_of)>{candidates_, id_of});
  std::stable_sort(by_name_.begin(), by_name_.end(), ByKey<decltype(name_of)>{candidates_, name_of});
  std::stable_sort(by_name_and_type_.begin(), by_name_and_type_.end(),
                   ByKey<decltype(name_and_type_of), NameAndTypeLess>{candidates_, name_and_type_of});
}

Resolver::Match Resolver::resolve(const ReferenceKeys& ref, std::size_t from, std::size_t listed) const {
  Match m;
  const bool has_self = from < candidates_.size();
  const Candidate none;
  const Candidate& self = has_self ? candidates_[from] : none;
  auto add = [&](const Run& run, bool holds_from) {
    m.count += static_cast<std::size_t>(run.second - run.first) - (holds_from ? 1 : 0);
    for (std::size_t j : first_of(run, from, listed - std::min(listed, m.first.size()))) m.first.push_back(j);
  };
  for (std::string_view id : distinct(ref.ids)) {
    if (id.empty()) continue;  // candidates left out of resolution have no id
    add(std::equal_range(by_id_.begin(), by_id_.end(), id, ByKey<decltype(id_of)>{candidates_, id_of}), has_self && self.id == id);
  }
  if (m.count > 0) {
    m.by_id = true;
    return m;
  }
  auto same_type = [](std::string_view a, std::string_view b) { return iequals(a, b); };
  for (std::string_view name : distinct(ref.display_names)) {
    if (name.empty()) continue;  // candidates without a display name are not indexed by it
    if (ref.types.empty()) {
      add(std::equal_range(by_name_.begin(), by_name_.end(), name, ByKey<decltype(name_of)>{candidates_, name_of}),
          has_self && self.display_name == name);
      continue;
    }
    // One run per type, each in order: merged, their first matches are the name's first.
    std::vector<std::size_t> first;
    for (std::string_view type : distinct(ref.types, same_type)) {
      Run run = std::equal_range(by_name_and_type_.begin(), by_name_and_type_.end(), NameAndType(name, type),
                                 ByKey<decltype(name_and_type_of), NameAndTypeLess>{candidates_, name_and_type_of});
      m.count += static_cast<std::size_t>(run.second - run.first) -
                 (has_self && self.display_name == name && iequals(self.type, type) ? 1 : 0);
      for (std::size_t j : first_of(run, from, listed)) first.push_back(j);
    }
    std::sort(first.begin(), first.end());
    for (std::size_t k = 0; k < first.size() && m.first.size() < listed; ++k) m.first.push_back(first[k]);
  }
  return m;
}

std::vector<std::size_t> Resolver::named(std::string_view what) const {
  std::vector<std::size_t> out;
  auto ids = std::equal_range(by_id_.begin(), by_id_.end(), what, ByKey<decltype(id_of)>{candidates_, id_of});
  out.insert(out.end(), ids.first, ids.second);
  if (!what.empty()) {
    auto names = std::equal_range(by_name_.begin(), by_name_.end(), what, ByKey<decltype(name_of)>{candidates_, name_of});
    out.insert(out.end(), names.first, names.second);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace mcc::link
