// SPDX-License-Identifier: Apache-2.0
#include "schema/embedded.hpp"

#include "base/fast_json.hpp"

namespace mcc::embedded {
namespace {

// The index of the built-in file that `text` is (the very bytes, not a copy of them).
const FileIndex* index_of(std::string_view text) {
  const auto& all = resources();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].content.data() != text.data() || all[i].content.size() != text.size()) continue;
    for (const FileIndex& f : file_indexes())
      if (f.resource == i) return &f;
    return nullptr;
  }
  return nullptr;
}

Members members(std::string_view text, const ObjectIndex& object) {
  Members out;
  out.reserve(object.count);
  for (std::size_t i = 0; i < object.count; ++i) {
    const MemberSpan& m = object.members[i];
    out.emplace_back(text.substr(m.key, m.key_size), text.substr(m.value, m.value_size));
  }
  return out;
}

}  // namespace

std::optional<std::pair<Members, std::optional<Members>>> object_members(std::string_view text,
                                                                         std::string_view inner) {
  const FileIndex* file = index_of(text);
  if (file == nullptr) return json_object_members(text, inner);
  const ObjectIndex* nested = nullptr;  // the last so named, as the skim takes it
  for (std::size_t i = 1; i < file->count; ++i)
    if (file->objects[i].name == inner) nested = &file->objects[i];
  std::optional<std::pair<Members, std::optional<Members>>> out(std::in_place, members(text, file->objects[0]),
                                                                std::nullopt);
  if (nested != nullptr) out->second.emplace(members(text, *nested));
  return out;
}

std::optional<Members> indexed_members(std::string_view text) {
  const FileIndex* file = index_of(text);
  if (file == nullptr) return std::nullopt;
  return members(text, file->objects[0]);
}

}  // namespace mcc::embedded
