// SPDX-License-Identifier: Apache-2.0
#pragma once
/// A profile seen as `inspect` shows it: for the profile and each payload, the keys that say
/// what it is (Apple's common payload keys: display name, identifier, UUID, type, version,
/// organization, description; and the profile's scope and removal rule) apart from the keys
/// that set something. Which keys those are is the schema's knowledge, not the caller's.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mobileconfigc/value.hpp"

namespace mcc {

/// One key of a dictionary and its value (pointing into the viewed profile).
struct KeyValue {
  std::string_view key;
  const Value* value = nullptr;
};

struct PayloadView {
  const Value* dict = nullptr;     // the payload
  std::string type;                // its payload type ("" when it has none)
  std::string display_name;        // its display name ("" when it has none)
  std::vector<KeyValue> identity;  // the identity keys it has, in the schema's order
  std::vector<KeyValue> settings;  // every other key, in the payload's order
  /// True for the identity keys `type` and `display_name` come from (a one-line heading of
  /// the payload already shows them).
  [[nodiscard]] bool names_it(const KeyValue& k) const;
};

struct ProfileView {
  std::vector<KeyValue> identity;     // the profile's identity keys, in the schema's order
  std::vector<PayloadView> payloads;  // the dictionaries of its payload list, in order
};

/// The view of `profile` (a dictionary; anything else has no keys). It points into
/// `profile`, which must outlive it.
ProfileView view_profile(const Value& profile);

}  // namespace mcc
