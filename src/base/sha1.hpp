// SPDX-License-Identifier: Apache-2.0
#pragma once
// SHA-1 (FIPS 180-4), for UUIDv5 names only. Our own small implementation: OpenSSL's
// one-shot digest loads its provider machinery on first use, which costs more than a
// whole compile of one profile.

#include <array>
#include <cstdint>
#include <string_view>

namespace mcc {

std::array<std::uint8_t, 20> sha1(std::string_view data);

}  // namespace mcc
