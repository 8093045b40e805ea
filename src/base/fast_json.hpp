// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fast JSON reader for the tables and schemas built into the binary (a fresh process
// parses ~120 KB of them before it compiles anything) and for input files: nlohmann's
// lexer keeps every token for its error messages and is several times slower.
//
// It accepts exactly the documents nlohmann::json::parse accepts (RFC 8259, UTF-8 checked)
// and builds the same value: non-negative integers as number_unsigned, negative ones as
// number_integer, anything with a fraction or exponent as number_float (strtod), a
// repeated object key keeps the last value. Whatever it is not sure about (an integer
// too large for 64 bits, a number beyond double, nesting deeper than 256, any syntax
// error) returns nothing, and the caller parses with nlohmann::json::parse, which gives the same value or the
// diagnostic it always gave. With `reject_duplicate_keys`, an object that repeats a key
// also returns nothing (the input reader reports duplicates with its own, slower parse).

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace mcc {

/// The deepest nesting fast_json_parse reads (an object or array at the top is at depth 1).
inline constexpr int kFastJsonMaxDepth = 256;

/// `max_depth`: nesting deeper than this (or than kFastJsonMaxDepth) returns nothing too, so
/// that a caller with a lower limit knows from a value that the text is within it.
std::optional<nlohmann::json> fast_json_parse(std::string_view text, bool reject_duplicate_keys = false,
                                              int max_depth = kFastJsonMaxDepth);

/// fast_json_parse, else nlohmann::json::parse(text, nullptr, false) (discarded on errors).
nlohmann::json parse_json_or_discarded(std::string_view text);

/// The members of the JSON object that is `text` (white space around it allowed), each as
/// its key and the text of its value, without reading the values: strings are skipped to
/// their closing quote and objects and arrays by bracket depth, nothing is checked inside
/// them. For an index of a large built-in document whose parts are read when first used.
/// Nothing when unsure: a key with an escape or a control character in it, text that ends
/// early, anything after the object.
std::optional<std::vector<std::pair<std::string_view, std::string_view>>> json_object_members(std::string_view text);
/// The same, and in the same pass the members of the object that is the value of its member
/// `inner` (the last so named; nothing there when it is absent or not an object): a large
/// member is skimmed once rather than twice. Nothing at all when either object is one
/// json_object_members would give nothing for.
std::optional<std::pair<std::vector<std::pair<std::string_view, std::string_view>>,
                        std::optional<std::vector<std::pair<std::string_view, std::string_view>>>>>
json_object_members(std::string_view text, std::string_view inner);

/// Steps through a document's objects member by member in one pass, for a caller that builds
/// its own structures from built-in text without a DOM (Apple's payload specs): it descends
/// into the objects it is told to enter and hands over any other value as its text, skipped
/// as json_object_members skips it (nothing checked inside). Keys must be plain strings (no
/// escapes). Once anything is not as expected it has failed(), and every step after that
/// gives nothing: the caller reads the text some other way. The text must outlive the cursor.
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}
  /// The next byte that is not white space; '\0' at the end.
  char peek() {
    if (p_ < end_ && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' && *p_ != '\t') return *p_;
    return past_white_space();
  }
  /// Past the '{' that comes next; false, and failed(), when no object comes next.
  bool enter_object();
  /// Within the object entered last: its next member's key, past the ':' after it; nothing
  /// at its end (then past its '}', in the object around it again), or nothing and failed().
  std::optional<std::string_view> next_key();
  /// The text of the value that comes next, passed over.
  std::optional<std::string_view> skip_value();
  /// Whether every object entered has ended, only white space is left, and nothing failed.
  bool done();
  [[nodiscard]] bool failed() const { return failed_; }

 private:
  bool fail();
  char past_white_space();

  const char* p_;
  const char* end_;
  std::vector<bool> first_;  // for each object entered and not ended: no member read yet
  bool failed_ = false;
};

/// The content of `value` when it is a JSON string without escapes or control characters.
std::optional<std::string_view> json_plain_string(std::string_view value);

/// A value JsonCursor handed over, as the DOM would hold it: a plain string and the two
/// literals without a parse, anything else by fast_json_parse (nothing when it is not JSON).
std::optional<nlohmann::json> json_leaf(std::string_view value);

}  // namespace mcc
