// SPDX-License-Identifier: Apache-2.0
#pragma once
// UTF-8, once: the well-formedness rule (RFC 3629, as nlohmann checks it: no overlong
// forms, no surrogates, nothing above U+10FFFF) and the encoder, shared by the readers
// of JSON, UTF-16 and binary plists and by the X.500 subject parser.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mcc::utf8 {

/// The length (1–4) of the well-formed sequence starting at `p`, or 0 when the bytes
/// there (up to `end`) are not one.
inline std::size_t sequence_length(const char* p, const char* end) {
  auto byte = [p](std::size_t i) { return static_cast<unsigned char>(p[i]); };
  auto in = [](unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
  if (p >= end) return 0;
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (in(c, 0xC2, 0xDF)) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF)) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (in(c, 0xF1, 0xF3)) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (static_cast<std::size_t>(end - p) < n || !in(byte(1), lo, hi)) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (!in(byte(i), 0x80, 0xBF)) return 0;
  return n;
}

/// True when all of `s` is well-formed UTF-8.
inline bool valid(std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    std::size_t n = sequence_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

/// Appends code point `cp` (at most U+10FFFF, not a surrogate) as UTF-8.
inline void append(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace mcc::utf8
