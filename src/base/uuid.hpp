// SPDX-License-Identifier: Apache-2.0
#pragma once
// Deterministic identities: UUIDv5 (RFC 9562, SHA-1 name-based).

#include <string>
#include <string_view>

namespace mcc {

/// The namespace every mobileconfigc PayloadUUID is derived in.
inline constexpr std::string_view kUuidNamespace = "5b0f3b4e-8d7c-5a51-9c6e-2f1d0a3b7c91";

/// UUIDv5 of `name` in `ns` (a UUID string), upper-case as Apple tools write it.
std::string uuid_v5(std::string_view ns, std::string_view name);

}  // namespace mcc
