// SPDX-License-Identifier: Apache-2.0
#pragma once
// Looking up the members a table's rows read. A type's table reads ~150 pointers into the same
// few objects, each a std::map whose find() compares the name with every member on its way
// down: here a row's pointer is split and hashed once, when its plan is compiled, and an
// object with many members is hashed once, when a row first reads it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mcc::map {

/// One reference token of a JSON pointer, unescaped, with its hash.
struct PointerToken {
  std::string name;
  std::uint64_t hash = 0;
};

/// The tokens of a JSON pointer ("" has none; "/a~1b/0" has "a/b" and "0").
std::vector<PointerToken> split_pointer(std::string_view pointer);

/// Resolves split pointers in the objects of one Graph object. It keeps an index of each
/// object with many members that it has read, by address: it is for one mapping of one
/// object, on one thread, and the JSON it reads must outlive it and not change.
class MemberLookup {
 public:
  /// What `tokens` name in `root`, as resolve_pointer finds it; nullptr when nothing.
  const nlohmann::json* resolve(const nlohmann::json& root, const std::vector<PointerToken>& tokens);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    const std::string* name = nullptr;  // null: empty
    const nlohmann::json* value = nullptr;
  };
  struct Index {
    const nlohmann::json::object_t* object;
    std::vector<Slot> slots;  // open addressing, a power of two at most half full
  };
  const nlohmann::json* member(const nlohmann::json::object_t& members, const PointerToken& token);
  const Index* index_of(const nlohmann::json::object_t& members);
  std::vector<Index> indexes_;
  std::size_t last_ = 0;  // the index found last: rows read the same object in a run
};

}  // namespace mcc::map
