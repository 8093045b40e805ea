// SPDX-License-Identifier: Apache-2.0
#include "schema/key_spec_reader.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>

#include "base/fast_json.hpp"

namespace mcc::schema {
namespace {

using nlohmann::json;

// The members of a spec that are not specs themselves ("keys" and "items" are); one it does
// not know is passed over. A member of the wrong JSON type throws as a lookup's get() would.
void read_field(KeySpec& s, std::string_view key, const json& v, bool& typed) {
  if (key == "type") {
    typed = true;
    if (v.is_array()) {  // a key Apple gives several types (overlay)
      for (const auto& alt : v) s.type += (s.type.empty() ? "" : " or ") + alt.get<std::string>();
    } else {
      s.type = v.get<std::string>();
    }
  } else if (key == "reason") {
    s.reason = v.get<std::string>();
  } else if (key == "override") {
    s.override = v.get<bool>();
  } else if (key == "missingAccepted") {
    s.missing_accepted = v.get<std::string>();
  } else if (key == "required") {
    s.required = v.get<bool>();
  } else if (key == "values") {
    s.values = v.get<std::vector<json>>();
  } else if (key == "range") {
    if (v.contains("min")) s.min = v["min"].get<std::int64_t>();
    if (v.contains("max")) s.max = v["max"].get<std::int64_t>();
  } else if (key == "default") {
    s.default_value = v;
  } else if (key == "platforms") {
    s.platforms = v.get<std::map<std::string, std::string, std::less<>>>();
  } else if (key == "anyKeys") {
    s.any_keys = v.get<bool>();
  }
}

// The fields nearly every spec has, read from their text when it is a plain string or a
// boolean, as read_field reads them from a DOM; false for any other field or text, which
// then goes through the DOM (and throws there as it does for a value of the wrong type).
bool read_plain_field(KeySpec& s, std::string_view key, std::string_view text, bool& typed) {
  if (key == "type" || key == "reason" || key == "missingAccepted") {
    auto plain = json_plain_string(text);
    if (!plain) return false;
    (key == "type" ? s.type : key == "reason" ? s.reason : s.missing_accepted) = *plain;
    typed = typed || key == "type";
    return true;
  }
  if (key == "required" || key == "override" || key == "anyKeys" || key == "default") {
    if (text != "true" && text != "false") return false;
    const bool value = text == "true";
    if (key == "default") s.default_value = value;
    else (key == "required" ? s.required : key == "override" ? s.override : s.any_keys) = value;
    return true;
  }
  return false;
}

void finish(KeySpec& s, bool typed, const std::vector<std::string>& secrets, std::string_view name) {
  if (!typed) s.type = "any";
  s.secret = std::find(secrets.begin(), secrets.end(), name) != secrets.end();
}

// From a parsed document (the common and top-level keys, from_json, and a payload's text that
// the one-pass reading below is unsure of): one pass over the spec's members rather than a
// lookup for each field.
KeySpec spec_from_json(const json& j, const std::vector<std::string>& secrets, const std::string& name) {
  KeySpec s;
  if (!j.is_object()) s.type = j.value("type", "any");  // throws, as for any spec that is not an object
  bool typed = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    if (key == "items") {
      s.items = std::make_shared<KeySpec>(spec_from_json(it.value(), secrets, name));
    } else if (key == "keys") {
      for (const auto& [k, sub] : it.value().items()) s.keys.emplace(k, spec_from_json(sub, secrets, k));
    } else {
      read_field(s, key, it.value(), typed);
    }
  }
  finish(s, typed, secrets, name);
  return s;
}

// A spec's "platforms", {"ios": "8.0", "macos": "n/a"}, from the cursor; false when a
// value is not a plain string (the DOM then says what it is).
bool read_platforms(JsonCursor& c, std::map<std::string, std::string, std::less<>>& out) {
  if (!c.enter_object()) return false;
  while (auto k = c.next_key()) {
    auto text = c.skip_value();
    auto version = text ? json_plain_string(*text) : std::nullopt;
    if (!version) return false;
    out.insert_or_assign(std::string(*k), std::string(*version));  // a name given twice: the last, as in JSON
  }
  return !c.failed();
}

// The specs that are the members of the object the cursor is at, each read as spec_from_json
// reads it, into `keys`: false when this reading is unsure.
bool read_keys(JsonCursor& c, std::map<std::string, KeySpec, std::less<>>& keys,
               const std::vector<std::string>& secrets);

bool read_spec(JsonCursor& c, KeySpec& s, const std::vector<std::string>& secrets, std::string_view name) {
  if (!c.enter_object()) return false;
  bool typed = false;
  // The members read so far: one given twice (the last counts in JSON) is left to the DOM, and
  // so is a spec of more members than any has (a dozen fields at most).
  std::array<std::string_view, 16> seen;
  std::size_t count = 0;
  while (auto key = c.next_key()) {
    if (count == seen.size() || std::find(seen.begin(), seen.begin() + count, *key) != seen.begin() + count)
      return false;
    seen[count++] = *key;
    if (*key == "items") {
      auto items = std::make_shared<KeySpec>();
      if (!read_spec(c, *items, secrets, name)) return false;
      s.items = std::move(items);
    } else if (*key == "keys") {
      if (!read_keys(c, s.keys, secrets)) return false;
    } else if (*key == "platforms" && c.peek() == '{') {
      if (!read_platforms(c, s.platforms)) return false;
    } else {
      auto text = c.skip_value();
      if (!text) return false;
      if (read_plain_field(s, *key, *text, typed)) continue;
      auto value = json_leaf(*text);  // checked even when not a field: the document must be JSON
      if (!value) return false;
      if (*key == "values" && value->is_array()) {
        s.values = std::move(value->get_ref<json::array_t&>());  // as read_field reads it, without a copy
        continue;
      }
      read_field(s, *key, *value, typed);
    }
  }
  if (c.failed()) return false;
  finish(s, typed, secrets, name);
  return true;
}

bool read_keys(JsonCursor& c, std::map<std::string, KeySpec, std::less<>>& keys,
               const std::vector<std::string>& secrets) {
  if (!c.enter_object()) return false;
  while (auto k = c.next_key()) {
    KeySpec sub;
    if (!read_spec(c, sub, secrets, *k)) return false;
    keys.insert_or_assign(std::string(*k), std::move(sub));  // a name given twice: the last, as in JSON
  }
  return !c.failed();
}

}  // namespace

PayloadSpec payload_spec_from_json(const json& j, const std::vector<std::string>& secrets) {
  PayloadSpec p;
  p.root.type = "dictionary";
  if (j.contains("platforms")) p.root.platforms = j["platforms"].get<std::map<std::string, std::string, std::less<>>>();
  if (auto keys = j.find("keys"); keys != j.end())  // no copy of the (large) key tree
    for (const auto& [k, v] : keys->items()) p.root.keys.emplace(k, spec_from_json(v, secrets, k));
  return p;
}

std::optional<KeySpec> payload_root_from_text(std::string_view text, const std::vector<std::string>& secrets) {
  KeySpec root;
  root.type = "dictionary";
  JsonCursor c(text);
  if (!c.enter_object()) return std::nullopt;
  bool platforms = false, keys = false;
  while (auto key = c.next_key()) {
    if (*key == "keys") {
      if (keys) return std::nullopt;
      keys = true;
      if (!read_keys(c, root.keys, secrets)) return std::nullopt;
      continue;
    }
    if (*key == "platforms") {
      if (platforms) return std::nullopt;
      platforms = true;
      if (!read_platforms(c, root.platforms)) return std::nullopt;
      continue;
    }
    auto text_of_value = c.skip_value();
    if (!text_of_value || !fast_json_parse(*text_of_value)) return std::nullopt;  // not JSON: the parse says so
  }
  if (!c.done()) return std::nullopt;
  return root;
}

}  // namespace mcc::schema
