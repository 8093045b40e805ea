#pragma once
// JSON pointer strings (RFC 6901), built token by token.

#include <string>
#include <string_view>

namespace mcc {

/// base + "/" + token, with '~' and '/' escaped as "~0" and "~1".
inline std::string pointer_join(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

inline std::string pointer_join(std::string_view base, std::size_t index) {
  return std::string(base) + "/" + std::to_string(index);
}

}  // namespace mcc
