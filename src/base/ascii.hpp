// SPDX-License-Identifier: Apache-2.0
#pragma once
// ASCII case-insensitive comparison: Graph type names arrive as "iosikEv2VpnConfiguration",
// "IOSIKEV2VPNCONFIGURATION" or anything between, depending on the exporting tool.

#include <algorithm>
#include <string>
#include <string_view>

namespace mcc {

/// `c` in lower case when it is an ASCII capital, else `c`: what std::tolower does in the
/// "C" locale, without asking the locale.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

/// `s` with ASCII letters in lower case: a key that compares as iequals does.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace mcc
