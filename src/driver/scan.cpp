// SPDX-License-Identifier: Apache-2.0
// Compiler::scan and InputScanner: the objects of an input, listed without compiling them.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>

#include "base/messages.hpp"
#include "mobileconfigc/batch.hpp"
#include "driver/batch_objects.hpp"
#include "driver/compiler_impl.hpp"
#include "base/repeat_limit.hpp"
#include "base/stable_id.hpp"
#include "map/references.hpp"
#include "read/encoding.hpp"
#include "read/reader.hpp"

namespace mcc {
namespace {

// What Compiler::scan lists about one object.
GraphObjectInfo describe(const map::TableSet& tables, const read::GraphObject& obj, TextSpan span) {
  GraphObjectInfo info;
  info.pointer = obj.pointer;
  info.span = span;
  info.type = obj.type;
  info.id = stable_id(obj.json);
  if (auto it = obj.json.find("displayName"); it != obj.json.end() && it->is_string()) info.display_name = it->get<std::string>();
  const map::Table* table = tables.for_graph_type(obj.type);
  info.supported = table != nullptr;
  if (table != nullptr) info.references = map::linked_references(tables, *table, obj.json, info.pointer);
  return info;
}

// Lists the objects of an input's UTF-8 text as read::InputSplitter hands them out: each is
// parsed alone, described and let go.
class Lister {
 public:
  // `budget`: what the objects kept parsed may still take (none: nothing is kept).
  // `limits`: what the splitter holds at once, and each value's own.
  Lister(const map::TableSet& tables, std::string name, std::optional<std::string> graph_type, bool whole,
         std::shared_ptr<driver::ParseBudget> budget = nullptr, const read::ReadLimits& limits = {})
      : tables_(tables),
        name_(std::move(name)),
        graph_type_(std::move(graph_type)),
        budget_(std::move(budget)),
        limits_(limits),
        splitter_([this](const read::SplitValue& v, std::string_view text) { read(v, text); }, whole, limits) {}
  Lister(const Lister&) = delete;  // the splitter calls back into this one
  Lister& operator=(const Lister&) = delete;

  void feed(std::string_view text) { splitter_.feed(text); }
  // True once the text is known not to split.
  [[nodiscard]] bool declined() const { return refused_ || splitter_.failed(); }

  // True when the text was split and every value in it is JSON; then found() holds what it
  // lists, and `diags` gets what it reports.
  bool finish(Diagnostics& diags) {
    if (!splitter_.finish() || refused_) return false;
    if (const auto& empty = splitter_.empty_list()) diags_.add(msg::no_graph_object({name_, *empty}, "an empty array"));
    limit_.finish(diags_, name_);
    diags.append(diags_);
    return true;
  }
  [[nodiscard]] ScannedObjects::Impl& found() { return found_; }

 private:
  void read(const read::SplitValue& v, std::string_view text) {
    if (refused_) return;
    Diagnostics d;
    bool is_json = true;
    auto obj = read::read_graph_object(name_, text, v.pointer, graph_type_, d, limits_, &is_json);
    // Such a diagnostic would say where in the value, not where in the file: the caller reads
    // the whole text to say it as read_graph_objects does.
    if (!is_json) {
      refused_ = true;
      return;
    }
    limit_.add_all(diags_, d);
    if (!obj) return;
    GraphObjectInfo info = describe(tables_, *obj, TextSpan{v.offset, v.length});
    // Only what a profile is made of is worth keeping.
    if (info.supported && budget_ && budget_->take(v.length))
      info.parsed = std::make_shared<ParsedGraphObject>(ParsedGraphObject{std::move(*obj)});
    found_.add(std::move(info));
  }

  const map::TableSet& tables_;
  std::string name_;
  std::optional<std::string> graph_type_;
  std::shared_ptr<driver::ParseBudget> budget_;
  read::ReadLimits limits_;
  read::InputSplitter splitter_;
  bool refused_ = false;
  ScannedObjects::Impl found_;  // kept compactly: a list response may hold 100,000
  Diagnostics diags_;
  RepeatLimit limit_;  // as read_graph_objects limits the findings about a list's values
};

enum class Encoding { utf8, utf8_bom, other };

// What the first bytes say about the encoding, as read::to_utf8 reads them; nothing while
// fewer than three bytes have come and more may come.
std::optional<Encoding> encoding_of(std::string_view head, bool all_of_it) {
  if (head.size() < 3 && !all_of_it) return std::nullopt;
  std::string decoded, error;
  auto text = read::to_utf8(head.substr(0, 3), decoded, error);
  if (text && text->data() == head.data()) return Encoding::utf8;
  if (text && text->data() == head.data() + 3) return Encoding::utf8_bom;
  return Encoding::other;  // UTF-16 (or not text): decoded as a whole
}

}  // namespace

std::vector<GraphObjectInfo> Compiler::scan(const InputFile& input, const CompileOptions& options, Diagnostics& diags) const {
  std::vector<GraphObjectInfo> out;
  const auto& tables = impl_->tables;
  std::string decoded, error;
  auto text = read::to_utf8(input.bytes, decoded, error);
  if (text && input.bytes.size() <= read::ReadLimits{}.max_bytes) {
    Lister lister(tables, input.name, options.graph_type, /*whole=*/true);
    lister.feed(*text);
    if (lister.finish(diags)) return lister.found().take_all();
  }
  // Not split: read_graph_objects says why, as it says it for a compile.
  Diagnostics why;
  auto objects = read::read_graph_objects(input.name, input.bytes, options.graph_type, why);
  if (!why.has_errors() && !objects.empty())  // cannot happen: whatever read_graph_objects reads is split
    why.add(msg::bad_json(input.name, "its objects cannot be told apart"));
  diags.append(why);
  return out;
}

static_assert(InputScanner::Limits{}.max_held_bytes == read::ReadLimits{}.max_bytes &&
                  InputScanner::Limits{}.max_bytes == read::ReadLimits{}.max_stream_bytes,
              "a scanner holds what an input read whole may hold, and streams what the read stage streams");

struct InputScanner::Impl {
  Impl(const map::TableSet& tables, const CompileOptions& options, std::string name, std::shared_ptr<driver::ParseBudget> budget)
      : tables(tables), graph_type(options.graph_type), name(std::move(name)), budget(std::move(budget)) {
    make_lister();
  }
  // The lister is made again when the limits change (before anything is fed).
  void make_lister() {
    read::ReadLimits limits;
    limits.max_bytes = scan_limits.max_held_bytes;
    limits.max_stream_bytes = scan_limits.max_bytes;
    lister.emplace(tables, name, graph_type, /*whole=*/false, budget, limits);
  }
  const map::TableSet& tables;
  std::optional<std::string> graph_type;
  std::string name;
  std::shared_ptr<driver::ParseBudget> budget;
  Limits scan_limits;
  std::optional<Lister> lister;
  std::string head;  // the first bytes, until they tell the encoding
  std::optional<Encoding> encoding;
  std::size_t size = 0;
  bool refused = false;  // not UTF-8, or too large: scanned whole

  void start(bool all_of_it) {
    encoding = encoding_of(head, all_of_it);
    if (!encoding) return;
    if (*encoding == Encoding::other) refused = true;
    else lister->feed(std::string_view(head).substr(*encoding == Encoding::utf8_bom ? 3 : 0));
    head = {};
  }
};

InputScanner::InputScanner(const Compiler& compiler, const CompileOptions& options, std::string name)
    : InputScanner(compiler, options, std::move(name), nullptr) {}
InputScanner::InputScanner(const Compiler& compiler, const CompileOptions& options, std::string name,
                           std::shared_ptr<driver::ParseBudget> budget)
    : impl_(std::make_unique<Impl>(compiler.impl_->tables, options, std::move(name), std::move(budget))) {}
InputScanner::InputScanner(InputScanner&&) noexcept = default;
InputScanner& InputScanner::operator=(InputScanner&&) noexcept = default;
InputScanner::~InputScanner() = default;

void InputScanner::set_limits(const Limits& limits) {
  auto& I = *impl_;
  I.scan_limits = limits;
  // Objects are kept at 32-bit offsets (driver::BatchObjects): no input may be larger.
  I.scan_limits.max_bytes = std::min<std::size_t>(limits.max_bytes, std::numeric_limits<std::uint32_t>::max());
  I.make_lister();
}

void InputScanner::feed(std::string_view bytes) {
  auto& I = *impl_;
  if (I.refused) return;
  I.size += bytes.size();
  if (I.size > I.scan_limits.max_bytes) {
    I.refused = true;
    return;
  }
  if (I.encoding) {
    I.lister->feed(bytes);
    return;
  }
  I.head.append(bytes);
  I.start(false);
}

bool InputScanner::finish(std::vector<GraphObjectInfo>& objects, Diagnostics& diags) {
  auto& I = *impl_;
  if (!I.refused && !I.encoding) I.start(true);
  if (I.refused || !I.lister->finish(diags)) return false;
  std::vector<GraphObjectInfo> found = I.lister->found().take_all();
  objects.insert(objects.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  return true;
}

bool InputScanner::finish(ScannedObjects& objects, Diagnostics& diags) {
  auto& I = *impl_;
  if (!I.refused && !I.encoding) I.start(true);
  if (I.refused || !I.lister->finish(diags)) return false;
  objects.impl_ = std::make_unique<ScannedObjects::Impl>(std::move(I.lister->found()));
  return true;
}

bool InputScanner::declined() const { return impl_->refused || impl_->lister->declined(); }

std::size_t InputScanner::text_offset() const { return impl_->encoding == Encoding::utf8_bom ? 3 : 0; }

}  // namespace mcc
