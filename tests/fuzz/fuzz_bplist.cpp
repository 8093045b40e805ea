// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: binary plists (validate, inspect, sign and verify input) → mcc::parse_plist →
// serialize, and what the preflight promises about libplist. Run with a -max_len that lets the
// inputs nest deeply and share objects (scripts/test passes 2000000).
#include <cstdint>
#include <cstdio>

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto broken = mcc::fuzz::read_bplist({reinterpret_cast<const char*>(data), size});
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
