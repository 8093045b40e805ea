#pragma once
/// Serializing the payload tree to plist bytes and reading plist bytes back.

#include <optional>
#include <string>
#include <string_view>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc {

enum class PlistFormat { xml, binary };

/// Deterministic bytes: dictionary keys sorted, no timestamps.
std::string serialize_plist(const Value& root, PlistFormat format);

/// Parses XML or binary plist bytes (not CMS-wrapped). Reports MCC-P001 on failure.
std::optional<Value> parse_plist(std::string_view bytes, const std::string& file, Diagnostics& diags);

/// True when the bytes look like a DER CMS/PKCS#7 structure rather than a plist.
bool looks_like_cms(std::string_view bytes);

}  // namespace mcc
