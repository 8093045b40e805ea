// SPDX-License-Identifier: Apache-2.0
#include "base/strings.hpp"

namespace mcc {

std::string join(std::span<const std::string> items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> split_flags(std::string_view value, EmptyFlags empty) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = value.find(',');
    std::string_view part = value.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty() || empty == EmptyFlags::keep) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

std::string short_type_name(std::string_view t) {
  if (!t.empty() && t.front() == '#') t.remove_prefix(1);
  for (std::string_view prefix : {"microsoft.graph.", "graph."})
    if (t.substr(0, prefix.size()) == prefix) t.remove_prefix(prefix.size());
  return std::string(t);
}

}  // namespace mcc
