// SPDX-License-Identifier: Apache-2.0
#include "map/member_lookup.hpp"

#include <algorithm>
#include <cstring>

#include "map/engine.hpp"

namespace mcc::map {
namespace {

using nlohmann::json;

// Objects with fewer members are searched as they are: hashing them would cost more. So are
// objects with more than kMaxIndexedMembers (no table reads such an object; the bound keeps
// what names that collide on purpose can cost).
constexpr std::size_t kIndexedMembers = 8;
constexpr std::size_t kMaxIndexedMembers = 1024;
// Past this many indexed objects (a long array of large objects), the rest are searched as
// they are, so that finding an index stays a short scan.
constexpr std::size_t kMaxIndexes = 16;

// A name's length and its first and last eight bytes, mixed: member names differ there, and
// a collision costs a comparison, never a wrong member.
std::uint64_t hash_name(std::string_view s) {
  std::uint64_t head = 0, tail = 0;
  const std::size_t n = s.size();
  std::memcpy(&head, s.data(), std::min<std::size_t>(n, 8));
  if (n > 8) std::memcpy(&tail, s.data() + n - 8, 8);
  std::uint64_t h = (head ^ (tail * 0x9e3779b97f4a7c15ULL) ^ n) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 29);
}

// One reference token as it names a member: "~1" and "~0" undone.
std::string unescape_token(std::string_view token) {
  std::string out(token);
  for (std::size_t pos; (pos = out.find("~1")) != std::string::npos;) out.replace(pos, 2, "/");
  for (std::size_t pos; (pos = out.find("~0")) != std::string::npos;) out.replace(pos, 2, "~");
  return out;
}

const json* element(const json& array, std::string_view token) {
  if (token.empty() || token.size() > 9 || token.find_first_not_of("0123456789") != std::string_view::npos) return nullptr;
  std::size_t i = 0;
  for (char c : token) i = i * 10 + static_cast<std::size_t>(c - '0');
  return i < array.size() ? &array[i] : nullptr;
}

// The member or element an unescaped reference token names in `cur`; nothing when none.
const json* step_into(const json& cur, std::string_view token) {
  if (cur.is_object()) {
    const auto& members = cur.get_ref<const json::object_t&>();
    auto it = members.find(token);
    return it == members.end() ? nullptr : &it->second;
  }
  return cur.is_array() ? element(cur, token) : nullptr;
}

}  // namespace

const json* resolve_pointer(const json& obj, std::string_view pointer) {
  const json* cur = &obj;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the '/'
    const auto slash = pointer.find('/');
    const std::string_view token = pointer.substr(0, slash);
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    // Unescaped only when it holds a '~': most tokens are used as they are, without a copy.
    cur = token.find('~') == std::string_view::npos ? step_into(*cur, token) : step_into(*cur, unescape_token(token));
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

std::vector<PointerToken> split_pointer(std::string_view pointer) {
  std::vector<PointerToken> out;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // the '/'
    const auto slash = pointer.find('/');
    std::string name = unescape_token(pointer.substr(0, slash));
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    const std::uint64_t hash = hash_name(name);
    out.push_back({std::move(name), hash});
  }
  return out;
}

const json* MemberLookup::resolve(const json& root, const std::vector<PointerToken>& tokens) {
  const json* cur = &root;
  for (const PointerToken& token : tokens) {
    if (cur->is_object()) cur = member(cur->get_ref<const json::object_t&>(), token);
    else if (cur->is_array()) cur = element(*cur, token.name);
    else cur = nullptr;
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

const json* MemberLookup::member(const json::object_t& members, const PointerToken& token) {
  const std::size_t size = members.size();
  const Index* index = size < kIndexedMembers || size > kMaxIndexedMembers ? nullptr : index_of(members);
  if (index == nullptr) {
    auto it = members.find(token.name);
    return it == members.end() ? nullptr : &it->second;
  }
  const std::size_t mask = index->slots.size() - 1;
  for (std::size_t i = token.hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = index->slots[i];
    if (slot.name == nullptr) return nullptr;
    if (slot.hash == token.hash && *slot.name == token.name) return slot.value;
  }
}

const MemberLookup::Index* MemberLookup::index_of(const json::object_t& members) {
  if (last_ < indexes_.size() && indexes_[last_].object == &members) return &indexes_[last_];
  for (std::size_t i = 0; i < indexes_.size(); ++i)
    if (indexes_[i].object == &members) return &indexes_[last_ = i];
  if (indexes_.size() == kMaxIndexes) return nullptr;
  std::size_t size = 16;
  while (size < 2 * members.size()) size *= 2;
  Index index{&members, std::vector<Slot>(size)};
  for (const auto& [name, value] : members) {
    const std::uint64_t hash = hash_name(name);
    std::size_t i = hash & (size - 1);
    while (index.slots[i].name != nullptr) i = (i + 1) & (size - 1);
    index.slots[i] = {hash, &name, &value};
  }
  last_ = indexes_.size();
  indexes_.push_back(std::move(index));
  return &indexes_.back();
}

}  // namespace mcc::map
