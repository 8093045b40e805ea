// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a Compiler holds: the pipeline, with its schemas and tables loaded once and shared read-only.

#include <atomic>
#include <cstddef>

#include "driver/pipeline.hpp"
#include "mobileconfigc/batch.hpp"
#include "mobileconfigc/compile.hpp"

namespace mcc {

struct Compiler::Impl : driver::Pipeline {};

struct ParsedGraphObject {
  read::GraphObject object;
};

namespace driver {

// What a BatchPlan's scanners may still keep parsed, in bytes of the objects' text; shared by
// scanners running in parallel.
struct ParseBudget {
  explicit ParseBudget(std::size_t bytes) : left(bytes) {}
  std::atomic<std::size_t> left;
  // Takes `bytes` of it, if that much is left.
  bool take(std::size_t bytes) {
    std::size_t now = left.load(std::memory_order_relaxed);
    while (now >= bytes)
      if (left.compare_exchange_weak(now, now - bytes, std::memory_order_relaxed)) return true;
    return false;
  }
};

struct Access {
  static const Pipeline& pipeline(const Compiler& compiler) { return *compiler.impl_; }
};
}  // namespace driver

}  // namespace mcc
