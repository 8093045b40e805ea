// SPDX-License-Identifier: Apache-2.0
#include "read/reader.hpp"

#include <algorithm>
#include <array>
#include <set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/fast_json.hpp"
#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "base/repeat_limit.hpp"
#include "base/strings.hpp"
#include "read/encoding.hpp"

namespace mcc::read {
namespace {

using nlohmann::json;

// Bracket depth outside strings, computed before parsing so hostile nesting
// never reaches the recursive parts of the JSON library.
int max_nesting(std::string_view text) {
  // The bytes that end a run the scan skips: outside strings a quote or a bracket, inside
  // one a quote or a backslash. Skipping by table instead of testing each byte against each
  // of them takes a third less (it runs on every input twice in a batch; issue 18).
  static constexpr auto kOutside = [] {
    std::array<bool, 256> t{};
    for (char c : std::string_view("\"{}[]")) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  static constexpr auto kInside = [] {
    std::array<bool, 256> t{};
    t[static_cast<unsigned char>('"')] = t[static_cast<unsigned char>('\\')] = true;
    return t;
  }();
  const std::size_t n = text.size();
  int depth = 0, deepest = 0;
  for (std::size_t i = 0; i < n;) {
    while (i < n && !kOutside[static_cast<unsigned char>(text[i])]) ++i;
    if (i >= n) break;
    const char c = text[i++];
    if (c == '"') {  // skip the string, and the character after each backslash in it
      for (;;) {
        while (i < n && !kInside[static_cast<unsigned char>(text[i])]) ++i;
        if (i >= n) break;
        if (text[i] == '\\') {
          i += 2;
          continue;
        }
        ++i;  // the closing quote
        break;
      }
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else {
      --depth;
    }
  }
  return deepest;
}

const char* json_kind(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

struct Collector {
  const std::string& file;
  const std::optional<std::string>& forced_type;
  Diagnostics& diags;
  std::vector<GraphObject> out;
  RepeatLimit limit{};  // a list of a million numbers reports a hundred and the count

  void object(json&& j, const std::string& pointer) {
    if (!j.is_object()) {
      limit.add(diags, msg::no_graph_object({file, pointer}, json_kind(j)));
      return;
    }
    std::string type;
    if (auto it = j.find("@odata.type"); it != j.end()) {
      if (!it->is_string()) {
        limit.add(diags, msg::wrong_json_type({file, pointer_join(pointer, "@odata.type")}, "a string", json_kind(*it)));
        return;
      }
      type = short_type_name(it->get<std::string>());
    } else if (forced_type) {
      type = short_type_name(*forced_type);
    } else {
      limit.add(diags, msg::missing_type({file, pointer}));
      return;
    }
    out.push_back(GraphObject{file, pointer, std::move(type), std::move(j)});
  }

  void top(json&& j) {
    list(std::move(j));
    limit.finish(diags, file);
  }

  void list(json&& j) {
    if (j.is_array()) {
      if (j.empty()) diags.add(msg::no_graph_object({file, ""}, "an empty array"));
      for (std::size_t i = 0; i < j.size(); ++i) object(std::move(j[i]), pointer_join("", i));
      return;
    }
    if (j.is_object() && !j.contains("@odata.type") && j.contains("value")) {
      json& v = j["value"];
      if (v.is_array()) {
        if (v.empty()) diags.add(msg::no_graph_object({file, "/value"}, "an empty array"));
        for (std::size_t i = 0; i < v.size(); ++i) object(std::move(v[i]), pointer_join("/value", i));
      } else {
        object(std::move(v), "/value");
      }
      return;
    }
    object(std::move(j), "");
  }
};

enum class Parsed { ok, invalid, duplicate_key };

// The fast reader, else nlohmann's parse, with duplicate keys found by its callbacks. Duplicate
// keys are ambiguous (which one did Intune mean?), so they are refused. The fast reader accepts
// only what nlohmann accepts, builds the same value and gives up on any repeated key; then (or
// on any error) nlohmann's own parse says why. `detail`: the parser's message, or the key.
// `try_fast`: false when the caller has had the fast reader's answer already.
Parsed parse_json(std::string_view text, json& j, std::string& detail, bool try_fast = true) {
  if (auto fast = try_fast ? fast_json_parse(text, /*reject_duplicate_keys=*/true) : std::nullopt) {
    j = std::move(*fast);
    return Parsed::ok;
  }
  std::vector<std::set<std::string>> keys_at_depth;
  std::optional<std::string> duplicate;
  auto on_event = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys_at_depth.emplace_back();
    else if (event == json::parse_event_t::object_end) keys_at_depth.pop_back();
    else if (event == json::parse_event_t::key && !keys_at_depth.empty() && !duplicate &&
             !keys_at_depth.back().insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  try {
    j = json::parse(text, on_event);
  } catch (const json::exception& e) {
    // The library's message starts with "[json.exception.parse_error.101] parse error at ...".
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    // "; last read: '...'" and "number overflow parsing '...'" quote the input, which may be
    // a shared secret or password.
    if (auto last = what.find("; last read: "); last != std::string::npos) {
      auto expected = what.rfind("; expected ");
      what = what.substr(0, last) + (expected != std::string::npos && expected > last ? what.substr(expected) : "");
    }
    // "number overflow parsing '<the number>'" quotes all of it (100,000 digits, or a numeric secret).
    constexpr std::string_view kOverflow = "number overflow parsing '";
    if (what.rfind(kOverflow, 0) == 0 && what.size() > kOverflow.size())
      what = "number overflow: a number of " + std::to_string(what.size() - kOverflow.size() - 1) +
             " characters does not fit a double";
    else if (auto quoted = what.find(" parsing '"); quoted != std::string::npos)
      what.resize(quoted);  // never quote the input: it may be a secret
    detail = std::move(what);
    return Parsed::invalid;
  }
  if (duplicate) {
    detail = std::move(*duplicate);
    return Parsed::duplicate_key;
  }
  return Parsed::ok;
}

// The checks read_graph_objects makes before parsing (size, encoding, emptiness, nesting),
// then the parse; false after a diagnostic.
bool parse_input(const std::string& file, std::string_view bytes, json& j, Diagnostics& diags, const ReadLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    diags.add(msg::too_large(file, size_limit_reason(bytes.size(), limits)));
    return false;
  }
  std::string decoded, error;
  auto text = to_utf8(bytes, decoded, error);
  if (!text) {
    diags.add(msg::bad_encoding(file, error));
    return false;
  }
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    diags.add(msg::bad_json(file, "the file is empty"));
    return false;
  }
  // The fast reader gives a value only for text nested no deeper than the limit: nothing
  // more to check then. Otherwise nesting too deep is what is reported, before anything
  // else the text may hold.
  if (auto fast = fast_json_parse(*text, /*reject_duplicate_keys=*/true, limits.max_depth)) {
    j = std::move(*fast);
    return true;
  }
  if (int depth = max_nesting(*text); depth > limits.max_depth) {
    diags.add(msg::too_deep(file, depth, limits.max_depth));
    return false;
  }
  std::string detail;
  switch (parse_json(*text, j, detail, /*try_fast=*/false)) {  // the fast reader said no above
    case Parsed::ok: return true;
    case Parsed::invalid: diags.add(msg::bad_json(file, detail)); return false;
    case Parsed::duplicate_key: diags.add(msg::duplicate_key(file, detail)); return false;
  }
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::string size_limit_reason(std::size_t size, const ReadLimits& limits, bool more) {
  return size_limit_reason(size, limits.max_bytes, more);
}

std::string size_limit_reason(std::size_t size, std::size_t limit, bool more) {
  return (more ? "more than " : "") + std::to_string(size) + " bytes; at most " + std::to_string(limit) + " are accepted";
}

std::vector<GraphObject> read_graph_objects(const std::string& file, std::string_view bytes,
                                            const std::optional<std::string>& forced_type,
                                            Diagnostics& diags, const ReadLimits& limits) {
  json j;
  if (!parse_input(file, bytes, j, diags, limits)) return {};
  Collector c{file, forced_type, diags, {}};
  c.top(std::move(j));
  return std::move(c.out);
}

std::optional<GraphObject> read_graph_object(const std::string& file, std::string_view bytes, const std::string& pointer,
                                             const std::optional<std::string>& forced_type, Diagnostics& diags,
                                             const ReadLimits& limits, bool* is_json) {
  json j;
  bool parsed = parse_input(file, bytes, j, diags, limits);
  if (is_json) *is_json = parsed;
  if (!parsed) return std::nullopt;
  Collector c{file, forced_type, diags, {}};
  c.object(std::move(j), pointer);
  if (c.out.empty()) return std::nullopt;
  return std::move(c.out.front());
}

// --- InputSplitter ---------------------------------------------------------------------------

namespace {

// Where a number or literal ends (JSON whitespace, or what follows a value in an array or object).
bool ends_scalar(char c) { return is_space(c) || c == ',' || c == ']' || c == '}'; }

// The position of the first byte at or after `i` that the splitter must look at inside a
// value: in a string a quote or a backslash; elsewhere in a container a quote or a bracket
// (every other byte leaves its state as it is). v.size() when there is none. Pass 1 used
// to look at every byte of every input one at a time (5 % of a batch).
std::size_t next_significant(std::string_view v, std::size_t i, bool in_string) {
  const char* p = v.data() + i;
  const char* const end = v.data() + v.size();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i lower = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_cmpeq_epi8(x, quote);
    if (in_string) {
      hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, backslash));
    } else {
      // '[' and ']' are '{' and '}' without the 0x20 bit; no other byte becomes either.
      const __m128i folded = _mm_or_si128(x, lower);
      hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
    }
    if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit)); mask != 0)
      return static_cast<std::size_t>(p - v.data()) + static_cast<std::size_t>(__builtin_ctz(mask));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    const char c = *p;
    if (c == '"' || (in_string ? c == '\\' : (c == '{' || c == '}' || c == '[' || c == ']')))
      return static_cast<std::size_t>(p - v.data());
  }
  return v.size();
}

}  // namespace

InputSplitter::InputSplitter(OnValue on_value, bool whole, const ReadLimits& limits)
    : on_value_(std::move(on_value)), whole_(whole), max_depth_(limits.max_depth), max_held_(limits.max_bytes) {}

void InputSplitter::feed(std::string_view piece) {
  if (state_ == State::failed) return;
  bool buffered = !buffer_.empty();
  if (buffered) buffer_.append(piece);
  view_ = buffered ? std::string_view(buffer_) : piece;
  scan(view_);
  std::size_t end = base_ + view_.size();
  std::size_t keep = state_ == State::failed ? end : keep_from();
  // A value (or a top-level object not yet known to be a list response) larger than what may
  // be held: not split as it comes, and never buffered past the bound. A buffer holds at most
  // this bound plus one piece, for the time of a feed(). (A whole text is held by its caller.)
  if (!whole_ && end - keep + members_held_ > max_held_) {
    state_ = State::failed;
    keep = end;
  }
  if (buffered) buffer_.erase(0, keep - base_);
  else buffer_.assign(piece.substr(keep - base_));
  base_ = keep;
  view_ = buffer_;
}

bool InputSplitter::finish() {
  view_ = buffer_;
  if (state_ != State::failed && in_value_ && scalar_) end_value(base_ + buffer_.size());  // a number at the very end
  return state_ == State::end;
}

std::size_t InputSplitter::keep_from() const {
  std::size_t end = base_ + view_.size();
  bool in_object = state_ >= State::key && state_ <= State::list_more;
  if (whole_) return in_value_ && scalar_ ? value_start_ : end;  // only a number at the end is still open
  if (in_object && !streaming_list_) return top_start_;            // not yet known to be a list response
  if (member_start_) return *member_start_;
  return in_value_ ? value_start_ : end;
}

std::string_view InputSplitter::text(std::size_t offset, std::size_t length) const {
  return view_.substr(offset - base_, length);
}

bool InputSplitter::deeper() {
  if (++depth_ <= max_depth_) return true;
  state_ = State::failed;
  return false;
}

void InputSplitter::scan(std::string_view view) {
  for (std::size_t end = base_ + view.size(); pos_ < end && state_ != State::failed; ++pos_) {
    if (in_value_ && !escaped_ && (in_string_ || !scalar_)) {
      pos_ = base_ + next_significant(view, pos_ - base_, in_string_);
      if (pos_ == end) break;
    }
    char c = view[pos_ - base_];
    if (in_value_) {
      if (in_string_) {
        if (escaped_) {
          escaped_ = false;
        } else if (c == '\\') {
          escaped_ = true;
        } else if (c == '"') {
          in_string_ = false;
          if (value_depth_ == 0) end_value(pos_ + 1);  // the value was this string
        }
        continue;
      }
      if (!scalar_) {
        if (c == '"') {
          in_string_ = true;
        } else if (c == '{' || c == '[') {
          ++value_depth_;
          deeper();
        } else if (c == '}' || c == ']') {
          --depth_;
          if (--value_depth_ == 0) end_value(pos_ + 1);
        }
        continue;
      }
      if (!ends_scalar(c)) continue;
      end_value(pos_);  // and the character after the number is structure
      if (state_ == State::failed) return;
    }
    structure(c, pos_);
  }
}

void InputSplitter::structure(char c, std::size_t at) {
  if (is_space(c)) return;
  auto fail = [this] { state_ = State::failed; };
  switch (state_) {
    case State::top:
      if (c == '[' || c == '{') {
        if (!deeper()) return;
        top_start_ = at;
        state_ = c == '[' ? State::array : State::key;
        after_comma_ = false;
      } else {
        start_value(c, at, Role::top_value);
      }
      return;
    case State::array:
      if (c == ']' && !after_comma_) {  // "[]"
        --depth_;
        empty_list_ = "";
        state_ = State::end;
      } else {
        start_value(c, at, Role::array_element);
      }
      return;
    case State::array_more:
      if (c == ',') {
        state_ = State::array;
        after_comma_ = true;
      } else if (c == ']') {
        --depth_;
        state_ = State::end;
      } else {
        fail();
      }
      return;
    case State::key:
      if (c == '}' && !after_comma_) {
        --depth_;
        end_top_object(at + 1);
      } else if (c == '"') {
        member_start_ = at;
        start_value(c, at, Role::key);
      } else {
        fail();
      }
      return;
    case State::colon:
      if (c == ':') state_ = State::member;
      else fail();
      return;
    case State::member:
      if (c == '[' && !has_type_ && !list_ && members_.back().key == "value") {
        // A Graph list response (so far): its elements are the objects.
        if (!deeper()) return;
        list_ = true;
        list_member_ = members_.size() - 1;
        members_.back().value_offset = at;
        state_ = State::list;
        after_comma_ = false;
        if (!whole_) {
          // From here on the elements are handed out as they come and the text before them is
          // let go, so what came before is checked now.
          streaming_list_ = true;
          for (std::size_t k = 0; k < members_.size(); ++k)
            if (!check_member(members_[k], k != list_member_)) return fail();
          member_start_.reset();
        }
      } else {
        start_value(c, at, Role::member_value);
      }
      return;
    case State::member_more:
      if (c == ',') {
        state_ = State::key;
        after_comma_ = true;
      } else if (c == '}') {
        --depth_;
        end_top_object(at + 1);
      } else {
        fail();
      }
      return;
    case State::list:
      if (c != ']' || after_comma_) {
        start_value(c, at, Role::list_element);
        return;
      }
      [[fallthrough]];  // "[]"
    case State::list_more:
      if (c == ',') {
        state_ = State::list;
        after_comma_ = true;
      } else if (c == ']') {
        --depth_;
        members_[list_member_].value_length = at + 1 - members_[list_member_].value_offset;
        state_ = State::member_more;
      } else {
        fail();
      }
      return;
    case State::end:
    case State::failed:
      fail();
      return;
  }
}

void InputSplitter::start_value(char c, std::size_t at, Role role) {
  in_value_ = true;
  role_ = role;
  value_start_ = at;
  value_depth_ = 0;
  in_string_ = escaped_ = scalar_ = false;
  if (c == '{' || c == '[') {
    value_depth_ = 1;
    deeper();
  } else if (c == '"') {
    in_string_ = true;
  } else if (role != Role::key && (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n')) {
    scalar_ = true;  // a number, true, false or null
  } else {
    state_ = State::failed;
  }
}

void InputSplitter::end_value(std::size_t end) {
  in_value_ = false;
  std::size_t length = end - value_start_;
  switch (role_) {
    case Role::top_value:
      emit("", value_start_, length);
      state_ = State::end;
      return;
    case Role::array_element:
      emit(pointer_join("", next_index_++), value_start_, length);
      state_ = State::array_more;
      return;
    case Role::key: {
      Member m;
      m.key_offset = value_start_;
      m.key_length = length;
      std::string_view raw = text(value_start_ + 1, length - 2);
      if (raw.find('\\') == std::string_view::npos) {
        m.key = raw;
      } else {  // escapes: the parser decodes them
        json key;
        std::string detail;
        if (parse_json(text(value_start_, length), key, detail) != Parsed::ok || !key.is_string()) {
          state_ = State::failed;
          return;
        }
        m.key = key.get<std::string>();
      }
      if (m.key == "@odata.type") {
        has_type_ = true;
        // A Graph object after all, and its list elements have been handed out: read it whole.
        if (streaming_list_) {
          state_ = State::failed;
          return;
        }
      }
      // Held until the object ends (in members_, and in keys_ once checked).
      members_held_ += sizeof(Member) + 2 * m.key.size() + 64;
      members_.push_back(std::move(m));
      state_ = State::colon;
      return;
    }
    case Role::member_value: {
      Member& m = members_.back();
      m.value_offset = value_start_;
      m.value_length = length;
      if (streaming_list_ && !check_member(m, true)) {
        state_ = State::failed;
        return;
      }
      member_start_.reset();
      state_ = State::member_more;
      return;
    }
    case Role::list_element: {
      std::string pointer = pointer_join("/value", next_index_++);
      if (streaming_list_) emit(std::move(pointer), value_start_, length);
      else deferred_.push_back({std::move(pointer), value_start_, length});
      state_ = State::list_more;
      return;
    }
  }
}

// A top-level object ends: it is a Graph object, or a Graph response whose "value" is the object
// or the list of them.
void InputSplitter::end_top_object(std::size_t end) {
  state_ = State::end;
  auto value = std::find_if(members_.begin(), members_.end(), [](const Member& m) { return m.key == "value"; });
  if (has_type_ || value == members_.end()) {
    deferred_.clear();
    emit("", top_start_, end - top_start_);
    return;
  }
  // The response's other members are checked here; its value is read as the object(s).
  for (auto& m : members_)
    if (!check_member(m, &m != &*value)) {
      state_ = State::failed;
      return;
    }
  if (!list_) {
    emit("/value", value->value_offset, value->value_length);
    return;
  }
  if (next_index_ == 0) empty_list_ = "/value";
  for (auto& d : deferred_) emit(std::move(d.pointer), d.offset, d.length);
  deferred_.clear();
}

bool InputSplitter::check_member(Member& m, bool value_too) {
  if (m.checked) return true;
  json j;
  std::string detail;
  if (parse_json(text(m.key_offset, m.key_length), j, detail) != Parsed::ok) return false;  // UTF-8, control characters
  if (value_too && parse_json(text(m.value_offset, m.value_length), j, detail) != Parsed::ok) return false;
  if (!keys_.insert(m.key).second) return false;  // a repeated key
  m.checked = true;
  return true;
}

void InputSplitter::emit(std::string pointer, std::size_t offset, std::size_t length) {
  on_value_(SplitValue{std::move(pointer), offset, length}, text(offset, length));
}

}  // namespace mcc::read
