// SPDX-License-Identifier: Apache-2.0
// Every property of every supported Graph type is either mapped or declared as having
// no profile key; a table row never reads a property its type does not have.

#include "support/test_support.hpp"

namespace mcc::test {
namespace {

TEST(Coverage, EveryGraphPropertyIsAccountedFor) {
  auto gaps = compiler().uncovered_properties();
  for (const auto& g : gaps) ADD_FAILURE() << g;
  EXPECT_TRUE(gaps.empty());
}

TEST(Coverage, SupportsTheFoundationType) {
  auto types = compiler().supported_types();
  EXPECT_NE(std::find(types.begin(), types.end(), "iosikEv2VpnConfiguration"), types.end());
}

TEST(Coverage, ExplainListsEveryMappedKey) {
  auto text = compiler().explain("iosikEv2VpnConfiguration", false);
  ASSERT_TRUE(text);
  for (const char* key : {"IKEv2.RemoteAddress", "IKEv2.MTU", "IKEv2.OnDemandRules[].Action",
                          "IKEv2.IKESecurityAssociationParameters.LifeTimeInMinutes", "Proxies.ProxyAutoConfigURLString"})
    EXPECT_NE(text->find(key), std::string::npos) << key;
  EXPECT_NE(text->find("/roleScopeTagIds: no profile key"), std::string::npos);
}

}  // namespace
}  // namespace mcc::test
