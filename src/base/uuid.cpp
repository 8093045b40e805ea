// SPDX-License-Identifier: Apache-2.0
#include "base/uuid.hpp"

#include <array>
#include <cstdint>

#include "base/sha1.hpp"

namespace mcc {
namespace {

std::array<std::uint8_t, 16> parse_uuid(std::string_view s) {
  std::array<std::uint8_t, 16> out{};
  std::size_t n = 0;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = -1;
  for (char c : s) {
    int v = nibble(c);
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else if (n < out.size()) {
      out[n++] = static_cast<std::uint8_t>(hi << 4 | v);
      hi = -1;
    }
  }
  return out;
}

}  // namespace

std::string uuid_v5(std::string_view ns, std::string_view name) {
  auto ns_bytes = parse_uuid(ns);
  std::string input(reinterpret_cast<const char*>(ns_bytes.data()), ns_bytes.size());
  input.append(name);
  auto digest = sha1(input);
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3F) | 0x80);
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace mcc
