// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: signed profile bytes (verify, inspect input) → mcc::verify_profile.
#include <cstdint>
#include <cstdio>

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto broken = mcc::fuzz::verify_cms({reinterpret_cast<const char*>(data), size});
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
