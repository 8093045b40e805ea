// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cstdlib>

#include "base/carriable.hpp"
#include "base/messages.hpp"
#include "mobileconfigc/plist.hpp"
#include "plist/plist_handle.hpp"

namespace mcc {
namespace {

plist_t build(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::boolean: return plist_new_bool(v.as_bool() ? 1 : 0);
    // libplist 2.2 stores every integer as PLIST_UINT; negative values keep their 64-bit pattern.
    case Value::Kind::integer: return plist_new_uint(static_cast<std::uint64_t>(v.as_int()));
    case Value::Kind::real: return plist_new_real(v.as_real());
    case Value::Kind::string: return plist_new_string(v.as_string().c_str());
    case Value::Kind::data: {
      const auto& b = v.as_data().bytes;
      return plist_new_data(reinterpret_cast<const char*>(b.data()), b.size());
    }
    case Value::Kind::date: {
      double s = v.as_date().seconds;
      // libplist 2.2 keeps whole seconds in an int32; clamp (and map NaN) instead of overflowing.
      if (!(s >= -2147483648.0)) s = -2147483648.0;
      if (s > 2147483647.0) s = 2147483647.0;
      auto sec = static_cast<std::int32_t>(s);
      return plist_new_date(sec, static_cast<std::int32_t>((s - sec) * 1e6));
    }
    case Value::Kind::array: {
      plist_t a = plist_new_array();
      for (const auto& e : v.as_array()) plist_array_append_item(a, build(e));
      return a;
    }
    case Value::Kind::dict: {
      // Sorted keys make the bytes independent of the order rows were written in.
      std::vector<const Member*> members;
      for (const auto& m : v.as_dict()) members.push_back(&m);
      std::sort(members.begin(), members.end(), [](const Member* a, const Member* b) { return a->key < b->key; });
      plist_t d = plist_new_dict();
      for (const Member* m : members) plist_dict_set_item(d, m->key.c_str(), build(m->value));
      return d;
    }
  }
  return plist_new_string("");
}

std::string to_bytes(const Value& root, PlistFormat format) {
  plist::Node node(build(root));
  char* out = nullptr;
  uint32_t length = 0;
  if (format == PlistFormat::xml) {
    plist_to_xml(node.get(), &out, &length);
  } else {
    plist_to_bin(node.get(), &out, &length);
  }
  std::string bytes(out ? out : "", out ? length : 0);
  std::free(out);
  return bytes;
}

}  // namespace

std::optional<std::string> serialize_plist(const Value& root, PlistFormat format, const std::string& file,
                                           Diagnostics& diags) {
  // libplist would write such text as it is (and a NUL would end the string there).
  auto bad = find_uncarriable_text(root, 1);
  if (!bad.empty()) {
    diags.add(msg::uncarriable_value({file, ""}, bad.front().subject(), bad.front().what));
    return std::nullopt;
  }
  return to_bytes(root, format);
}

std::string serialize_plist(const Value& root, PlistFormat format) {
  if (!find_uncarriable_text(root, 1).empty()) return {};
  return to_bytes(root, format);
}

}  // namespace mcc
