// SPDX-License-Identifier: Apache-2.0
#pragma once
/// The Apple platform a profile is made for.

#include <optional>
#include <string_view>

namespace mcc {

enum class Platform { ios, macos };

/// "ios" or "macos": how the command line, the tables and diagnostics spell it.
std::string_view platform_name(Platform p);

/// The platform named "ios" or "macos"; nothing for any other text.
std::optional<Platform> parse_platform(std::string_view name);

}  // namespace mcc
