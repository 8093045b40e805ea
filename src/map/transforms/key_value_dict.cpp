// SPDX-License-Identifier: Apache-2.0
#include <set>

#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {

std::optional<Value> key_value_dict(Context& ctx) {
  if (!ctx.value.is_array() || ctx.value.empty()) return std::nullopt;
  const std::string& key_field = ctx.args.text("key");
  const std::string& value_field = ctx.args.text("value");
  Value dict{Dict{}};
  std::set<std::string> seen;
  for (std::size_t i = 0; i < ctx.value.size(); ++i) {
    const auto& item = ctx.value[i];
    std::string at = pointer_join(ctx.pointer, i);
    if (!item.is_object() || !item.contains(key_field) || !item[key_field].is_string() ||
        item[key_field].get_ref<const std::string&>().empty()) {
      ctx.diags.add(msg::entry_without_key({ctx.file, at}, key_field));
      continue;
    }
    const std::string& k = item[key_field].get_ref<const std::string&>();
    const auto& v = item.contains(value_field) ? item[value_field] : nlohmann::json();
    if (!seen.insert(k).second) {
      ctx.diags.add(msg::repeated_dictionary_key({ctx.file, at}, k));
    }
    dict.set(k, v.is_string() ? Value(v.get<std::string>()) : Value(std::string()));
  }
  if (dict.as_dict().empty()) return std::nullopt;
  return dict;
}

}  // namespace mcc::map::transforms
