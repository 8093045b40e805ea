// SPDX-License-Identifier: Apache-2.0
#include "mobileconfigc/profile_view.hpp"

#include <algorithm>

#include "schema/apple_schema.hpp"

namespace mcc {
namespace {

// The profile's payload list and, in a payload, its type and display name: the keys
// Apple's TopLevel and CommonPayloadKeys define for them.
constexpr std::string_view kContent = "PayloadContent";
constexpr std::string_view kType = "PayloadType";
constexpr std::string_view kDisplayName = "PayloadDisplayName";

const std::vector<std::string>& identity_keys() {
  static const std::vector<std::string> none;
  Diagnostics ignored;  // a schema that does not load is reported wherever a Compiler is made
  const schema::AppleSchema* schema = schema::AppleSchema::embedded(ignored);
  return schema ? schema->identity_keys() : none;
}

bool is_identity(std::string_view key) {
  const auto& keys = identity_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::vector<KeyValue> identity_of(const Value& dict) {
  std::vector<KeyValue> out;
  for (const auto& key : identity_keys())
    if (const Value* v = dict.find(key)) out.push_back({key, v});
  return out;
}

std::string text_at(const Value& dict, std::string_view key) {
  const Value* v = dict.find(key);
  return v && v->is(Value::Kind::string) ? v->as_string() : std::string();
}

}  // namespace

bool PayloadView::names_it(const KeyValue& k) const { return k.key == kType || k.key == kDisplayName; }

ProfileView view_profile(const Value& profile) {
  ProfileView view;
  if (!profile.is(Value::Kind::dict)) return view;
  view.identity = identity_of(profile);
  const Value* content = profile.find(kContent);
  if (content == nullptr || !content->is(Value::Kind::array)) return view;
  for (const auto& p : content->as_array()) {
    if (!p.is(Value::Kind::dict)) continue;
    PayloadView& payload = view.payloads.emplace_back();
    payload.dict = &p;
    payload.type = text_at(p, kType);
    payload.display_name = text_at(p, kDisplayName);
    payload.identity = identity_of(p);
    for (const auto& m : p.as_dict())
      if (!is_identity(m.key)) payload.settings.push_back({m.key, &m.value});
  }
  return view;
}

}  // namespace mcc
