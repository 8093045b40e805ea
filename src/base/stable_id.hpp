// SPDX-License-Identifier: Apache-2.0
#pragma once
// The stable identity of a Graph object, from which its PayloadIdentifier and PayloadUUID derive.

#include <nlohmann/json.hpp>
#include <string>

namespace mcc {

/// The object's Graph id, unless missing or all zeros (create requests, trimmed exports), in
/// which case a UUID derived from the object's canonical JSON.
std::string stable_id(const nlohmann::json& object);

}  // namespace mcc
