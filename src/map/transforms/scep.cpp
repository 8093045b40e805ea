// Transforms of the SCEP payload: the server URL, the challenge, the subject alternative
// names and flag sets that become bit masks.

#include <set>

#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "base/strings.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {
namespace {

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

// [{sanType, name}] (+ the legacy flag property) → {rfc822Name: ..., ntPrincipalName: ...}.
// args: typeField, nameField, keys (SAN type → Apple key, null: no Apple key),
// legacyProperty, legacyValues (SAN type → the value Intune uses for the legacy flag).
std::optional<Value> subject_alt_names(Context& ctx) {
  const std::string& type_field = ctx.args.text("typeField");
  const std::string& name_field = ctx.args.text("nameField");
  const auto& keys = ctx.args.object("keys");
  const bool all_values = ctx.args.flag("allValues");  // every value, in order, as an array per key
  Value out{Dict{}};
  std::map<std::string, std::string> first_at;  // Apple key → pointer of the value used
  auto add = [&](const std::string& san_type, const std::string& value, const std::string& at) {
    auto k = keys.find(san_type);
    if (k == keys.end() || !k->is_string()) {
      ctx.diags.add(msg::san_type_without_key({ctx.file, at}, san_type, all_values));
      return;
    }
    std::string key = k->get<std::string>();
    if (all_values) {
      Value list = out.find(key) ? *out.find(key) : Value(Array{});
      for (const auto& v : list.as_array())
        if (v.as_string() == value) return;
      list.as_array().push_back(Value(value));
      out.set(key, std::move(list));
      return;
    }
    if (const Value* old = out.find(key)) {
      if (old->as_string() != value)
        ctx.diags.add(msg::second_san_of_type({ctx.file, at}, san_type, key, first_at[key]));
      return;
    }
    out.set(key, Value(value));
    first_at[key] = at;
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
    const auto& values = ctx.args.object("legacyValues");
    for (const auto& flag : split_flags(it->get_ref<const std::string&>(), EmptyFlags::skip)) {
      if (flag == "none") continue;
      auto v = values.find(flag);
      auto k = keys.find(flag);
      if (k != keys.end() && k->is_string() && out.find(k->get<std::string>())) continue;  // given explicitly
      if (v == values.end() || !v->is_string()) {
        ctx.diags.add(msg::legacy_san_flag_undocumented({ctx.file, at}, flag, ctx.pointer));
        continue;
      }
      add(flag, v->get<std::string>(), at);
    }
  }
  if (out.as_dict().empty()) return std::nullopt;
  return out;
}

}  // namespace mcc::map::transforms
