#include <algorithm>

#include "base/messages.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {

std::optional<Value> platform_only(Context& ctx) {
  // args.platforms lists where the setting exists; elsewhere it is an error, because leaving
  // the keys out (as for a single unavailable key) would describe a different VPN.
  const auto platforms = ctx.args.texts("platforms");
  const std::string_view platform = platform_name(ctx.input.platform);
  if (std::find(platforms.begin(), platforms.end(), platform) != platforms.end())
    return std::nullopt;
  const std::string& key = ctx.args.text("key").empty() ? ctx.target_path : ctx.args.text("key");
  ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, msg::shown(ctx.value), key + " on " + std::string(platform),
                                    ctx.args.text("reason")));
  return std::nullopt;
}

}  // namespace mcc::map::transforms
