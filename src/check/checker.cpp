// SPDX-License-Identifier: Apache-2.0
#include "check/checker.hpp"

#include <limits>

#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "base/strings.hpp"

namespace mcc::check {
namespace {

using nlohmann::json;
constexpr std::size_t kMaxStringBytes = 1u << 20;

std::string kind_of(const json& j, bool show_value = true) {
  if (!show_value) {
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
  }
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "the string " + msg::quote(j.get_ref<const std::string&>());
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "the number " + msg::shown(j);
  }
}

bool is_annotation(std::string_view key) {
  return key.find('@') != std::string_view::npos || (!key.empty() && key.front() == '#');
}

class Checker {
 public:
  Checker(const GraphSchema& schema, const std::string& file, Diagnostics& diags)
      : schema_(schema), file_(file), diags_(diags) {}

  void structured(const json& obj, std::string_view type, const std::string& ptr, bool top = false) {
    const std::vector<const GraphType*> types = schema_.chain(type);
    for (const auto& [key, value] : obj.items()) {
      std::string where = pointer_join(ptr, key);
      if (key == "@odata.type") {
        if (top || !value.is_string()) continue;
        std::string declared = short_type_name(value.get<std::string>());
        if (!schema_.derives_from(declared, type)) diags_.add(msg::type_mismatch({file_, where}, declared, type));
        continue;
      }
      if (is_annotation(key)) continue;
      const GraphProperty* prop = GraphSchema::property(types, key);
      if (prop == nullptr) {
        diags_.add(msg::unknown_property({file_, where}, type));
        continue;
      }
      property(*prop, value, where);
    }
  }

 private:
  void property(const GraphProperty& prop, const json& value, const std::string& where) {
    if (prop.navigation) return;  // expanded navigation targets are resolved by the link stage
    if (value.is_null()) {
      if (!prop.nullable && !prop.collection) diags_.add(msg::null_not_allowed({file_, where}, prop.type));
      return;
    }
    if (!prop.collection) {
      element(prop, value, where);
      return;
    }
    if (!value.is_array()) {
      diags_.add(msg::wrong_json_type({file_, where}, "an array of " + prop.type, kind_of(value)));
      return;
    }
    if (prop.max_items && value.size() > *prop.max_items) {
      diags_.add(msg::too_many_items({file_, where}, value.size(), *prop.max_items));
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const json& e = value[i];
      std::string at = pointer_join(where, i);
      if (e.is_null()) {
        if (!prop.nullable) diags_.add(msg::null_not_allowed({file_, at}, prop.type));
        continue;
      }
      element(prop, e, at);
    }
  }

  void element(const GraphProperty& prop, const json& v, const std::string& where) {
    const std::string& t = prop.type;
    if (t == "Edm.String" || t == "Edm.Binary" || t == "Edm.DateTimeOffset" || t == "Edm.Guid") {
      // Not echoed: a string property may be a secret given as a number (a numeric shared secret).
      if (!v.is_string()) return diags_.add(msg::wrong_json_type({file_, where}, "a string", kind_of(v, false)));
      const auto& s = v.get_ref<const std::string&>();
      if (s.size() > kMaxStringBytes) return diags_.add(msg::string_too_long({file_, where}, s.size(), kMaxStringBytes));
      for (unsigned char c : s)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return diags_.add(msg::control_character({file_, where}));
      return;
    }
    if (t == "Edm.Boolean") {
      if (!v.is_boolean()) wrong(where, "true or false", v);
      return;
    }
    if (t == "Edm.Int32" || t == "Edm.Int64") {
      if (!v.is_number_integer()) return wrong(where, "an integer", v);
      bool is_unsigned = v.is_number_unsigned();
      std::int64_t lo = t == "Edm.Int32" ? std::numeric_limits<std::int32_t>::min() : std::numeric_limits<std::int64_t>::min();
      std::int64_t hi = t == "Edm.Int32" ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int64_t>::max();
      if (prop.range) std::tie(lo, hi) = *prop.range;
      bool too_big = is_unsigned && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      std::int64_t n = too_big ? 0 : v.get<std::int64_t>();
      if (too_big || n < lo || n > hi)
        diags_.add(msg::out_of_graph_range({file_, where}, v.dump(), std::to_string(lo) + " to " + std::to_string(hi)));
      return;
    }
    const GraphType* type = schema_.find(t);
    if (type == nullptr) return;  // a type outside the extract (navigation targets); nothing to check
    if (type->kind == "enum") return enumeration(*type, v, where);
    if (!v.is_object()) return wrong(where, "an object (" + t + ")", v);
    structured(v, t, where);
  }

  void enumeration(const GraphType& type, const json& v, const std::string& where) {
    if (!v.is_string()) return wrong(where, "a " + type.name + " member name", v);
    const auto& s = v.get_ref<const std::string&>();
    auto known = [&](std::string_view m) {
      for (const auto& member : type.members)
        if (member == m) return true;
      return false;
    };
    std::vector<std::string> parts = type.flags ? split_flags(s) : std::vector<std::string>{s};
    for (const auto& part : parts)
      if (!known(part))
        return diags_.add(msg::unknown_enum_member({file_, where}, s, join(type.members)));
  }

  void wrong(const std::string& where, std::string_view expected, const json& got) {
    diags_.add(msg::wrong_json_type({file_, where}, expected, kind_of(got)));
  }

  const GraphSchema& schema_;
  const std::string& file_;
  Diagnostics& diags_;
};

}  // namespace

void check_object(const GraphSchema& schema, const read::GraphObject& object, Diagnostics& diags) {
  Checker(schema, object.file, diags).structured(object.json, object.type, object.pointer, true);
}

}  // namespace mcc::check
