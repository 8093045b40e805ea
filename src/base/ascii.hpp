// SPDX-License-Identifier: Apache-2.0
#pragma once
// ASCII case-insensitive comparison: Graph type names arrive as "iosikEv2VpnConfiguration",
// "IOSIKEV2VPNCONFIGURATION" or anything between, depending on the exporting tool.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace mcc {

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// `s` with ASCII letters in lower case: a key that compares as iequals does.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace mcc
