// SPDX-License-Identifier: Apache-2.0
#pragma once
// Move-only ownership of a libplist node.

#include <plist/plist.h>

#include <memory>

namespace mcc::plist {

struct NodeDeleter {
  void operator()(plist_t p) const { plist_free(p); }
};
using Node = std::unique_ptr<void, NodeDeleter>;

}  // namespace mcc::plist
