// SPDX-License-Identifier: Apache-2.0
#pragma once
// The references a Graph object makes to other objects that belong in its profile (a VPN's
// identity certificate, a SCEP profile's trusted root): the navigation properties its table
// links with certificateLink rows that apply to it, read the way the link stage reads them.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "map/table.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc::map {

/// Every reference `object` (at `pointer` in its file) makes through the certificateLink rows
/// of `table` that apply to it, following nested tables that read the same object.
std::vector<GraphReference> linked_references(const TableSet& tables, const Table& table, const nlohmann::json& object,
                                              const std::string& pointer);

}  // namespace mcc::map
