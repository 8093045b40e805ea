// SPDX-License-Identifier: Apache-2.0
#pragma once
// The closed registry of named transforms: the few mapping steps that need logic.
// Tables refer to them by name; each declares the arguments it reads, and the table
// loader refuses an unknown name or arguments that do not match the declaration.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "map/mapped.hpp"
#include "map/table.hpp"
#include "mobileconfigc/diagnostic.hpp"

namespace mcc::map::transforms {

/// A row's arguments as a transform reads them. The loader has checked them against the
/// transform's declaration, so every declared argument is present with its declared
/// type; the accessors still never throw (a missing or mistyped one reads as empty).
class Args {
 public:
  // Implicit, so the engine hands a row's JSON args straight to the Context.
  Args(const nlohmann::json& args) : args_(args) {}  // NOLINT(google-explicit-constructor)

  /// A string argument.
  [[nodiscard]] const std::string& text(std::string_view name) const;
  /// A boolean argument.
  [[nodiscard]] bool flag(std::string_view name) const;
  /// An array-of-strings argument.
  [[nodiscard]] std::vector<std::string> texts(std::string_view name) const;
  /// An object argument (its member values have the declared type).
  [[nodiscard]] const nlohmann::json& object(std::string_view name) const;

 private:
  [[nodiscard]] const nlohmann::json* find(std::string_view name) const;
  const nlohmann::json& args_;
};

struct Context {
  const nlohmann::json& value;   // the value at the row's `from` (null when absent)
  const nlohmann::json& object;  // the object the row applies to
  const std::string& pointer;    // absolute JSON pointer of `value`
  Args args;                     // the row's literal arguments, checked against the declaration
  const std::string& file;
  const std::string& target_path;  // the payload key path the result is written to
  Diagnostics& diags;
  std::vector<map::LinkRequest>& links;
  const MapInput& input;  // the platform, the time, and what the caller gives besides Graph (SCEP challenge, ...)
  const Value& issuance;  // the object's lab issuance request so far (rows of scope "issuance" before this one)
  MappedObject& mapped;   // what a transform tells later stages about the object (device certificate, variable places)
};

/// Returns the value to write at the row's `to`, or nothing to write.
using Transform = std::optional<Value> (*)(Context&);

/// A registered transform: its function and the arguments it accepts.
struct Registered {
  Transform function;
  std::vector<map::TransformArg> args;
};

const std::map<std::string, Registered, std::less<>>& registry();
/// Every transform's name and arguments, for the table loader.
std::vector<map::TransformSignature> signatures();

}  // namespace mcc::map::transforms
