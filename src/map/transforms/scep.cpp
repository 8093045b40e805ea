// SPDX-License-Identifier: Apache-2.0
// Transforms of the SCEP payload: the server URL, the challenge, the subject alternative
// names and flag sets that become bit masks.

#include <algorithm>
#include <map>
#include <set>

#include "base/ascii.hpp"
#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "base/strings.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {
namespace {

// The "{{name}}" references in a short table text (a valueForms shape).
std::vector<std::string> variable_refs(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t pos = 0; (pos = text.find("{{", pos)) != std::string::npos;) {
    const auto end = text.find("}}", pos);
    if (end == std::string::npos) break;
    out.push_back(text.substr(pos, end + 2 - pos));
    pos = end + 2;
  }
  return out;
}

bool icontains(std::string_view text, std::string_view part) {
  for (std::size_t i = 0; i + part.size() <= text.size(); ++i)
    if (iequals(text.substr(i, part.size()), part)) return true;
  return false;
}

std::string parent_of(const std::string& pointer) {
  auto slash = pointer.rfind('/');
  return slash == std::string::npos ? std::string() : pointer.substr(0, slash);
}

}  // namespace

// ["https://a", "https://b"] → "https://a" (or the one --scep-url-index picks).
std::optional<Value> scep_server_url(Context& ctx) {
  if (!ctx.value.is_array() || ctx.value.empty()) return std::nullopt;
  std::vector<std::pair<std::size_t, std::string>> urls;
  for (std::size_t i = 0; i < ctx.value.size(); ++i)
    if (ctx.value[i].is_string() && !ctx.value[i].get_ref<const std::string&>().empty())
      urls.emplace_back(i, ctx.value[i].get<std::string>());
  if (urls.empty()) return std::nullopt;
  std::size_t pick = 0;
  bool chosen = ctx.input.scep_url_index.has_value();
  if (chosen) {
    pick = *ctx.input.scep_url_index;
    if (pick >= urls.size()) {
      ctx.diags.add(msg::scep_url_index_out_of_range({ctx.file, ctx.pointer}, pick, urls.size()));
      return std::nullopt;
    }
  }
  const auto& [index, url] = urls[pick];
  std::string at = pointer_join(ctx.pointer, index);
  for (const auto& name : ctx.args.texts("variables")) ctx.mapped.variable_places[name].push_back(ctx.target_path);
  // A URL whose host Intune fills in (Cloud PKI) next to URLs with a host of their own.
  auto host_is_variable = [](const std::string& u) {
    const auto scheme = u.find("://");
    return scheme != std::string::npos && u.compare(scheme + 3, 2, "{{") == 0;
  };
  const auto filled = std::count_if(urls.begin(), urls.end(), [&](const auto& p) { return host_is_variable(p.second); });
  if (filled > 0 && static_cast<std::size_t>(filled) < urls.size() && !ctx.args.text("mixedHosts").empty())
    ctx.diags.add(msg::mapping_note({ctx.file, ctx.pointer}, ctx.args.text("mixedHosts")));
  if (urls.size() > 1 && !chosen) ctx.diags.add(msg::several_scep_urls({ctx.file, at}, urls.size(), pick, url));
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    ctx.diags.add(msg::scep_url_not_http({ctx.file, at}, url));
  return Value(url);
}

// The challenge is not in Graph: it comes from the challenge option or the variable args.variable.
std::optional<Value> scep_challenge(Context& ctx) {
  const std::string& variable = ctx.args.text("variable");
  std::optional<std::string> challenge;
  challenge = ctx.input.scep_challenge;
  if (!challenge && !variable.empty() && ctx.input.variable) challenge = ctx.input.variable(variable);
  if (challenge && !challenge->empty()) return Value(*challenge);
  ctx.diags.add(msg::scep_challenge_missing({ctx.file, ctx.pointer}, variable));
  return std::nullopt;
}

// "keyEncipherment,digitalSignature" → 5, with args.bits naming each member's bit value.
std::optional<Value> flag_bits(Context& ctx) {
  if (!ctx.value.is_string()) return std::nullopt;
  const auto& bits = ctx.args.object("bits");
  std::int64_t mask = 0;
  for (const auto& flag : split_flags(ctx.value.get_ref<const std::string&>(), EmptyFlags::skip)) {
    auto it = bits.find(flag);
    if (it == bits.end() || !it->is_number_integer()) {
      ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, msg::quote(flag), ctx.target_path,
                                        ctx.args.text("unmapped")));
      return std::nullopt;
    }
    mask |= it->get<std::int64_t>();
  }
  if (mask == 0) return std::nullopt;
  return Value(mask);
}

// [{sanType, name}] (+ the legacy flag property) → {rfc822Name: ..., dNSName: [..., ...]}.
// args: typeField, nameField, keys (SAN type → Apple key, null: no Apple key),
// legacyProperty, legacyValues (SAN type → the value Intune uses for the legacy flag),
// single (Apple keys that take one string: the first value is kept, a warning names the rest),
// valueForms (Apple key → the form Intune writes a bare variable in), onlyIn (variable → the
// one Apple key Intune replaces it in), allValues (a lab issuance request: every key an array).
// Several values of one key become an array of strings, in input order; one stays a string.
std::optional<Value> subject_alt_names(Context& ctx) {
  const std::string& type_field = ctx.args.text("typeField");
  const std::string& name_field = ctx.args.text("nameField");
  const auto& keys = ctx.args.object("keys");
  const std::vector<std::string> single = ctx.args.texts("single");
  auto takes_one = [&](const std::string& key) { return std::find(single.begin(), single.end(), key) != single.end(); };
  const auto& forms = ctx.args.object("valueForms");
  const auto& only_in = ctx.args.object("onlyIn");
  const bool all_values = ctx.args.flag("allValues");  // every value, in order, as an array per key
  for (const auto& [name, key] : only_in.items())
    if (key.is_string()) ctx.mapped.variable_places[name].push_back(ctx.target_path + "." + key.get<std::string>());
  std::map<std::string, std::vector<std::string>> values;  // Apple key → its values, in input order
  std::map<std::string, std::string> first_at;             // Apple key → pointer of its first value
  auto add = [&](const std::string& san_type, const std::string& raw, const std::string& at) {
    auto k = keys.find(san_type);
    if (k == keys.end() || !k->is_string()) {
      ctx.diags.add(msg::san_type_without_key({ctx.file, at}, san_type, all_values));
      return;
    }
    std::string key = k->get<std::string>();
    std::string value = raw;
    // valueForms: a key whose value is a bare variable that Intune writes in a fixed form
    // (the strong-mapping SID URI); a value that mixes that variable with other text is kept.
    if (auto form = forms.find(key); form != forms.end() && form->is_string()) {
      const std::string& shape = form->get_ref<const std::string&>();
      const auto trimmed_b = raw.find_first_not_of(' '), trimmed_e = raw.find_last_not_of(' ');
      const std::string trimmed = trimmed_b == std::string::npos ? "" : raw.substr(trimmed_b, trimmed_e - trimmed_b + 1);
      for (const auto& r : variable_refs(shape)) {
        const bool bare = trimmed.size() == r.size() && iequals(trimmed, r);
        if (bare) value = shape;
        else if (icontains(raw, r) && !iequals(raw, shape))
          ctx.diags.add(msg::variable_not_supported({ctx.file, at}, r.substr(2, r.size() - 4),
                                                    "Microsoft documents this value as the bare variable, which Intune writes as " +
                                                        msg::quote(shape) + "; a value that adds other text is kept as given"));
      }
    }
    auto& list = values[key];
    if (std::find(list.begin(), list.end(), value) != list.end()) return;  // an exact duplicate says nothing new
    if (!list.empty() && takes_one(key) && !all_values) {
      ctx.diags.add(msg::second_san_of_type({ctx.file, at}, san_type, key, first_at[key]));
      return;
    }
    if (list.empty()) first_at[key] = at;
    list.push_back(value);
  };

  if (ctx.value.is_array()) {
    for (std::size_t i = 0; i < ctx.value.size(); ++i) {
      const auto& item = ctx.value[i];
      std::string at = pointer_join(ctx.pointer, i);
      if (!item.is_object() || !item.contains(type_field) || !item[type_field].is_string()) continue;  // the check stage reported it
      std::string value = item.contains(name_field) && item[name_field].is_string() ? item[name_field].get<std::string>() : "";
      std::string type = item[type_field].get<std::string>();
      if (type == "none") continue;
      if (value.empty()) {
        ctx.diags.add(msg::san_without_value({ctx.file, at}, type));
        continue;
      }
      add(type, value, at);
    }
  }

  const std::string& legacy = ctx.args.text("legacyProperty");
  if (auto it = ctx.object.find(legacy); !legacy.empty() && it != ctx.object.end() && it->is_string()) {
    std::string at = parent_of(ctx.pointer) + "/" + legacy;
    const auto& legacy_values = ctx.args.object("legacyValues");
    for (const auto& flag : split_flags(it->get_ref<const std::string&>(), EmptyFlags::skip)) {
      if (flag == "none") continue;
      auto v = legacy_values.find(flag);
      auto k = keys.find(flag);
      if (k != keys.end() && k->is_string() && values.count(k->get<std::string>())) continue;  // given explicitly
      if (v == legacy_values.end() || !v->is_string()) {
        ctx.diags.add(msg::legacy_san_flag_undocumented({ctx.file, at}, flag, ctx.pointer));
        continue;
      }
      add(flag, v->get<std::string>(), at);
    }
  }
  if (values.empty()) return std::nullopt;
  Value out{Dict{}};
  for (auto& [key, list] : values) {
    if (list.size() == 1 && !all_values) {
      out.set(key, Value(std::move(list.front())));
      continue;
    }
    Array items;
    for (auto& v : list) items.push_back(Value(std::move(v)));
    out.set(key, Value(std::move(items)));
  }
  return out;
}

}  // namespace mcc::map::transforms

namespace mcc::map::transforms {

// Whether the certificate goes to the device's store (args.device lists those members):
// Intune resolves only device variables in such a certificate. Writes nothing.
std::optional<Value> certificate_scope(Context& ctx) {
  if (!ctx.value.is_string()) return std::nullopt;
  const auto device = ctx.args.texts("device");
  ctx.mapped.device_certificate =
      std::find(device.begin(), device.end(), ctx.value.get_ref<const std::string&>()) != device.end();
  return std::nullopt;
}

}  // namespace mcc::map::transforms
