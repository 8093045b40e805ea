// SPDX-License-Identifier: Apache-2.0
#pragma once
// The check stage: a Graph object against its Graph type definition.

#include "schema/graph_schema.hpp"
#include "read/reader.hpp"

namespace mcc::check {

using schema::GraphProperty;
using schema::GraphSchema;
using schema::GraphType;

/// Reports unknown properties (warning), wrong JSON types, unknown enum members,
/// nulls where Graph forbids them, out-of-range numbers and oversized collections (errors).
void check_object(const GraphSchema& schema, const read::GraphObject& object, Diagnostics& diags);

}  // namespace mcc::check
