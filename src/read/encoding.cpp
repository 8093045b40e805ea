// SPDX-License-Identifier: Apache-2.0
#include "read/encoding.hpp"

#include <cstdint>

#include "base/utf8.hpp"

namespace mcc::read {
namespace {

std::optional<std::string> decode_utf16(std::string_view bytes, bool little_endian, std::string& error) {
  if (bytes.size() % 2 != 0) {
    error = "utf-16 input has an odd number of bytes";
    return std::nullopt;
  }
  std::string out;
  out.reserve(bytes.size() / 2);
  auto unit = [&](std::size_t i) -> std::uint32_t {
    auto lo = static_cast<std::uint8_t>(bytes[i]), hi = static_cast<std::uint8_t>(bytes[i + 1]);
    return little_endian ? (hi << 8 | lo) : (lo << 8 | hi);
  };
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 >= bytes.size()) {
        error = "utf-16 input ends inside a surrogate pair at byte " + std::to_string(i);
        return std::nullopt;
      }
      std::uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        error = "invalid utf-16 surrogate pair at byte " + std::to_string(i);
        return std::nullopt;
      }
      utf8::append(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      error = "unpaired utf-16 surrogate at byte " + std::to_string(i);
      return std::nullopt;
    } else {
      utf8::append(out, u);
    }
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// UTF-32 with a BOM, or BOM-less UTF-32 that starts with an ASCII character: three zero
// bytes after (LE) or before (BE) it. Neither can be JSON in UTF-8 or UTF-16, whose
// text never starts with U+0000.
bool looks_like_utf32(std::string_view b) {
  using namespace std::string_view_literals;
  if (starts_with(b, "\xFF\xFE\0\0"sv) || starts_with(b, "\0\0\xFE\xFF"sv)) return true;
  if (b.size() < 4) return false;
  return (b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) || (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0);
}

}  // namespace

std::optional<std::string_view> to_utf8(std::string_view bytes, std::string& decoded, std::string& error) {
  auto utf16 = [&](std::string_view units, bool little_endian) -> std::optional<std::string_view> {
    auto text = decode_utf16(units, little_endian, error);
    if (!text) return std::nullopt;
    decoded = std::move(*text);
    return std::string_view(decoded);
  };
  if (starts_with(bytes, "\xEF\xBB\xBF")) return bytes.substr(3);
  // Refused rather than decoded: no Graph export tool writes it, and the message says what to do.
  if (looks_like_utf32(bytes)) {
    error = "utf-32 is not supported; save the file as utf-8";
    return std::nullopt;
  }
  if (starts_with(bytes, "\xFF\xFE")) return utf16(bytes.substr(2), true);
  if (starts_with(bytes, "\xFE\xFF")) return utf16(bytes.substr(2), false);
  // BOM-less UTF-16: an ASCII first character followed (LE) or preceded (BE) by a zero byte.
  if (bytes.size() >= 2 && bytes[0] != 0 && bytes[1] == 0) return utf16(bytes, true);
  if (bytes.size() >= 2 && bytes[0] == 0 && bytes[1] != 0) return utf16(bytes, false);
  return bytes;
}

std::optional<std::string> to_utf8(std::string_view bytes, std::string& error) {
  std::string decoded;
  auto text = to_utf8(bytes, decoded, error);
  if (!text) return std::nullopt;
  return std::string(*text);
}

}  // namespace mcc::read
