// SPDX-License-Identifier: Apache-2.0
#pragma once
// Files from mappings/ and schemas/ compiled into the binary (cmake/embed.cmake).

#include <string_view>
#include <vector>

namespace mcc::embedded {

struct Resource {
  std::string_view path;  // relative to the source tree, e.g. "mappings/vpnServer.json"
  std::string_view content;
};

const std::vector<Resource>& resources();

}  // namespace mcc::embedded
