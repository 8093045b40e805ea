#pragma once
// What a Compiler holds: the schemas and tables, loaded once and shared read-only.

#include "schema/graph_schema.hpp"
#include "map/table.hpp"
#include "mobileconfigc/compile.hpp"
#include "schema/apple_schema.hpp"

namespace mcc {

struct Compiler::Impl {
  schema::GraphSchema graph;
  schema::AppleSchema apple;
  map::TableSet tables;
};

}  // namespace mcc
