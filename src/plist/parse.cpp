// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>

#include "base/carriable.hpp"
#include "base/messages.hpp"
#include "base/utf8.hpp"
#include "mobileconfigc/plist.hpp"
#include "plist/plist_handle.hpp"
#include "plist/preflight.hpp"

namespace mcc {
namespace {

using plist::kMaxDepth;

// The preflight has bounded the depth already; the check here keeps the recursion safe on its own.
std::optional<Value> convert(plist_t node, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  switch (plist_get_node_type(node)) {
    case PLIST_BOOLEAN: {
      uint8_t b = 0;
      plist_get_bool_val(node, &b);
      return Value(b != 0);
    }
    case PLIST_UINT: {
      uint64_t u = 0;
      plist_get_uint_val(node, &u);
      return Value(static_cast<std::int64_t>(u));
    }
    case PLIST_REAL: {
      double d = 0;
      plist_get_real_val(node, &d);
      return Value(d);
    }
    case PLIST_STRING:
    case PLIST_KEY: {
      char* s = nullptr;
      plist_get_string_val(node, &s);
      std::string out(s ? s : "");
      std::free(s);
      if (!utf8::valid(out)) return std::nullopt;  // binary plists can hold any bytes; we pass on only text
      return Value(std::move(out));
    }
    case PLIST_DATA: {
      char* d = nullptr;
      uint64_t len = 0;
      plist_get_data_val(node, &d, &len);
      Data data;
      data.bytes.assign(reinterpret_cast<std::uint8_t*>(d), reinterpret_cast<std::uint8_t*>(d) + (d ? len : 0));
      std::free(d);
      return Value(std::move(data));
    }
    case PLIST_DATE: {
      int32_t sec = 0, usec = 0;
      plist_get_date_val(node, &sec, &usec);
      return Value(Date{sec + usec / 1e6});
    }
    case PLIST_ARRAY: {
      Array a;
      uint32_t n = plist_array_get_size(node);
      for (uint32_t i = 0; i < n; ++i) {
        auto item = convert(plist_array_get_item(node, i), depth + 1);
        if (!item) return std::nullopt;
        a.push_back(std::move(*item));
      }
      return Value(std::move(a));
    }
    case PLIST_DICT: {
      Value d{Dict{}};
      plist_dict_iter it = nullptr;
      plist_dict_new_iter(node, &it);
      char* key = nullptr;
      plist_t val = nullptr;
      bool ok = true;
      while (it) {
        plist_dict_next_item(node, it, &key, &val);
        if (key == nullptr) break;
        auto item = utf8::valid(key) ? convert(val, depth + 1) : std::nullopt;
        if (!item) ok = false;
        else d.as_dict().push_back(Member{key, std::move(*item)});
        std::free(key);
        key = nullptr;
        if (!ok) break;
      }
      std::free(it);
      if (!ok) return std::nullopt;
      return d;
    }
    default: return std::nullopt;
  }
}

}  // namespace

bool looks_like_cms(std::string_view bytes) {
  // DER SEQUENCE holding the pkcs7-signedData OID 1.2.840.113549.1.7.2.
  static constexpr char oid[] = "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02";
  return !bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x30 &&
         bytes.substr(0, 32).find(std::string_view(oid, sizeof(oid) - 1)) != std::string_view::npos;
}

std::optional<Value> parse_plist(std::string_view bytes, const std::string& file, Diagnostics& diags) {
  auto fail = [&](const std::string& why) {
    diags.add(msg::not_a_plist(file, why));
    return std::nullopt;
  };
  if (bytes.empty()) return fail("the file is empty");
  if (bytes.size() > (64u << 20)) return fail("larger than 64 MiB");
  // libplist 2.2 is not safe on every input: the preflight bounds what it will build.
  if (auto checked = plist::preflight(bytes); checked.verdict != plist::Verdict::accepted) return fail(checked.reason);
  plist_t raw = nullptr;
  plist_from_memory(bytes.data(), static_cast<uint32_t>(bytes.size()), &raw);
  if (raw == nullptr) return fail("libplist could not parse it");
  plist::Node node(raw);
  auto v = convert(node.get(), 0);
  if (!v) return fail("unsupported node type, text that is not utf-8, or nesting deeper than 64 levels");
  // libplist reads control characters and U+FFFF in XML, which no XML parser on a device does.
  if (bytes.substr(0, 8) != "bplist00")
    if (auto bad = find_uncarriable_text(*v, 1); !bad.empty())
      return fail(bad.front().subject() + " holds " + bad.front().what + ", which xml cannot carry");
  return v;
}

}  // namespace mcc
