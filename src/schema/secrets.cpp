// SPDX-License-Identifier: Apache-2.0
#include "mobileconfigc/secrets.hpp"

#include <optional>
#include <string>

#include "schema/embedded.hpp"
#include "schema/apple_schema.hpp"

namespace mcc {
namespace {

std::string_view embedded_file(std::string_view path) {
  for (const auto& r : embedded::resources())
    if (r.path == path) return r.content;
  return {};
}

}  // namespace

namespace schema {

const AppleSchema* AppleSchema::embedded(Diagnostics& diags) {
  struct Built {
    std::optional<AppleSchema> schema;
    Diagnostics diags;
  };
  // Never destroyed: a process ends without freeing every spec it has read one by one (1 %
  // of a single compile's instructions); held from a static pointer, so that leak checkers
  // see it reachable.
  static const Built* const built = [] {
    auto* b = new Built;
    // The payload types are read when first used (from_text): a fresh process builds only
    // the ones its profile has, and touches fewer new pages.
    b->schema = AppleSchema::from_text(embedded_file("schemas/apple-payloads.json"),
                                       embedded_file("schemas/apple-overlay.json"), b->diags);
    if (b->diags.has_errors()) b->schema.reset();
    return b;
  }();
  diags.append(built->diags);
  return built->schema ? &*built->schema : nullptr;
}

}  // namespace schema

namespace {

// The built-in schema (the compiler uses the same one).
const schema::AppleSchema* embedded_schema() {
  Diagnostics ignored;
  return schema::AppleSchema::embedded(ignored);
}

}  // namespace

bool is_secret_key(std::string_view payload_type, std::string_view key_path) {
  const auto* schema = embedded_schema();
  return schema == nullptr || schema->is_secret(payload_type, key_path);  // no schema: every value is a secret
}

bool holds_secret(const Value& profile) {
  const auto* schema = embedded_schema();
  if (schema == nullptr) return true;
  if (!profile.is(Value::Kind::dict)) return false;
  for (const auto& m : profile.as_dict()) {
    if (m.key == "PayloadContent" && m.value.is(Value::Kind::array)) {
      for (const auto& payload : m.value.as_array()) {
        const Value* type = payload.find("PayloadType");
        if (schema->holds_secret(type && type->is(Value::Kind::string) ? type->as_string() : "", payload)) return true;
      }
      continue;
    }
    if (schema->is_secret("", m.key) || schema->holds_secret("", m.value)) return true;
  }
  return false;
}

}  // namespace mcc
