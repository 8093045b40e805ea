// SPDX-License-Identifier: Apache-2.0
// view_profile: which keys say what a profile or payload is (the schema's identityKeys) and
// which set something — the knowledge inspect used to keep as its own key list (issue 13:
// src/cli holds no key lists).

#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/profile_view.hpp"
#include "schema/apple_schema.hpp"
#include "support/test_support.hpp"

namespace mcc::test {
namespace {

const std::string kProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>PayloadContent</key><array>
  <dict>
    <key>VPNType</key><string>IKEv2</string>
    <key>PayloadUUID</key><string>11111111-2222-3333-4444-555555555555</string>
    <key>IKEv2</key><dict><key>RemoteAddress</key><string>vpn.example</string></dict>
    <key>PayloadType</key><string>com.apple.vpn.managed</string>
    <key>PayloadDisplayName</key><string>Lab VPN</string>
    <key>UserDefinedName</key><string>Lab</string>
  </dict>
  <string>not a payload</string>
  <dict><key>Anything</key><true/></dict>
</array>
<key>PayloadScope</key><string>System</string>
<key>PayloadIdentifier</key><string>org.example</string>
<key>PayloadDisplayName</key><string>Lab</string>
<key>ConsentText</key><dict/>
</dict></plist>)";

std::vector<std::string> keys(const std::vector<KeyValue>& kvs) {
  std::vector<std::string> out;
  for (const auto& k : kvs) out.emplace_back(k.key);
  return out;
}

TEST(ProfileView, IdentityKeysInTheSchemasOrderSettingsInThePayloadsOrder) {
  Diagnostics d;
  auto root = parse_plist(kProfile, "lab.mobileconfig", d);
  ASSERT_TRUE(root) << all_lines(d);
  const ProfileView view = view_profile(*root);
  EXPECT_EQ(keys(view.identity), (std::vector<std::string>{"PayloadDisplayName", "PayloadIdentifier", "PayloadScope"}));
  ASSERT_EQ(view.payloads.size(), 2u) << "the string in the payload list is not a payload";
  const PayloadView& vpn = view.payloads[0];
  EXPECT_EQ(vpn.type, "com.apple.vpn.managed");
  EXPECT_EQ(vpn.display_name, "Lab VPN");
  EXPECT_EQ(keys(vpn.identity), (std::vector<std::string>{"PayloadDisplayName", "PayloadUUID", "PayloadType"}));
  EXPECT_EQ(keys(vpn.settings), (std::vector<std::string>{"VPNType", "IKEv2", "UserDefinedName"}));
  EXPECT_TRUE(vpn.names_it(vpn.identity[0]));
  EXPECT_FALSE(vpn.names_it(vpn.identity[1]));
  EXPECT_TRUE(vpn.names_it(vpn.identity[2]));
  EXPECT_EQ(vpn.identity[1].value->as_string(), "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(view.payloads[1].type, "");
  EXPECT_EQ(keys(view.payloads[1].settings), std::vector<std::string>{"Anything"});
  EXPECT_TRUE(view_profile(Value(std::string("not a dictionary"))).payloads.empty());
}

// The overlay's identity keys are keys Apple's schema has at a payload's or the profile's top.
TEST(ProfileView, EveryIdentityKeyIsACommonOrTopLevelKeyOfApplesSchema) {
  Diagnostics d;
  const schema::AppleSchema* schema = schema::AppleSchema::embedded(d);
  ASSERT_NE(schema, nullptr) << all_lines(d);
  ASSERT_GE(schema->identity_keys().size(), 7u);
  const auto& top = schema->toplevel().root.keys;
  const schema::PayloadSpec* vpn = schema->payload("com.apple.vpn.managed");
  ASSERT_NE(vpn, nullptr);
  for (const auto& key : schema->identity_keys())
    EXPECT_TRUE(top.count(key) || vpn->root.keys.count(key)) << key;
}

}  // namespace
}  // namespace mcc::test
