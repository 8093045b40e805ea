// SPDX-License-Identifier: Apache-2.0
#include "check/checker.hpp"

#include <algorithm>
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
  Checker(const GraphSchema& schema, const std::string& file, const std::string& pointer, Diagnostics& diags)
      : schema_(schema), file_(file), base_(pointer), diags_(diags) {
    path_.reserve(16);
  }

  // Checks an object of `type` at path_.
  void structured(const json& obj, std::string_view type, bool top = false) {
    // The members come in name order (a std::map), as the properties do: each is looked up
    // past the one before it.
    const auto& props = schema_.properties_by_name(type);
    auto next = props.begin();
    for (const auto& [key, value] : obj.items()) {
      Step at(path_, key);
      if (is_annotation(key)) {
        if (top || key != std::string_view("@odata.type") || !value.is_string()) continue;
        std::string declared = short_type_name(value.get<std::string>());
        if (!schema_.derives_from(declared, type)) diags_.add(msg::type_mismatch(where(), declared, type));
        continue;
      }
      next = std::lower_bound(next, props.end(), key, [](const GraphProperty* p, const std::string& k) { return p->name < k; });
      if (next == props.end() || (*next)->name != key) {
        diags_.add(msg::unknown_property(where(), type));
        continue;
      }
      property(**next, value);
    }
  }

 private:
  // A member name or an array index of the path from the object to what is being checked.
  struct Token {
    const std::string* key;  // null: `index`
    std::size_t index;
  };
  // Puts a token on the path for as long as it lives. The pointer is spelled only for a
  // diagnostic (where()).
  class Step {
   public:
    Step(std::vector<Token>& path, const std::string& key) : path_(path) { path.push_back({&key, 0}); }
    Step(std::vector<Token>& path, std::size_t index) : path_(path) { path.push_back({nullptr, index}); }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    ~Step() { path_.pop_back(); }

   private:
    std::vector<Token>& path_;
  };

  [[nodiscard]] msg::Where where() const {
    msg::Where w{file_, base_};
    for (const Token& t : path_) t.key ? pointer_append(w.pointer, *t.key) : pointer_append(w.pointer, t.index);
    return w;
  }

  void property(const GraphProperty& prop, const json& value) {
    if (prop.navigation) return;  // expanded navigation targets are resolved by the link stage
    if (value.is_null()) {
      if (!prop.nullable && !prop.collection) diags_.add(msg::null_not_allowed(where(), prop.type));
      return;
    }
    if (!prop.collection) {
      element(prop, value);
      return;
    }
    if (!value.is_array()) {
      diags_.add(msg::wrong_json_type(where(), "an array of " + prop.type, kind_of(value)));
      return;
    }
    if (prop.max_items && value.size() > *prop.max_items) {
      diags_.add(msg::too_many_items(where(), value.size(), *prop.max_items));
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const json& e = value[i];
      Step at(path_, i);
      if (e.is_null()) {
        if (!prop.nullable) diags_.add(msg::null_not_allowed(where(), prop.type));
        continue;
      }
      element(prop, e);
    }
  }

  void element(const GraphProperty& prop, const json& v) {
    using Kind = GraphProperty::Kind;
    switch (prop.kind) {
      case Kind::string: {
        // Not echoed: a string property may be a secret given as a number (a numeric shared secret).
        if (!v.is_string()) return diags_.add(msg::wrong_json_type(where(), "a string", kind_of(v, false)));
        const auto& s = v.get_ref<const std::string&>();
        if (s.size() > kMaxStringBytes) return diags_.add(msg::string_too_long(where(), s.size(), kMaxStringBytes));
        for (unsigned char c : s)
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return diags_.add(msg::control_character(where()));
        return;
      }
      case Kind::boolean:
        if (!v.is_boolean()) wrong("true or false", v);
        return;
      case Kind::int32:
      case Kind::int64: {
        if (!v.is_number_integer()) return wrong("an integer", v);
        bool is_unsigned = v.is_number_unsigned();
        bool int32 = prop.kind == Kind::int32;
        std::int64_t lo = int32 ? std::numeric_limits<std::int32_t>::min() : std::numeric_limits<std::int64_t>::min();
        std::int64_t hi = int32 ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int64_t>::max();
        if (prop.range) std::tie(lo, hi) = *prop.range;
        bool too_big = is_unsigned && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        std::int64_t n = too_big ? 0 : v.get<std::int64_t>();
        if (too_big || n < lo || n > hi)
          diags_.add(msg::out_of_graph_range(where(), v.dump(), std::to_string(lo) + " to " + std::to_string(hi)));
        return;
      }
      case Kind::other: break;
    }
    const std::string& t = prop.type;
    const GraphType* type = schema_.find(t);
    if (type == nullptr) return;  // a type outside the extract (navigation targets); nothing to check
    if (type->kind == "enum") return enumeration(*type, v);
    if (!v.is_object()) return wrong("an object (" + t + ")", v);
    structured(v, t);
  }

  void enumeration(const GraphType& type, const json& v) {
    if (!v.is_string()) return wrong("a " + type.name + " member name", v);
    const auto& s = v.get_ref<const std::string&>();
    auto known = [&](std::string_view m) {
      for (const auto& member : type.members)
        if (member == m) return true;
      return false;
    };
    std::vector<std::string> parts = type.flags ? split_flags(s) : std::vector<std::string>{s};
    for (const auto& part : parts)
      if (!known(part))
        return diags_.add(msg::unknown_enum_member(where(), s, join(type.members)));
  }

  void wrong(std::string_view expected, const json& got) {
    diags_.add(msg::wrong_json_type(where(), expected, kind_of(got)));
  }

  const GraphSchema& schema_;
  const std::string& file_;
  const std::string& base_;  // the object's JSON pointer
  std::vector<Token> path_;  // from the object to what is being checked
  Diagnostics& diags_;
};

}  // namespace

void check_object(const GraphSchema& schema, const read::GraphObject& object, Diagnostics& diags) {
  Checker(schema, object.file, object.pointer, diags).structured(object.json, object.type, true);
}

}  // namespace mcc::check
