#pragma once
// The closed registry of named transforms: the few mapping steps that need logic.
// Tables refer to them by name; an unknown name fails table loading.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "map/mapped.hpp"
#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/diagnostic.hpp"

namespace mcc::transforms {

struct Context {
  const nlohmann::json& value;   // the value at the row's `from` (null when absent)
  const nlohmann::json& object;  // the object the row applies to
  const std::string& pointer;    // absolute JSON pointer of `value`
  const nlohmann::json& args;    // the row's literal arguments
  const std::string& file;
  const std::string& target_path;  // the payload key path the result is written to
  Diagnostics& diags;
  std::vector<map::LinkRequest>& links;
  const CompileOptions* options = nullptr;  // the caller's compile options (variables, SCEP challenge, ...)
  std::string_view platform = {};           // the target platform: "ios" or "macos"
};

/// Returns the value to write at the row's `to`, or nothing to write.
using Transform = std::optional<Value> (*)(Context&);

const std::map<std::string, Transform, std::less<>>& registry();
std::vector<std::string> names();

}  // namespace mcc::transforms
