// SPDX-License-Identifier: Apache-2.0
#include "base/messages.hpp"
#include "map/engine.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {

// VPNSubType for connection types whose VPN app has no known bundle identifier: the
// VPN subtype option, else the value at the row's `from`, else an error that says what
// to set (args.missing). Apple ignores a VPNType VPN without a VPNSubType, so leaving it
// out would install a VPN that never connects.
std::optional<Value> vpn_subtype(Context& ctx) {
  const std::string given = ctx.value.is_string() ? ctx.value.get<std::string>() : std::string();
  if (ctx.input.vpn_subtype && !ctx.input.vpn_subtype->empty()) {
    const std::string& chosen = *ctx.input.vpn_subtype;
    if (!given.empty() && given != chosen)
      ctx.diags.add(msg::vpn_subtype_replaced({ctx.file, ctx.pointer}, chosen, given, ctx.target_path));
    return Value(chosen);
  }
  if (!given.empty()) return Value(given);
  // args.about points at the setting that needs the subtype (the connection type), so the
  // message names the value the user chose rather than an empty one.
  std::string shown = msg::shown(ctx.value);
  if (const std::string& about = ctx.args.text("about"); !about.empty()) {
    // A table from --mappings may hold something else than a pointer: then the plain message.
    if (const nlohmann::json* v = about.front() == '/' ? map::resolve_pointer(ctx.object, about) : nullptr)
      shown = msg::shown(*v);
  }
  ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, shown, ctx.target_path, ctx.args.text("missing")));
  return std::nullopt;
}

}  // namespace mcc::map::transforms
