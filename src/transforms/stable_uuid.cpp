#include "profile/assemble.hpp"
#include "profile/uuid.hpp"
#include "transforms/transforms.hpp"

namespace mcc::transforms {

std::optional<Value> stable_uuid(Context& ctx) {
  // The same Graph object always yields the same UUID, so apps bound to it stay bound.
  std::string id = profile::stable_id(ctx.object);
  return Value(profile::uuid_v5(profile::kUuidNamespace, id + ":" + ctx.args.text("role")));
}

}  // namespace mcc::transforms
