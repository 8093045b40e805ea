// SPDX-License-Identifier: Apache-2.0
#include "base/key_path.hpp"

#include <string>

namespace mcc {
namespace {

constexpr std::size_t kAppend = static_cast<std::size_t>(-1);  // "Key[+]": a new element at the end

// Table paths are checked when tables load (valid_key_path); this only guards the rest.
std::size_t parse_index(std::string_view inside) {
  if (inside == "+" || inside.empty() || inside.size() > 4 || inside.find_first_not_of("0123456789") != std::string_view::npos)
    return kAppend;
  std::size_t n = 0;
  for (char c : inside) n = n * 10 + static_cast<std::size_t>(c - '0');
  return n;
}

struct Segment {
  std::string_view key;
  std::optional<std::size_t> index;  // "Key[2]"
};

// Removes the first segment ("Key" or "Key[N]", up to the next '.') from `path` and returns it.
Segment pop_segment(std::string_view& path) {
  auto dot = path.find('.');
  std::string_view part = path.substr(0, dot);
  path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  Segment s{part, std::nullopt};
  if (auto br = part.find('['); br != std::string_view::npos) {
    s.key = part.substr(0, br);
    s.index = parse_index(part.substr(br + 1, part.find(']') - br - 1));
  }
  return s;
}

}  // namespace

bool valid_key_path(std::string_view path, std::string& why) {
  if (path.empty()) {
    why = "empty key path";
    return false;
  }
  while (true) {
    auto dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    auto br = part.find('[');
    std::string_view key = part.substr(0, br);
    if (key.empty() || key.find(']') != std::string_view::npos) {
      why = "key path '" + std::string(path) + "' has an empty or malformed key";
      return false;
    }
    if (br != std::string_view::npos) {
      std::string_view inside = part.substr(br + 1);
      if (inside.empty() || inside.back() != ']') {
        why = "key path index must be written [N] or [+]";
        return false;
      }
      inside.remove_suffix(1);
      bool digits = !inside.empty() && inside.find_first_not_of("0123456789") == std::string_view::npos;
      if (inside != "+" && !(digits && inside.size() <= 3)) {
        why = "key path index must be [+] or a number below 1000, not [" + std::string(inside) + "]";
        return false;
      }
    }
    if (dot == std::string_view::npos) return true;
    path.remove_prefix(dot + 1);
  }
}

const Value* find_path(const Value& root, std::string_view path) {
  const Value* cur = &root;
  while (!path.empty()) {
    Segment s = pop_segment(path);
    cur = cur->find(s.key);
    if (cur == nullptr) return nullptr;
    if (s.index) {
      if (!cur->is(Value::Kind::array) || *s.index >= cur->as_array().size()) return nullptr;
      cur = &cur->as_array()[*s.index];
    }
  }
  return cur;
}

void set_path(Value& root, std::string_view path, Value v) {
  Value* cur = &root;
  while (!path.empty()) {
    Segment s = pop_segment(path);
    bool last = path.empty();
    if (!cur->is(Value::Kind::dict)) *cur = Value(Dict{});
    if (!s.index && last) {
      cur->set(s.key, std::move(v));
      return;
    }
    Value* next = cur->find(s.key);
    if (next == nullptr) {
      cur->as_dict().push_back(Member{std::string(s.key), s.index ? Value(Array{}) : Value(Dict{})});
      next = &cur->as_dict().back().value;
    }
    if (s.index) {
      if (!next->is(Value::Kind::array)) *next = Value(Array{});
      auto& arr = next->as_array();
      if (*s.index == kAppend) {
        arr.emplace_back(Dict{});
        next = &arr.back();
      } else {
        while (arr.size() <= *s.index) arr.emplace_back(Dict{});
        next = &arr[*s.index];
      }
      if (last) {
        *next = std::move(v);
        return;
      }
    }
    cur = next;
  }
}

void erase_path(Value& root, std::string_view path) {
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos) {
    if (root.is(Value::Kind::dict)) root.erase(path);
    return;
  }
  if (auto* parent = const_cast<Value*>(find_path(root, path.substr(0, dot))); parent && parent->is(Value::Kind::dict))
    parent->erase(path.substr(dot + 1));
}

}  // namespace mcc
