// SPDX-License-Identifier: Apache-2.0
#pragma once
// Addressing inside a payload tree by key path: "IKEv2.MTU", "OnDemandRules[0].Action".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/value.hpp"

namespace mcc {

/// True when `path` is Key(.Key)* with optional [N] (N < 1000) or [+] after a key; else sets `why`.
bool valid_key_path(std::string_view path, std::string& why);

const Value* find_path(const Value& root, std::string_view path);
/// Creates intermediate dictionaries and array elements as needed.
void set_path(Value& root, std::string_view path, Value v);
void erase_path(Value& root, std::string_view path);

}  // namespace mcc
