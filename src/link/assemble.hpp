#pragma once
// The link/assemble stage: mapped objects → one Configuration profile, with
// deterministic identifiers and cross references between payloads resolved.

#include <string>
#include <vector>

#include "map/mapped.hpp"
#include "mobileconfigc/compile.hpp"
#include "read/reader.hpp"

namespace mcc::link {

struct Unit {
  const read::GraphObject* object;
  map::MappedObject mapped;
};

/// Builds the profile; writes link warnings into `diags`. `explicit_links` (--link) win
/// over the references in the objects; one that names no object here is an error.
Value assemble_profile(std::vector<Unit>& units, const std::string& identifier_prefix,
                       const std::vector<ExplicitLink>& explicit_links, Diagnostics& diags);

}  // namespace mcc::link
