#pragma once
// Declarations of every registered transform (one .cpp each).

#include "transforms/registry.hpp"

namespace mcc::transforms {

/// [{k: "a", v: "b"}, ...] → {a: "b"}; args name the key and value fields.
std::optional<Value> key_value_dict(Context& ctx);
/// Records a link to the identity certificate payload the object references
/// (@odata.bind, an expanded object, or an IntuneManagement reference).
std::optional<Value> certificate_link(Context& ctx);

/// A UUID derived from the object's Graph id and args.role.
std::optional<Value> stable_uuid(Context& ctx);

}  // namespace mcc::transforms
