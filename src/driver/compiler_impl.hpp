#pragma once
// What a Compiler holds: the pipeline, with its schemas and tables loaded once and shared read-only.

#include "driver/pipeline.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc {

struct Compiler::Impl : driver::Pipeline {};

}  // namespace mcc
