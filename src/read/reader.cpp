#include "read/reader.hpp"

#include <set>

#include "core/fast_json.hpp"
#include "core/messages.hpp"
#include "core/pointer.hpp"
#include "read/encoding.hpp"

namespace mcc::read {
namespace {

using nlohmann::json;

// Bracket depth outside strings, computed before parsing so hostile nesting
// never reaches the recursive parts of the JSON library.
int max_nesting(std::string_view text) {
  int depth = 0, deepest = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {  // skip the string, and the character after each backslash in it
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

const char* json_kind(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

struct Collector {
  const std::string& file;
  const std::optional<std::string>& forced_type;
  Diagnostics& diags;
  std::vector<GraphObject> out;

  void object(json&& j, const std::string& pointer) {
    if (!j.is_object()) {
      diags.add(msg::no_graph_object({file, pointer}, json_kind(j)));
      return;
    }
    std::string type;
    if (auto it = j.find("@odata.type"); it != j.end()) {
      if (!it->is_string()) {
        diags.add(msg::wrong_json_type({file, pointer_join(pointer, "@odata.type")}, "a string", json_kind(*it)));
        return;
      }
      type = short_type_name(it->get<std::string>());
    } else if (forced_type) {
      type = short_type_name(*forced_type);
    } else {
      diags.add(msg::missing_type({file, pointer}));
      return;
    }
    out.push_back(GraphObject{file, pointer, std::move(type), std::move(j)});
  }

  void top(json&& j) {
    if (j.is_array()) {
      if (j.empty()) diags.add(msg::no_graph_object({file, ""}, "an empty array"));
      for (std::size_t i = 0; i < j.size(); ++i) object(std::move(j[i]), pointer_join("", i));
      return;
    }
    if (j.is_object() && !j.contains("@odata.type") && j.contains("value")) {
      json& v = j["value"];
      if (v.is_array()) {
        if (v.empty()) diags.add(msg::no_graph_object({file, "/value"}, "an empty array"));
        for (std::size_t i = 0; i < v.size(); ++i) object(std::move(v[i]), pointer_join("/value", i));
      } else {
        object(std::move(v), "/value");
      }
      return;
    }
    object(std::move(j), "");
  }
};

// nlohmann's parse, with duplicate keys found by its callbacks; false after a diagnostic.
bool parse_checked(const std::string& file, std::string_view text, json& j, Diagnostics& diags) {
  std::vector<std::set<std::string>> keys_at_depth;
  std::optional<std::string> duplicate;
  auto on_event = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys_at_depth.emplace_back();
    else if (event == json::parse_event_t::object_end) keys_at_depth.pop_back();
    else if (event == json::parse_event_t::key && !keys_at_depth.empty() && !duplicate &&
             !keys_at_depth.back().insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  try {
    j = json::parse(text, on_event);
  } catch (const json::exception& e) {
    // The library's message starts with "[json.exception.parse_error.101] parse error at ...".
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    // "; last read: '...'" and "number overflow parsing '...'" quote the input, which may be
    // a shared secret or password.
    if (auto last = what.find("; last read: "); last != std::string::npos) {
      auto expected = what.rfind("; expected ");
      what = what.substr(0, last) + (expected != std::string::npos && expected > last ? what.substr(expected) : "");
    }
    // "number overflow parsing '<the number>'" quotes all of it (100,000 digits, or a numeric secret).
    constexpr std::string_view kOverflow = "number overflow parsing '";
    if (what.rfind(kOverflow, 0) == 0 && what.size() > kOverflow.size())
      what = "number overflow: a number of " + std::to_string(what.size() - kOverflow.size() - 1) +
             " characters does not fit a double";
    else if (auto quoted = what.find(" parsing '"); quoted != std::string::npos)
      what.resize(quoted);  // never quote the input: it may be a secret
    diags.add(msg::bad_json(file, what));
    return false;
  }
  if (duplicate) {
    diags.add(msg::duplicate_key(file, *duplicate));
    return false;
  }
  return true;
}

}  // namespace

std::string short_type_name(std::string_view t) {
  if (!t.empty() && t.front() == '#') t.remove_prefix(1);
  for (std::string_view prefix : {"microsoft.graph.", "graph."})
    if (t.substr(0, prefix.size()) == prefix) t.remove_prefix(prefix.size());
  return std::string(t);
}

std::vector<GraphObject> read_graph_objects(const std::string& file, std::string_view bytes,
                                            const std::optional<std::string>& forced_type,
                                            Diagnostics& diags, const ReadLimits& limits,
                                            const std::string& base_pointer) {
  if (bytes.size() > limits.max_bytes) {
    diags.add(msg::too_large(file, std::to_string(bytes.size()) + " bytes; at most " +
                                       std::to_string(limits.max_bytes) + " are accepted"));
    return {};
  }
  std::string decoded, error;
  auto text = to_utf8(bytes, decoded, error);
  if (!text) {
    diags.add(msg::bad_encoding(file, error));
    return {};
  }
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    diags.add(msg::bad_json(file, "the file is empty"));
    return {};
  }
  if (int depth = max_nesting(*text); depth > limits.max_depth) {
    diags.add(msg::too_large(file, "nesting " + std::to_string(depth) + " levels deep; at most " +
                                       std::to_string(limits.max_depth) + " are accepted"));
    return {};
  }

  // Duplicate keys are ambiguous (which one did Intune mean?), so they are errors. The fast
  // reader accepts only what nlohmann accepts, builds the same value and gives up on any
  // repeated key; then (or on any error) nlohmann's own parse finds the diagnostic.
  json j;
  if (auto fast = fast_json_parse(*text, /*reject_duplicate_keys=*/true)) j = std::move(*fast);
  else if (!parse_checked(file, *text, j, diags)) return {};
  Collector c{file, forced_type, diags, {}};
  c.top(std::move(j));
  if (!base_pointer.empty())
    for (auto& o : c.out) o.pointer = base_pointer + o.pointer;
  return std::move(c.out);
}

}  // namespace mcc::read
