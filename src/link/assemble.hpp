// SPDX-License-Identifier: Apache-2.0
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

/// A profile and where each unit's payload went.
struct Assembled {
  Value profile;
  std::vector<std::size_t> order;  // order[k]: the unit whose payload is PayloadContent[k]
  std::size_t lead = 0;            // the unit whose top-level keys the profile carries
};

/// Builds the profile from the units, which it consumes; writes link warnings into `diags`,
/// each naming its unit's position as Diagnostic::object. `explicit_links` (--link) win
/// over the references in the objects; one that names no object here is an error.
/// `explained`: pointers of the first unit's references that the caller has already reported
/// on (a batch says why it embeds nothing for them); they are not reported again.
/// A payload another links to (a certificate) is embedded: its identity is derived from the
/// profile's too, so each profile that embeds it has its own copy, and the links name that
/// copy. The profile's identity and top-level keys are those of the one payload nothing links
/// to, when there is one (else the first unit's keys). Payloads come after the payloads they
/// link to, otherwise in unit order.
Assembled assemble_profile(std::vector<Unit> units, const std::string& identifier_prefix,
                           const std::vector<ExplicitLink>& explicit_links, Diagnostics& diags,
                           const std::vector<std::string>& explained = {});

}  // namespace mcc::link
