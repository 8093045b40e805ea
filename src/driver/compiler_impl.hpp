#pragma once
// What a Compiler holds: the pipeline, with its schemas and tables loaded once and shared read-only.

#include "driver/pipeline.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc {

struct Compiler::Impl : driver::Pipeline {};

namespace driver {
struct Access {
  static const Pipeline& pipeline(const Compiler& compiler) { return *compiler.impl_; }
};
}  // namespace driver

}  // namespace mcc
