// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files from mappings/ and schemas/ compiled into the binary, and where their top-level
// members are: both written by the build (tools/embed.cpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace mcc::embedded {

struct Resource {
  std::string_view path;  // relative to the source tree, e.g. "mappings/vpnServer.json"
  std::string_view content;
};

const std::vector<Resource>& resources();

/// One member of a built-in file's object: its key and the text of its value, as byte
/// offsets into the file.
struct MemberSpan {
  std::uint32_t key, key_size, value, value_size;
};
/// The members of the file's top level (name ""), or of the object that is the value of
/// its top-level member `name` (the last so named).
struct ObjectIndex {
  std::string_view name;
  const MemberSpan* members;
  std::size_t count;
};
/// Every file json_object_members skims: its top level first, then each top-level member
/// whose value is an object.
struct FileIndex {
  std::size_t resource;  // its position in resources()
  const ObjectIndex* objects;
  std::size_t count;
};
std::span<const FileIndex> file_indexes();

using Members = std::vector<std::pair<std::string_view, std::string_view>>;
/// json_object_members(text, inner): for a built-in file (`text` being its content), from
/// the index the build made with that same function, without reading the text; for any
/// other text, or a built-in file without an index, json_object_members itself.
std::optional<std::pair<Members, std::optional<Members>>> object_members(std::string_view text, std::string_view inner);
/// The top-level members of a built-in file from the build's index; nothing for any other
/// text or a file without an index.
std::optional<Members> indexed_members(std::string_view text);

}  // namespace mcc::embedded
