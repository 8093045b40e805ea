#pragma once
// The link/assemble stage: mapped objects → one Configuration profile, with
// deterministic identifiers and cross references between payloads resolved.

#include <string>
#include <vector>

#include "map/mapped.hpp"
#include "read/reader.hpp"

namespace mcc::profile {

struct Unit {
  const read::GraphObject* object;
  map::MappedObject mapped;
};

/// The stable identity of a Graph object: its id, unless missing or all zeros, in
/// which case a UUID derived from the object's canonical JSON.
std::string stable_id(const nlohmann::json& object);

/// Builds the profile; writes link warnings into `diags`.
Value assemble_profile(std::vector<Unit>& units, const std::string& identifier_prefix, Diagnostics& diags);

}  // namespace mcc::profile
