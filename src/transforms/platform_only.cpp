#include <algorithm>

#include "core/messages.hpp"
#include "transforms/transforms.hpp"

namespace mcc::transforms {

std::optional<Value> platform_only(Context& ctx) {
  // args.platforms lists where the setting exists; elsewhere it is an error, because leaving
  // the keys out (as for a single unavailable key) would describe a different VPN.
  auto platforms = ctx.args.value("platforms", std::vector<std::string>{});
  if (ctx.platform.empty() || std::find(platforms.begin(), platforms.end(), ctx.platform) != platforms.end())
    return std::nullopt;
  std::string shown = ctx.value.is_null() ? "null" : ctx.value.dump();
  ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, shown,
                                    ctx.args.value("key", ctx.target_path) + " on " + std::string(ctx.platform),
                                    ctx.args.value("reason", "")));
  return std::nullopt;
}

}  // namespace mcc::transforms
