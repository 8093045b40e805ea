// SPDX-License-Identifier: Apache-2.0
#pragma once
// Turning input bytes into UTF-8 text: BOM handling and UTF-16 decoding.

#include <optional>
#include <string>
#include <string_view>

namespace mcc::read {

/// UTF-8 (with or without BOM) passes through without its BOM; UTF-16LE/BE with a
/// BOM, or BOM-less UTF-16 that starts with an ASCII character, is decoded. UTF-32
/// (LE or BE, with a BOM or starting with an ASCII character) is refused by name.
/// On failure returns nullopt and sets `error` to a lowercase reason.
std::optional<std::string> to_utf8(std::string_view bytes, std::string& error);
/// The same without copying UTF-8 input: the text is a view of `bytes` (after any BOM),
/// or of `decoded`, which holds decoded UTF-16.
std::optional<std::string_view> to_utf8(std::string_view bytes, std::string& decoded, std::string& error);

}  // namespace mcc::read
