// SPDX-License-Identifier: Apache-2.0
#pragma once
// JSON pointer strings (RFC 6901), built token by token.

#include <charconv>
#include <string>
#include <string_view>

namespace mcc {

/// Appends "/" + token to `out`, with '~' and '/' escaped as "~0" and "~1".
inline std::string& pointer_append(std::string& out, std::string_view token) {
  out.append(1, '/');
  std::size_t run = 0;  // start of the characters not yet appended
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~' && token[i] != '/') continue;
    out.append(token.substr(run, i - run)).append(token[i] == '~' ? "~0" : "~1");
    run = i + 1;
  }
  return out.append(token.substr(run));
}

/// base + "/" + token, with '~' and '/' escaped as "~0" and "~1".
inline std::string pointer_join(std::string_view base, std::string_view token) {
  std::string out;
  out.reserve(base.size() + 1 + token.size());
  return pointer_append(out.append(base), token);
}

/// Appends "/" + index to `out`.
inline std::string& pointer_append(std::string& out, std::size_t index) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  return out.append(1, '/').append(digits, end);
}

inline std::string pointer_join(std::string_view base, std::size_t index) {
  std::string digits = std::to_string(index);
  std::string out;
  out.reserve(base.size() + 1 + digits.size());
  return out.append(base).append(1, '/').append(digits);
}

}  // namespace mcc
