// SPDX-License-Identifier: Apache-2.0
#pragma once
// A small JSON Schema validator for the subset mappings/schema.json uses: type, enum, const,
// required, properties, additionalProperties, propertyNames, items, minItems, minLength,
// pattern, $ref (to "#/..." in the same document), allOf, anyOf, oneOf, not, if/then/else.
// A keyword outside that subset is reported as a problem, so the schema cannot quietly use
// one this validator ignores.

#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace mcc::test {

class JsonSchema {
 public:
  explicit JsonSchema(nlohmann::json root) : root_(std::move(root)) {}

  /// Every problem with `doc`, one line each ("/rows/3: ..."); empty when it is valid.
  [[nodiscard]] std::vector<std::string> problems(const nlohmann::json& doc) const {
    std::vector<std::string> out;
    check(root_, doc, "", out, 0);
    return out;
  }

 private:
  using json = nlohmann::json;

  static bool has_type(const json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    return false;
  }

  [[nodiscard]] const json* resolve(const std::string& ref) const {
    if (ref.rfind("#/", 0) != 0) return nullptr;
    try {
      return &root_.at(json::json_pointer(ref.substr(1)));
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  [[nodiscard]] bool valid(const json& schema, const json& v, int depth) const {
    std::vector<std::string> ignored;
    check(schema, v, "", ignored, depth);
    return ignored.empty();
  }

  void check(const json& schema, const json& v, const std::string& at, std::vector<std::string>& out, int depth) const {
    static const std::set<std::string> known = {
        "$schema", "$id", "title", "description", "$defs", "type", "enum", "const", "required", "properties",
        "additionalProperties", "propertyNames", "items", "minItems", "minLength", "pattern", "$ref", "allOf",
        "anyOf", "oneOf", "not", "if", "then", "else"};
    auto fail = [&](const std::string& why) { out.push_back((at.empty() ? "/" : at) + ": " + why); };
    if (depth > 64) return fail("schema nests too deeply");
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) fail("no value is allowed here");
      return;
    }
    if (!schema.is_object()) return fail("a schema must be an object");
    for (const auto& [k, e] : schema.items())
      if (!known.count(k)) fail("schema keyword '" + k + "' is not supported");
    if (auto it = schema.find("$ref"); it != schema.end()) {
      const json* target = resolve(it->get<std::string>());
      if (target == nullptr) return fail("unresolved $ref " + it->dump());
      check(*target, v, at, out, depth + 1);
    }
    if (auto it = schema.find("type"); it != schema.end()) {
      bool ok = false;
      if (it->is_array()) {
        for (const auto& t : *it) ok = ok || has_type(v, t.get<std::string>());
      } else {
        ok = has_type(v, it->get<std::string>());
      }
      if (!ok) return fail("must be of type " + it->dump() + ", not " + v.dump().substr(0, 60));
    }
    if (auto it = schema.find("enum"); it != schema.end())
      if (std::find(it->begin(), it->end(), v) == it->end()) fail(v.dump().substr(0, 60) + " is not one of " + it->dump());
    if (auto it = schema.find("const"); it != schema.end() && *it != v) fail("must be " + it->dump());
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      if (auto it = schema.find("minLength"); it != schema.end() && s.size() < it->get<std::size_t>())
        fail("shorter than " + it->dump());
      if (auto it = schema.find("pattern"); it != schema.end() && !std::regex_search(s, std::regex(it->get<std::string>())))
        fail(v.dump() + " does not match " + it->dump());
    }
    if (v.is_array()) {
      if (auto it = schema.find("minItems"); it != schema.end() && v.size() < it->get<std::size_t>())
        fail("fewer than " + it->dump() + " items");
      if (auto it = schema.find("items"); it != schema.end())
        for (std::size_t i = 0; i < v.size(); ++i) check(*it, v[i], at + "/" + std::to_string(i), out, depth + 1);
    }
    if (v.is_object()) {
      if (auto it = schema.find("required"); it != schema.end())
        for (const auto& name : *it)
          if (!v.contains(name.get<std::string>())) fail("'" + name.get<std::string>() + "' is required");
      const json* props = schema.contains("properties") ? &schema["properties"] : nullptr;
      for (const auto& [k, e] : v.items()) {
        const std::string here = at + "/" + k;
        if (props && props->contains(k)) {
          check((*props)[k], e, here, out, depth + 1);
        } else if (auto add = schema.find("additionalProperties"); add != schema.end()) {
          if (add->is_boolean() && !add->get<bool>()) out.push_back(here + ": '" + k + "' is not allowed");
          else check(*add, e, here, out, depth + 1);
        }
        if (auto names = schema.find("propertyNames"); names != schema.end()) check(*names, json(k), here, out, depth + 1);
      }
    }
    if (auto it = schema.find("allOf"); it != schema.end())
      for (const auto& s : *it) check(s, v, at, out, depth + 1);
    if (auto it = schema.find("anyOf"); it != schema.end()) {
      bool any = false;
      for (const auto& s : *it) any = any || valid(s, v, depth + 1);
      if (!any) fail("matches none of anyOf");
    }
    if (auto it = schema.find("oneOf"); it != schema.end()) {
      int n = 0;
      for (const auto& s : *it) n += valid(s, v, depth + 1) ? 1 : 0;
      if (n != 1) fail("matches " + std::to_string(n) + " of oneOf, not exactly one");
    }
    if (auto it = schema.find("not"); it != schema.end() && valid(*it, v, depth + 1)) fail("matches what 'not' forbids");
    if (auto it = schema.find("if"); it != schema.end()) {
      if (valid(*it, v, depth + 1)) {
        if (auto then = schema.find("then"); then != schema.end()) check(*then, v, at, out, depth + 1);
      } else if (auto otherwise = schema.find("else"); otherwise != schema.end()) {
        check(*otherwise, v, at, out, depth + 1);
      }
    }
  }

  json root_;
};

}  // namespace mcc::test
