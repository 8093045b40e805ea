#pragma once
// The link/assemble stage: mapped objects → one Configuration profile, with
// deterministic identifiers and cross references between payloads resolved.

#include <string>
#include <vector>

#include "map/mapped.hpp"
#include "mobileconfigc/compile.hpp"
#include "read/reader.hpp"

namespace mcc::link {

/// One object of a profile, as the link stage works on it: the object and what the map stage
/// made of it (both read only), and the link stage's own copies of its payload and top-level
/// keys, which variables are substituted into and links are written into.
struct Unit {
  const read::GraphObject* object;
  const map::MappedObject* mapped;
  Value payload;       // a copy of mapped->payload
  Value profile_keys;  // a copy of mapped->profile_keys
};

/// The link stage's units for `mapped` (one per object, in profile order).
Unit make_unit(const read::GraphObject& object, const map::MappedObject& mapped);

/// Builds the profile from the units, which it consumes; writes link warnings into `diags`,
/// each naming its unit's position as Diagnostic::object. `explicit_links` (--link) win
/// over the references in the objects; one that names no object here is an error.
/// `explained`: pointers of the first unit's references that the caller has already reported
/// on (a batch says why it embeds nothing for them); they are not reported again.
Value assemble_profile(std::vector<Unit> units, const std::string& identifier_prefix,
                       const std::vector<ExplicitLink>& explicit_links, Diagnostics& diags,
                       const std::vector<std::string>& explained = {});

}  // namespace mcc::link
