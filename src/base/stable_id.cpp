// SPDX-License-Identifier: Apache-2.0
#include "base/stable_id.hpp"

#include "base/uuid.hpp"

namespace mcc {
namespace {

bool all_zero_guid(const std::string& s) { return !s.empty() && s.find_first_not_of("0-") == std::string::npos; }

}  // namespace

std::string stable_id(const nlohmann::json& object) {
  if (auto it = object.find("id"); it != object.end() && it->is_string()) {
    std::string id = it->get<std::string>();
    if (!id.empty() && !all_zero_guid(id)) return id;
  }
  return uuid_v5(kUuidNamespace, "content:" + object.dump());
}

}  // namespace mcc
