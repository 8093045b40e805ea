// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: plist bytes (validate, inspect, sign input) → mcc::parse_plist → serialize.
#include <cstdint>
#include <cstdio>

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto broken = mcc::fuzz::read_plist({reinterpret_cast<const char*>(data), size});
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
