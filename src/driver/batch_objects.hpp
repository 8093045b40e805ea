// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a BatchPlan keeps of each object and input, compactly: a record of 40 bytes per
// object, its id, name and pointer end to end in an arena, its type interned, and the
// references of the few objects that have any on the side. A batch of 100,000 objects kept
// as GraphObjectInfo took ~500 bytes an object in strings, vectors and allocations.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/text_arena.hpp"
#include "mobileconfigc/batch.hpp"

namespace mcc::driver {

class BatchObjects {
 public:
  /// Adds an input's name; returns its number.
  std::size_t add_input(std::string_view name);
  /// Adds object `o` of input `input` (its strings are copied; its references moved); returns its number.
  std::size_t add(std::size_t input, GraphObjectInfo&& o);
  /// The same from a view (its strings are copied) and the references it has.
  std::size_t add(std::size_t input, const BatchObject& o, std::vector<GraphReference> references);
  /// Takes every object of `scanned` (a scanner's: no inputs, its objects all of its input
  /// 0) as objects of input `input`, without copying them; this must hold no object yet.
  void adopt(BatchObjects&& scanned, std::size_t input);
  /// Moves object i's references out (it has none after).
  std::vector<GraphReference> take_references(std::size_t i);

  [[nodiscard]] std::size_t size() const { return records_.size(); }
  [[nodiscard]] std::size_t inputs() const { return inputs_.size(); }
  [[nodiscard]] BatchObject object(std::size_t i) const;
  [[nodiscard]] std::size_t input_of(std::size_t i) const { return records_[i].input; }
  [[nodiscard]] bool supported(std::size_t i) const { return records_[i].supported; }
  /// The objects it links to (supported types only).
  [[nodiscard]] const std::vector<GraphReference>& references(std::size_t i) const;
  /// True when some object links to another.
  [[nodiscard]] bool any_references() const { return !references_.empty(); }
  [[nodiscard]] std::string input_name(std::size_t input) const;

 private:
  // 40 bytes. 32-bit offsets and lengths: an input is at most 4 GiB (InputScanner::Limits).
  struct Record {
    const char* text;  // id, display name and pointer, end to end, in arena_
    std::uint32_t id_length, name_length, pointer_length;
    std::uint32_t type;   // in types_
    std::uint32_t input;  // in inputs_
    std::uint32_t span_offset, span_length;
    bool supported;
  };
  static_assert(sizeof(Record) <= 40);
  static std::uint32_t narrow(std::size_t n);
  // `text`'s number among `texts` (a type, a directory), stored once in arena_: added when new.
  std::uint32_t intern(std::string_view text, std::vector<std::string_view>& texts,
                       std::unordered_map<std::string_view, std::uint32_t>& numbers);

  TextArena arena_;
  // An input's name is kept as its directory (up to its last '/'), stored once however many
  // inputs share it, and the rest: 100,000 files of one folder name the folder once. Each
  // input is one pointer into arena_, at its directory's number (4 bytes), the rest's length
  // (4 bytes), then the rest.
  std::vector<std::string_view> directories_;  // in arena_
  std::unordered_map<std::string_view, std::uint32_t> directory_numbers_;
  std::deque<const char*> inputs_;
  // Deque: 100,000 records added one input at a time never exist twice, as they do when a
  // growing vector moves them.
  std::deque<Record> records_;
  std::vector<std::string_view> types_;  // in arena_, each once
  std::unordered_map<std::string_view, std::uint32_t> type_numbers_;
  std::unordered_map<std::size_t, std::vector<GraphReference>> references_;
};

}  // namespace mcc::driver

namespace mcc {

/// One input's objects, as a scanner lists them: numbered from 0, all of input 0.
struct ScannedObjects::Impl {
  driver::BatchObjects objects;
  // The few the plan's budget let the scanner keep parsed.
  std::unordered_map<std::size_t, std::shared_ptr<ParsedGraphObject>> kept;

  void add(GraphObjectInfo&& o) {
    std::shared_ptr<ParsedGraphObject> parsed = std::move(o.parsed);
    const std::size_t i = objects.add(0, std::move(o));
    if (parsed) kept.emplace(i, std::move(parsed));
  }
  // As Compiler::scan lists them.
  std::vector<GraphObjectInfo> take_all();
};

}  // namespace mcc
