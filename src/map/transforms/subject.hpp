// SPDX-License-Identifier: Apache-2.0
#pragma once
// X.500 distinguished names as text (RFC 4514, with RFC 1779's leniencies: spaces around
// separators and '=', ';' as a separator, quoted values, "OID." prefixes) → attributes.
// Pure functions; the x500Subject transform turns the result into Apple's nested arrays.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mcc::map::transforms {

struct SubjectAttribute {
  std::string type;   // as written ("CN", "e", "2.5.4.3"); an "OID." prefix is removed
  std::string value;  // unescaped, quotes removed
  bool operator==(const SubjectAttribute&) const = default;
};
using Rdn = std::vector<SubjectAttribute>;  // several attributes joined with '+'

struct ParsedSubject {
  std::vector<Rdn> rdns;  // in the order written
  std::string error;      // empty when the text is a valid name
  std::size_t error_offset = 0;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

/// Parses a distinguished name. Never throws; a hostile input yields an error.
ParsedSubject parse_subject(std::string_view text);

}  // namespace mcc::map::transforms
