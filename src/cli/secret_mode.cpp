#include "cli/secret_mode.hpp"

#include <string_view>

namespace mcc::cli {
namespace {

// A stand-in until the library's single secret-key list replaces this body: key names that
// carry secrets in Apple's payloads, and the payload type that embeds a private key.
bool secret_key(std::string_view key) {
  return key.find("Password") != std::string_view::npos || key.find("Secret") != std::string_view::npos ||
         key == "Challenge";
}

bool holds_secret(const Value& v) {
  if (v.is(Value::Kind::array)) {
    for (const auto& item : v.as_array())
      if (holds_secret(item)) return true;
    return false;
  }
  if (!v.is(Value::Kind::dict)) return false;
  if (const Value* type = v.find("PayloadType");
      type && type->is(Value::Kind::string) && type->as_string() == "com.apple.security.pkcs12")
    return true;
  for (const auto& m : v.as_dict())
    if (secret_key(m.key) || holds_secret(m.value)) return true;
  return false;
}

}  // namespace

bool profile_holds_secret(const mcc::Value& root) { return holds_secret(root); }

}  // namespace mcc::cli
