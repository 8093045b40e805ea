// SPDX-License-Identifier: Apache-2.0
#include "mobileconfigc/value.hpp"

#include <algorithm>

#include "base/messages.hpp"

namespace mcc {

const Value* Value::find(std::string_view key) const {
  if (!is(Kind::dict)) return nullptr;
  for (const auto& m : as_dict())
    if (m.key == key) return &m.value;
  return nullptr;
}

Value* Value::find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->find(key));
}

void Value::set(std::string_view key, Value v) {
  if (Value* existing = find(key)) {
    *existing = std::move(v);
    return;
  }
  as_dict().push_back(Member{std::string(key), std::move(v)});
}

bool Value::erase(std::string_view key) {
  auto& d = as_dict();
  auto it = std::find_if(d.begin(), d.end(), [&](const Member& m) { return m.key == key; });
  if (it == d.end()) return false;
  d.erase(it);
  return true;
}

bool Value::operator==(const Value& other) const { return v_ == other.v_; }

std::optional<double> Value::device_number() const {
  switch (kind()) {
    case Kind::boolean: return as_bool() ? 1 : 0;
    case Kind::integer: return static_cast<double>(as_int());
    case Kind::real: return as_real();
    default: return std::nullopt;
  }
}

std::string describe(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::boolean: return v.as_bool() ? "true" : "false";
    case Value::Kind::integer: return std::to_string(v.as_int());
    case Value::Kind::real: return std::to_string(v.as_real());
    case Value::Kind::string: return msg::quote(v.as_string());
    case Value::Kind::data: return "<data " + std::to_string(v.as_data().bytes.size()) + " bytes>";
    case Value::Kind::date: return "<date>";
    case Value::Kind::array: return "<array of " + std::to_string(v.as_array().size()) + ">";
    case Value::Kind::dict: return "<dictionary>";
  }
  return "?";
}

}  // namespace mcc
