#pragma once
// The read stage: bytes → Graph objects, each with its file and JSON pointer.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::read {

struct GraphObject {
  std::string file;     // as named on the command line ("<stdin>" for -)
  std::string pointer;  // where the object sits in the file ("" or "/value/3")
  std::string type;     // short Graph type name, e.g. "iosikEv2VpnConfiguration"
  nlohmann::json json;
};

struct ReadLimits {
  std::size_t max_bytes = 64u << 20;  // refuse larger files before parsing
  int max_depth = 64;                 // Graph objects nest a few levels; deeper is hostile
};

/// "#microsoft.graph.iosVpnConfiguration" → "iosVpnConfiguration".
std::string short_type_name(std::string_view odata_type);

/// Parses one input file. `forced_type` (--type) applies to objects without @odata.type.
std::vector<GraphObject> read_graph_objects(const std::string& file, std::string_view bytes,
                                            const std::optional<std::string>& forced_type,
                                            Diagnostics& diags, const ReadLimits& limits = {},
                                            const std::string& base_pointer = "");

}  // namespace mcc::read
