// SPDX-License-Identifier: Apache-2.0
#include "mobileconfigc/platform.hpp"

namespace mcc {

std::string_view platform_name(Platform p) { return p == Platform::ios ? "ios" : "macos"; }

std::optional<Platform> parse_platform(std::string_view name) {
  if (name == "ios") return Platform::ios;
  if (name == "macos") return Platform::macos;
  return std::nullopt;
}

}  // namespace mcc
