// SPDX-License-Identifier: Apache-2.0
#include "base/carriable.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/utf8.hpp"

namespace mcc {
namespace {

bool is_control(unsigned char c, TextRule rule) {
  if (rule == TextRule::identifier) return c < 0x20 || c == 0x7F;
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// U+FFFE and U+FFFF are EF BF BE and EF BF BF.
bool is_noncharacter(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
         (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE;
}

// Walks a tree for text no plist can carry. The key path of what it finds ("VPN.AuthName",
// "OnDemandRules[2].Action") is spelt out only then: the walk itself keeps a stack of views
// of the keys and array positions it is in. Building the path at every key (and a number
// for every array element) was 13 % of a batch, for profiles that nearly never hold such text.
class Finder {
 public:
  Finder(std::vector<UncarriableText>& out, std::size_t limit) : out_(out), limit_(limit) {}

  void walk(const Value& v) {
    if (out_.size() >= limit_) return;
    switch (v.kind()) {
      case Value::Kind::string: check(v.as_string(), false); break;
      case Value::Kind::array: {
        const auto& a = v.as_array();
        for (std::size_t i = 0; i < a.size(); ++i) {
          stack_.push_back({{}, i});
          walk(a[i]);
          stack_.pop_back();
        }
        break;
      }
      case Value::Kind::dict: {
        for (const auto& m : v.as_dict()) {
          // A key that cannot be carried is named by its dictionary, never echoed.
          if (check(m.key, true)) continue;
          stack_.push_back({m.key, kKey});
          walk(m.value);
          stack_.pop_back();
        }
        break;
      }
      default: break;
    }
  }

 private:
  static constexpr std::size_t kKey = static_cast<std::size_t>(-1);
  struct Step {
    std::string_view key;  // a dictionary key, when index is kKey
    std::size_t index;     // else an array position
  };

  std::string path() const {
    std::string out;
    for (const Step& s : stack_) {
      if (s.index != kKey) {
        out.append(1, '[').append(std::to_string(s.index)).append(1, ']');
      } else {
        if (!out.empty()) out += '.';
        out += s.key;
      }
    }
    return out;
  }

  bool check(std::string_view s, bool is_key) {
    std::size_t at = find_uncarriable(s);
    if (at == std::string_view::npos) return false;
    if (out_.size() < limit_) out_.push_back({path(), is_key, describe_uncarriable(s, at)});
    return true;
  }

  std::vector<UncarriableText>& out_;
  std::size_t limit_;
  std::vector<Step> stack_;
};

}  // namespace

std::size_t find_uncarriable(std::string_view s, TextRule rule) {
  const char* begin = s.data();
  const char* end = begin + s.size();
  // Eight bytes at a time while all are printable ASCII (0x20-0x7E), as nearly all text
  // is; a word with anything else in it is looked at byte by byte below. Each test says
  // exactly whether some byte of the word is such a byte (Anderson's "bit twiddling hacks":
  // hasless, haszero), so nothing is skipped that the byte loop would have refused.
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto printable = [](std::uint64_t w) {
    const std::uint64_t below_space = (w - 0x20 * ones) & ~w & highs;
    const std::uint64_t del = w ^ (0x7F * ones);
    const std::uint64_t is_del = (del - ones) & ~del & highs;
    return (below_space | is_del | (w & highs)) == 0;
  };
  for (const char* p = begin; p < end;) {
#ifdef __SSE2__
    // Sixteen at a time where the compiler may use SSE2 (every x86-64): as signed bytes, those
    // below 0x20 and those from 0x80 up are all less than 0x20; DEL is compared alone.
    if (end - p >= 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i odd = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));
      if (_mm_movemask_epi8(odd) == 0) {
        p += 16;
        continue;
      }
    }
#endif
    if (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (printable(w)) {
        p += 8;
        continue;
      }
    } else {
      // The last bytes (most keys are shorter than eight) as one word, padded with spaces.
      std::uint64_t w = 0x20 * ones;
      std::memcpy(&w, p, static_cast<std::size_t>(end - p));
      if (printable(w)) return std::string_view::npos;
    }
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      if (is_control(c, rule)) return static_cast<std::size_t>(p - begin);
      ++p;
      continue;
    }
    std::size_t n = utf8::sequence_length(p, end);
    if (n == 0 || is_noncharacter(s, static_cast<std::size_t>(p - begin))) return static_cast<std::size_t>(p - begin);
    p += n;
  }
  return std::string_view::npos;
}

std::string describe_uncarriable(std::string_view s, std::size_t at) {
  if (at >= s.size()) return "nothing";
  const auto c = static_cast<unsigned char>(s[at]);
  char code[16];
  if (c < 0x80) {
    std::snprintf(code, sizeof code, "U+%04X", c);
    return c == 0 ? "a NUL character" : std::string("a control character (") + code + ")";
  }
  if (is_noncharacter(s, at)) return (static_cast<unsigned char>(s[at + 2]) == 0xBE) ? "the noncharacter U+FFFE" : "the noncharacter U+FFFF";
  return "bytes that are not utf-8";
}

std::string UncarriableText::subject() const {
  if (is_key) return "a key of " + (path.empty() ? std::string("the top-level dictionary") : path);
  return path.empty() ? std::string("the top-level value") : path;
}

std::vector<UncarriableText> find_uncarriable_text(const Value& root, std::size_t limit) {
  std::vector<UncarriableText> out;
  Finder(out, limit).walk(root);
  return out;
}

}  // namespace mcc
