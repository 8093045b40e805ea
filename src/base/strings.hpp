// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small string helpers every layer shares, each in one place.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mcc {

/// The items with `separator` between them: join({"a", "b"}) == "a, b"; "" for none.
std::string join(std::span<const std::string> items, std::string_view separator = ", ");

/// What split_flags does with an empty member ("a,,b", a trailing comma, or "").
enum class EmptyFlags {
  keep,  // return it as "": the value is not a valid flags value, and a checker says so
  skip,  // leave it out: for code that runs after the check and reads whatever names are there
};

/// Splits a Graph flags-enum value ("keyEncipherment, digitalSignature") at its commas into
/// member names, each trimmed of spaces. split_flags("") is {""} with EmptyFlags::keep and
/// {} with EmptyFlags::skip.
std::vector<std::string> split_flags(std::string_view value, EmptyFlags empty = EmptyFlags::keep);

/// A Graph type's short name: "#microsoft.graph.iosVpnConfiguration" → "iosVpnConfiguration"
/// (a leading '#', then a "microsoft.graph." or "graph." namespace, are dropped).
std::string short_type_name(std::string_view odata_type);

}  // namespace mcc
