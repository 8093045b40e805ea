// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Serializing the payload tree to plist bytes and reading plist bytes back.

#include <optional>
#include <string>
#include <string_view>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc {

enum class PlistFormat { xml, binary };

/// Deterministic bytes: dictionary keys sorted, no timestamps. Nothing, and MCC-P003 in
/// `file` naming the key path, when a string or key holds what a property list cannot
/// carry: a control character other than tab, LF and CR (NUL included), U+FFFE, U+FFFF,
/// or bytes that are not UTF-8. Compiler::compile never returns such a tree.
std::optional<std::string> serialize_plist(const Value& root, PlistFormat format, const std::string& file,
                                           Diagnostics& diags);

/// The same without diagnostics: an empty string when the tree holds such text.
std::string serialize_plist(const Value& root, PlistFormat format);

/// Parses XML or binary plist bytes (not CMS-wrapped). Reports MCC-P001 on failure.
std::optional<Value> parse_plist(std::string_view bytes, const std::string& file, Diagnostics& diags);

/// True when the bytes look like a DER CMS/PKCS#7 structure rather than a plist.
bool looks_like_cms(std::string_view bytes);

}  // namespace mcc
