// SPDX-License-Identifier: Apache-2.0
#pragma once
// Base64 (RFC 4648), both directions, in one place: tables carry certificates as base64, and
// `inspect --json` writes data values as base64.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mcc {

/// The standard alphabet with '=' padding, no line breaks: what Graph and plist XML write.
std::string encode_base64(std::span<const std::uint8_t> bytes);

/// Accepts the standard and the URL-safe alphabet, optional padding, and whitespace anywhere
/// (PEM bodies and exports wrap lines). Nothing for any other character, data after padding,
/// or a truncated last group.
std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text);

}  // namespace mcc
