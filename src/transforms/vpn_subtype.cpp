#include "core/messages.hpp"
#include "transforms/transforms.hpp"

namespace mcc::transforms {

// VPNSubType for connection types whose VPN app has no known bundle identifier: the
// --vpn-subtype option, else the value at the row's `from`, else an error that says what
// to set (args.missing). Apple ignores a VPNType VPN without a VPNSubType, so leaving it
// out would install a VPN that never connects.
std::optional<Value> vpn_subtype(Context& ctx) {
  const std::string given = ctx.value.is_string() ? ctx.value.get<std::string>() : std::string();
  if (ctx.options && ctx.options->vpn_subtype && !ctx.options->vpn_subtype->empty()) {
    const std::string& chosen = *ctx.options->vpn_subtype;
    if (!given.empty() && given != chosen)
      ctx.diags.add(msg::mapping_note({ctx.file, ctx.pointer},
                                      "--vpn-subtype " + chosen + " replaces \"" + given + "\" as " + ctx.target_path));
    return Value(chosen);
  }
  if (!given.empty()) return Value(given);
  // args.about points at the setting that needs the subtype (the connection type), so the
  // message names the value the user chose rather than an empty one.
  std::string shown = ctx.value.is_null() ? "null" : ctx.value.dump();
  if (const std::string about = ctx.args.value("about", std::string()); !about.empty()) {
    try {  // a table from --mappings may hold a malformed pointer: then the plain message
      const auto ptr = nlohmann::json::json_pointer(about);
      if (ctx.object.contains(ptr)) shown = ctx.object.at(ptr).dump();
    } catch (const nlohmann::json::exception&) {
    }
  }
  ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, shown, ctx.target_path, ctx.args.value("missing", std::string())));
  return std::nullopt;
}

}  // namespace mcc::transforms
