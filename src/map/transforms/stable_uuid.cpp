// SPDX-License-Identifier: Apache-2.0
#include "base/stable_id.hpp"
#include "base/uuid.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {

std::optional<Value> stable_uuid(Context& ctx) {
  // The same Graph object always yields the same UUID, so apps bound to it stay bound.
  std::string id = stable_id(ctx.object);
  return Value(uuid_v5(kUuidNamespace, id + ":" + ctx.args.text("role")));
}

}  // namespace mcc::map::transforms
