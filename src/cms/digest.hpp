#pragma once
// Message digests for the rest of the library (UUIDv5 needs SHA-1).

#include <array>
#include <cstdint>
#include <string_view>

namespace mcc {

std::array<std::uint8_t, 20> sha1(std::string_view data);

}  // namespace mcc
