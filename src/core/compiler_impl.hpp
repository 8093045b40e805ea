#pragma once
// What a Compiler holds: the schemas and tables, loaded once and shared read-only.

#include "check/graph_schema.hpp"
#include "map/table.hpp"
#include "mobileconfigc/compile.hpp"
#include "profile/apple_schema.hpp"

namespace mcc {

struct Compiler::Impl {
  check::GraphSchema graph;
  profile::AppleSchema apple;
  map::TableSet tables;
};

}  // namespace mcc
