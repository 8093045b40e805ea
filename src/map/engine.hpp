// SPDX-License-Identifier: Apache-2.0
#pragma once
// The map stage: one checked Graph object → one payload tree, by interpreting
// the object's mapping table.

#include <optional>

#include "map/mapped.hpp"
#include "map/table.hpp"
#include "mobileconfigc/compile.hpp"
#include "schema/apple_schema.hpp"
#include "read/reader.hpp"

namespace mcc::map {

std::optional<MappedObject> map_object(const TableSet& tables, const schema::AppleSchema& apple,
                                       const read::GraphObject& object, const MapInput& input, Diagnostics& diags);

/// Resolves a relative JSON pointer ("" = `obj` itself); nullptr when absent
/// (src/map/member_lookup.cpp).
const nlohmann::json* resolve_pointer(const nlohmann::json& obj, std::string_view pointer);

/// Whether every `when` condition holds on `obj` and no `unless` one does.
bool conditions_hold(const std::vector<Condition>& when, const std::vector<Condition>& unless, const nlohmann::json& obj);

/// Whether `row` applies to `obj`: every `when` condition holds and no `unless` one does.
bool row_applies(const Row& row, const nlohmann::json& obj);

}  // namespace mcc::map
