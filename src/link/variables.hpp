// SPDX-License-Identifier: Apache-2.0
#pragma once
// Intune variables ("{{UserName}}", "{{SerialNumber}}", ...): Intune replaces them per
// user or device before delivery. mobileconfigc keeps them verbatim unless the caller
// supplies values (--var / --vars); names match case-insensitively.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc::link {

/// One "{{name}}" occurrence in a text: offsets of the braces and the name inside.
struct VariableRef {
  std::size_t begin = 0;  // offset of "{{"
  std::size_t end = 0;    // offset just past "}}"
  std::string name;
};

/// Every "{{name}}" in `text`, left to right (a name is letters, digits, '_' and '-').
/// Linear in the length of `text`, whatever it holds.
std::vector<VariableRef> find_variables(std::string_view text);

/// True when `name` is one of Intune's documented variables (case-insensitive).
bool is_intune_variable(std::string_view name);
/// The documented spelling of `name`, or `name` itself.
std::string canonical_variable(std::string_view name);

/// The value supplied for `name` (case-insensitive), if any.
std::optional<std::string> lookup_variable(const std::map<std::string, std::string>& values, std::string_view name);

/// Replaces every supplied variable in `text`, in one pass: a value's own text is never
/// scanned for variables.
std::string substitute_variables(std::string_view text, const std::map<std::string, std::string>& values);

/// Replaces supplied variables in every string of `tree` (dictionary keys stay) and reports
/// unknown variable names and — when any values were supplied — variables left without a
/// value. `pointer_of(path)` names the Graph property behind a payload key path. A string
/// for which `is_secret(path)` holds is left verbatim and never mentioned: Intune does not
/// substitute variables in secrets. Each string is substituted here and nowhere else.
/// `scope` says what the map stage learnt about the object: a device certificate takes
/// device variables only (a user variable warns MCC-M037), and a variable Intune replaces in
/// one place only warns elsewhere. A variable whose value the caller must give (CloudPKIFQDN)
/// is an error without one (MCC-M036), as is a value of the wrong shape.
struct VariableScope {
  bool device_certificate = false;
  /// Documented name → the payload key paths where Intune replaces it (nullptr: none such);
  /// the caller's map, which outlives the call.
  const std::map<std::string, std::vector<std::string>>* variable_places = nullptr;
};
void substitute_tree(Value& tree, const std::map<std::string, std::string>& values, const std::string& file,
                     const std::function<std::string(const std::string&)>& pointer_of,
                     const std::function<bool(const std::string&)>& is_secret, Diagnostics& diags,
                     const VariableScope& scope = {});

}  // namespace mcc::link
