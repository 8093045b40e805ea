#include <algorithm>

#include "core/messages.hpp"
#include "transforms/transforms.hpp"

namespace mcc::transforms {

std::optional<Value> platform_only(Context& ctx) {
  // args.platforms lists where the setting exists; elsewhere it is an error, because leaving
  // the keys out (as for a single unavailable key) would describe a different VPN.
  const auto platforms = ctx.args.texts("platforms");
  if (ctx.platform.empty() || std::find(platforms.begin(), platforms.end(), ctx.platform) != platforms.end())
    return std::nullopt;
  const std::string& key = ctx.args.text("key").empty() ? ctx.target_path : ctx.args.text("key");
  ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, msg::shown(ctx.value), key + " on " + std::string(ctx.platform),
                                    ctx.args.text("reason")));
  return std::nullopt;
}

}  // namespace mcc::transforms
