// SPDX-License-Identifier: Apache-2.0
#include "base/fast_json.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.hpp"

namespace mcc {
namespace {

using nlohmann::json;

class Reader {
 public:
  Reader(std::string_view text, bool reject_duplicate_keys, int max_depth)
      : p_(text.data()), end_(text.data() + text.size()), reject_duplicates_(reject_duplicate_keys), max_depth_(max_depth) {}

  bool document(json& out) {
    ws();
    if (!value(out, 0)) return false;
    ws();
    return p_ == end_;
  }

 private:
  const char* p_;
  const char* end_;
  bool reject_duplicates_;
  int max_depth_;

  void ws() {
    if (p_ == end_ || static_cast<unsigned char>(*p_) > ' ') return;  // most often: none
#if defined(__SSE2__)
    // The built-in documents are indented: runs of a newline and many spaces.
    while (end_ - p_ >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      const __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
      const auto other = static_cast<unsigned>(~_mm_movemask_epi8(blank)) & 0xFFFFu;
      if (other != 0) {
        p_ += __builtin_ctz(other);
        return;
      }
      p_ += 16;
    }
#endif
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  bool value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = json(std::move(s));
        return true;
      }
      case 't': out = true; return literal("true", 4);
      case 'f': out = false; return literal("false", 5);
      case 'n': out = nullptr; return literal("null", 4);
      default: return number(out);
    }
  }

  bool object(json& out, int depth) {
    if (depth > max_depth_) return false;
    ++p_;  // {
    out = json(json::value_t::object);
    auto& obj = out.get_ref<json::object_t&>();
    ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      if (p_ == end_ || *p_ != '"') return false;
      std::string key;
      if (!string(key)) return false;
      ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      ws();
      json v;
      if (!value(v, depth)) return false;
      if (reject_duplicates_) {
        if (!obj.emplace(std::move(key), std::move(v)).second) return false;
      } else {
        obj.insert_or_assign(std::move(key), std::move(v));  // a repeated key keeps the last value, as nlohmann does
      }
      ws();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        ws();
        continue;
      }
      if (*p_ != '}') return false;
      ++p_;
      return true;
    }
  }

  bool array(json& out, int depth) {
    if (depth > max_depth_) return false;
    ++p_;  // [
    out = json(json::value_t::array);
    auto& arr = out.get_ref<json::array_t&>();
    ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      arr.emplace_back();
      if (!value(arr.back(), depth)) return false;
      ws();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        ws();
        continue;
      }
      if (*p_ != ']') return false;
      ++p_;
      return true;
    }
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(unsigned& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex(p_[i]);
      if (h < 0) return false;
      out = (out << 4) | static_cast<unsigned>(h);
    }
    p_ += 4;
    return true;
  }

  bool string(std::string& s) {
    ++p_;  // opening quote
    const char* run = p_;
    for (;;) {
#if defined(__SSE2__)
      // Past the bytes that need no look, 16 at a time: anything but a quote, a backslash,
      // a control character or a byte of a multi-byte sequence (the signed compare takes
      // both of the last two).
      while (end_ - p_ >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
        const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                          _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
        if (mask != 0) {
          p_ += __builtin_ctz(mask);
          break;
        }
        p_ += 16;
      }
#endif
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        s.append(run, p_);
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const std::size_t n = utf8::sequence_length(p_, end_);
        if (n == 0) return false;
        p_ += n;
        continue;
      }
      if (c != '\\') {
        ++p_;
        continue;
      }
      s.append(run, p_);
      ++p_;
      if (p_ == end_) return false;
      char e = *p_++;
      switch (e) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned low = 0;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          utf8::append(s, cp);
          break;
        }
        default: return false;
      }
      run = p_;
    }
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  bool number(json& out) {
    const char* start = p_;
    bool negative = false;
    if (*p_ == '-') {
      negative = true;
      ++p_;
    }
    if (p_ == end_ || !digit(*p_)) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && digit(*p_)) ++p_;
    }
    const char* int_end = p_;
    bool is_float = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ < end_ && digit(*p_)) ++p_;
      is_float = true;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !digit(*p_)) return false;
      while (p_ < end_ && digit(*p_)) ++p_;
      is_float = true;
    }
    if (is_float) {
      std::string buf(start, p_);
      char* endp = nullptr;
      double d = std::strtod(buf.c_str(), &endp);
      if (endp != buf.c_str() + buf.size() || !std::isfinite(d)) return false;  // nlohmann: "number overflow"
      out = d;
      return true;
    }
    const char* digits = start + (negative ? 1 : 0);
    if (int_end - digits > 18) return false;  // leave overflow handling to nlohmann
    std::uint64_t v = 0;
    for (const char* q = digits; q < int_end; ++q) v = v * 10 + static_cast<std::uint64_t>(*q - '0');
    if (negative) out = -static_cast<std::int64_t>(v);
    else out = v;
    return true;
  }
};

// json_object_members: one object's members, values skipped rather than read.
using Members = std::vector<std::pair<std::string_view, std::string_view>>;

class Skimmer {
 public:
  explicit Skimmer(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // `inner_out`: the members of the value of the member named `inner`, when it is an
  // object, read in the same pass (the last so named).
  std::optional<Members> members(std::string_view inner = {}, std::optional<Members>* inner_out = nullptr) {
    Members out;
    ws();
    if (!object(out, inner, inner_out)) return std::nullopt;
    ws();
    if (p_ != end_) return std::nullopt;
    return out;
  }

 private:
  bool object(Members& out, std::string_view inner, std::optional<Members>* inner_out) {
    if (!take('{')) return false;
    ws();
    if (take('}')) return true;
    for (;;) {
      ws();
      const char* key_start = p_;
      if (!skip_string()) return false;
      auto key = json_plain_string(std::string_view(key_start, static_cast<std::size_t>(p_ - key_start)));
      ws();
      if (!key || !take(':')) return false;
      ws();
      const char* value_start = p_;
      if (inner_out != nullptr && *key == inner && p_ != end_ && *p_ == '{') {
        Members nested;
        if (!object(nested, {}, nullptr)) return false;
        *inner_out = std::move(nested);
      } else {
        if (inner_out != nullptr && *key == inner) inner_out->reset();  // the last so named is not an object
        if (!skip_value()) return false;
      }
      out.emplace_back(*key, std::string_view(value_start, static_cast<std::size_t>(p_ - value_start)));
      ws();
      if (take(',')) continue;
      if (take('}')) return true;
      return false;
    }
  }

 public:  // the steps JsonCursor takes one at a time
  const char* p_;
  const char* end_;

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool take(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  // The bytes that end a run the skips pass over: in a string a quote or a backslash,
  // between strings a quote or a bracket.
  static constexpr auto kInString = [] {
    std::array<bool, 256> t{};
    t[static_cast<unsigned char>('"')] = t[static_cast<unsigned char>('\\')] = true;
    return t;
  }();
  static constexpr auto kInContainer = [] {
    std::array<bool, 256> t{};
    for (char c : std::string_view("\"{}[]")) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  void skip_to(const std::array<bool, 256>& stop) {
    while (p_ < end_ && !stop[static_cast<unsigned char>(*p_)]) ++p_;
  }

  // From an opening quote past the closing one.
  bool skip_string() { return take('"') && skip_string_rest(); }
  // From just after an opening quote past the closing one.
  bool skip_string_rest() {
    for (;;) {
#if defined(__SSE2__)
      // Sixteen bytes at a time to the next quote or backslash (a table's notes are long).
      const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
      while (end_ - p_ >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
        const auto mask =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
        if (mask != 0) {
          p_ += __builtin_ctz(mask);
          break;
        }
        p_ += 16;
      }
#endif
      skip_to(kInString);
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (end_ - p_ < 2) return false;  // a backslash and what it escapes
      p_ += 2;
    }
  }
  bool skip_value() {
    if (p_ == end_) return false;
    if (*p_ == '"') return skip_string();
    if (*p_ == '{' || *p_ == '[') {
      int depth = 0;
#if defined(__SSE2__)
      // 16 bytes at a time: the documents skimmed (the built-in tables and schemas, ~180 KB
      // a fresh process indexes) are mostly key names and indentation between the bytes
      // that matter. Each quote, backslash and bracket is then taken in order, as below.
      bool in_string = false;
      const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
      const __m128i open_brace = _mm_set1_epi8('{'), close_brace = _mm_set1_epi8('}');
      const __m128i open_bracket = _mm_set1_epi8('['), close_bracket = _mm_set1_epi8(']');
      while (end_ - p_ >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
        const __m128i strings = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
        const __m128i braces = _mm_or_si128(_mm_cmpeq_epi8(v, open_brace), _mm_cmpeq_epi8(v, close_brace));
        const __m128i brackets = _mm_or_si128(_mm_cmpeq_epi8(v, open_bracket), _mm_cmpeq_epi8(v, close_bracket));
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(strings, _mm_or_si128(braces, brackets))));
        std::ptrdiff_t next = 16;  // where the next block starts: past an escaped first byte, 17
        while (mask != 0) {
          const auto i = static_cast<unsigned>(__builtin_ctz(mask));
          mask &= mask - 1;
          const char c = p_[i];
          if (in_string) {
            if (c == '"') {
              in_string = false;
            } else if (c == '\\') {  // the byte it escapes is not looked at
              if (i < 15) mask &= ~(1u << (i + 1));
              else next = 17;
            }
          } else if (c == '"') {
            in_string = true;
          } else if (c == '{' || c == '[') {
            ++depth;
          } else if (c == '}' || c == ']') {
            if (--depth == 0) {
              p_ += i + 1;
              return true;
            }
          }  // a backslash outside a string is passed over, as below
        }
        if (end_ - p_ < next) return false;  // the text ends in an escape
        p_ += next;
      }
      if (in_string && !skip_string_rest()) return false;
#endif
      for (;;) {
        skip_to(kInContainer);
        if (p_ == end_) return false;
        const char c = *p_;
        if (c == '"') {
          if (!skip_string()) return false;
          continue;
        }
        ++p_;
        if (c == '{' || c == '[') ++depth;
        else if (--depth == 0) return true;
      }
    }
    const char* start = p_;  // a number, true, false or null
    while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' && *p_ != '\t') ++p_;
    return p_ != start;
  }
};

}  // namespace

// Indentation, sixteen bytes at a time.
char JsonCursor::past_white_space() {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' '), newline = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
  while (end_ - p_ >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
    const __m128i white = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, newline)),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr)));
    const auto other = static_cast<unsigned>(_mm_movemask_epi8(white)) ^ 0xffffu;
    if (other != 0) {
      p_ += __builtin_ctz(other);
      return *p_;
    }
    p_ += 16;
  }
#endif
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  return p_ == end_ ? '\0' : *p_;
}

bool JsonCursor::enter_object() {
  if (failed_ || peek() != '{') return fail();
  ++p_;
  first_.push_back(true);
  return true;
}

std::optional<std::string_view> JsonCursor::next_key() {
  if (failed_ || first_.empty()) return fail(), std::nullopt;
  const char c = peek();
  if (c == '}') {
    ++p_;
    first_.pop_back();
    return std::nullopt;
  }
  if (!first_.back()) {
    if (c != ',') return fail(), std::nullopt;
    ++p_;
    peek();
  }
  if (p_ == end_ || *p_ != '"') return fail(), std::nullopt;
  const char* start = ++p_;
  // A plain key: no escape, no control character (json_plain_string), in the one pass.
#if defined(__SSE2__)
  // Sixteen bytes at a time to the first quote, backslash or control character, which the
  // loop below then takes.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), last_control = _mm_set1_epi8(0x1f);
  while (end_ - p_ >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v);  // unsigned v <= 0x1f
    const auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)))));
    if (mask != 0) {
      p_ += __builtin_ctz(mask);
      break;
    }
    p_ += 16;
  }
#endif
  while (p_ < end_ && *p_ != '"') {
    if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return fail(), std::nullopt;
    ++p_;
  }
  if (p_ == end_) return fail(), std::nullopt;
  const std::string_view key(start, static_cast<std::size_t>(p_ - start));
  ++p_;
  if (peek() != ':') return fail(), std::nullopt;
  ++p_;
  first_.back() = false;
  return key;
}

std::optional<std::string_view> JsonCursor::skip_value() {
  if (failed_ || peek() == '\0') return fail(), std::nullopt;
  Skimmer s(std::string_view(p_, static_cast<std::size_t>(end_ - p_)));
  if (!s.skip_value()) return fail(), std::nullopt;
  const std::string_view value(p_, static_cast<std::size_t>(s.p_ - p_));
  p_ = s.p_;
  return value;
}

bool JsonCursor::done() { return !failed_ && first_.empty() && peek() == '\0'; }

bool JsonCursor::fail() {
  failed_ = true;
  return false;
}

std::optional<std::vector<std::pair<std::string_view, std::string_view>>> json_object_members(std::string_view text) {
  return Skimmer(text).members();
}

std::optional<std::pair<Members, std::optional<Members>>> json_object_members(std::string_view text, std::string_view inner) {
  std::optional<Members> nested;
  std::optional<Members> top = Skimmer(text).members(inner, &nested);
  if (!top) return std::nullopt;
  return std::make_pair(std::move(*top), std::move(nested));
}

std::optional<std::string_view> json_plain_string(std::string_view value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  value = value.substr(1, value.size() - 2);
  for (char c : value)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return std::nullopt;
  return value;
}

std::optional<nlohmann::json> json_leaf(std::string_view value) {
  if (auto plain = json_plain_string(value)) return json(std::string(*plain));
  if (value == "true") return json(true);
  if (value == "false") return json(false);
  return fast_json_parse(value);
}

std::optional<nlohmann::json> fast_json_parse(std::string_view text, bool reject_duplicate_keys, int max_depth) {
  json out;
  Reader r(text, reject_duplicate_keys, std::min(max_depth, kFastJsonMaxDepth));
  if (!r.document(out)) return std::nullopt;
  return out;
}

nlohmann::json parse_json_or_discarded(std::string_view text) {
  if (auto j = fast_json_parse(text)) return std::move(*j);
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace mcc
