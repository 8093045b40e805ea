// SPDX-License-Identifier: Apache-2.0
// decompile --as custom: any profile, as it is, wrapped as the Graph object Intune takes for
// profiles without a native type (iosCustomConfiguration / macOSCustomConfiguration:
// payloadName, payloadFileName and the profile's bytes in base64 in payload; Microsoft Graph
// beta, resources/intune-deviceconfig-ioscustomconfiguration and -macoscustomconfiguration).
// It maps no key, so it has no table: the wrapper's few property names live here.

#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/ascii.hpp"
#include "base/base64.hpp"
#include "base/messages.hpp"
#include "base/uuid.hpp"
#include "driver/profile_content.hpp"
#include "mobileconfigc/decompile.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/secrets.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc {
namespace {

using json = nlohmann::json;

std::string text_of(const Value& root, const char* key) {
  const Value* v = root.find(key);
  return v && v->is(Value::Kind::string) ? v->as_string() : std::string();
}

}  // namespace

std::optional<DecompileResult> wrap_as_custom(const InputFile& profile, const DecompileOptions& options, Diagnostics& diags) {
  const std::string& file = profile.name;
  // The names come from the profile itself: a signed profile's content, read without
  // checking the signature (the device checks it; the bytes are wrapped as they are).
  auto content = driver::profile_content(profile, diags);
  if (!content) return std::nullopt;
  auto root = parse_plist(content->bytes, file, diags);
  if (!root) return std::nullopt;
  if (!root->is(Value::Kind::dict)) {
    diags.add(msg::not_decompilable({file, ""}, "not a configuration profile (the top level is not a dictionary)"));
    return std::nullopt;
  }

  DecompileResult result;
  if (options.platform) result.platform = *options.platform;
  else if (root->find("PayloadScope")) result.platform = Platform::macos;  // a macOS-only key
  else diags.add(msg::platform_assumed(file));
  result.holds_secret = holds_secret(*root);

  const std::filesystem::path path(file == "<stdin>" ? std::string() : file);
  std::string stem = path.stem().string();
  std::string name = text_of(*root, "PayloadDisplayName");
  if (name.empty()) name = stem.empty() ? "Custom profile" : stem;
  std::string file_name = path.filename().string();
  const std::string extension = ascii_lower(path.extension().string());
  if (extension != ".mobileconfig" && extension != ".xml") file_name = (stem.empty() ? std::string("profile") : stem) + ".mobileconfig";
  // The profile's own UUID names it; a profile without one, its bytes (UUIDv5 hashes them).
  std::string uuid = text_of(*root, "PayloadUUID");
  std::string key = uuid.empty() ? "bytes:" + profile.bytes : ascii_lower(uuid);

  DecompiledObject o;
  o.graph_type = result.platform == Platform::macos ? "macOSCustomConfiguration" : "iosCustomConfiguration";
  o.id = ascii_lower(uuid_v5(kUuidNamespace, "custom:" + key));
  o.display_name = name;
  json obj = {{"@odata.type", "#microsoft.graph." + o.graph_type},
              {"id", o.id},
              {"displayName", name},
              {"payloadName", name},
              {"payloadFileName", file_name},
              {"payload", encode_base64({reinterpret_cast<const std::uint8_t*>(profile.bytes.data()), profile.bytes.size()})}};
  if (std::string description = text_of(*root, "PayloadDescription"); !description.empty()) obj["description"] = description;
  // macOS installs a profile in the device or the user channel; PayloadScope User is the latter.
  if (result.platform == Platform::macos)
    obj["deploymentChannel"] = text_of(*root, "PayloadScope") == "User" ? "userChannel" : "deviceChannel";
  o.json = obj.dump();
  result.objects.push_back(std::move(o));
  return result;
}

}  // namespace mcc
