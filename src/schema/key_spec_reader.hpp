// SPDX-License-Identifier: Apache-2.0
#pragma once
// Apple's payload specs (schemas/apple-payloads.json, apple-overlay.json) read into KeySpec
// trees: from a parsed document, or straight from a payload's text in one pass without a DOM
// for the tree (a fresh process reads the ~20 KB of its payload types this way).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/apple_schema.hpp"

namespace mcc::schema {

/// A payload type's spec ({"platforms": …, "keys": {…}}): its root, of type "dictionary".
/// `secrets`: the key names that are secret wherever they are. Throws nlohmann's exceptions
/// for a member of the wrong JSON type.
PayloadSpec payload_spec_from_json(const nlohmann::json& j, const std::vector<std::string>& secrets);

/// The same root, read from the payload's text. Nothing when the text is not what the built-in
/// schema holds (a key with an escape in it, a spec member given twice, a spec that is not an
/// object, text that is not JSON where it is read): the caller parses the text and reads it
/// with payload_spec_from_json, which says what is wrong. Throws as that does for a member of
/// the wrong JSON type.
std::optional<KeySpec> payload_root_from_text(std::string_view text, const std::vector<std::string>& secrets);

}  // namespace mcc::schema
