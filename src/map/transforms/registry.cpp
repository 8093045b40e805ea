// SPDX-License-Identifier: Apache-2.0
#include "map/transforms/registry.hpp"

#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {
namespace {

using nlohmann::json;
using map::ArgType;
using map::TransformArg;

TransformArg required(std::string name, ArgType type, std::vector<std::string> one_of = {}) {
  return {std::move(name), type, true, json(), std::move(one_of)};
}
TransformArg optional(std::string name, ArgType type, json fallback, std::vector<std::string> one_of = {}) {
  return {std::move(name), type, false, std::move(fallback), std::move(one_of)};
}

}  // namespace

const std::string& Args::text(std::string_view name) const {
  static const std::string empty;
  const json* v = find(name);
  return v && v->is_string() ? v->get_ref<const std::string&>() : empty;
}

bool Args::flag(std::string_view name) const {
  const json* v = find(name);
  return v && v->is_boolean() && v->get<bool>();
}

std::vector<std::string> Args::texts(std::string_view name) const {
  std::vector<std::string> out;
  if (const json* v = find(name); v && v->is_array())
    for (const auto& e : *v)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

const json& Args::object(std::string_view name) const {
  static const json empty = json::object();
  const json* v = find(name);
  return v && v->is_object() ? *v : empty;
}

const json* Args::find(std::string_view name) const {
  if (!args_.is_object()) return nullptr;
  auto it = args_.find(name);
  return it == args_.end() ? nullptr : &*it;
}

// Each transform with the arguments it reads: name, JSON type, required or the fallback
// that a row leaving it out gets. mappings/README.md describes them for table authors.
const std::map<std::string, Registered, std::less<>>& registry() {
  static const std::map<std::string, Registered, std::less<>> all = {
      {"keyValueDict",
       {&key_value_dict, {optional("key", ArgType::string, "key"), optional("value", ArgType::string, "value")}}},
      {"certificateLink",
       {&certificate_link,
        {optional("property", ArgType::string, "identityCertificate"),
         optional("purpose", ArgType::string, "identity certificate"),
         optional("fill", ArgType::string, "PayloadUUID", {"PayloadUUID", "sha1Fingerprint"}),
         optional("optional", ArgType::boolean, false), optional("targetRoles", ArgType::string_array, json::array())}}},
      {"stableUuid", {&stable_uuid, {optional("role", ArgType::string, "uuid")}}},
      {"x500Subject",
       {&x500_subject,
        {optional("customProperty", ArgType::string, ""), required("formats", ArgType::nullable_string_object),
         optional("shortcuts", ArgType::string_array, json::array()),
         optional("types", ArgType::string_object, json::object())}}},
      {"scepServerUrl",
       {&scep_server_url, {optional("variables", ArgType::string_array, json::array()), optional("mixedHosts", ArgType::string, "")}}},
      {"certificateScope", {&certificate_scope, {required("device", ArgType::string_array)}}},
      {"scepChallenge", {&scep_challenge, {optional("variable", ArgType::string, "")}}},
      {"vpnSubtype",
       {&vpn_subtype, {optional("about", ArgType::string, ""), optional("missing", ArgType::string, "")}}},
      {"flagBits",
       {&flag_bits,
        {required("bits", ArgType::integer_object), optional("unmapped", ArgType::string, "Apple has no bit for it")}}},
      {"subjectAltNames",
       {&subject_alt_names,
        {optional("typeField", ArgType::string, "sanType"), optional("nameField", ArgType::string, "name"),
         required("keys", ArgType::nullable_string_object), optional("legacyProperty", ArgType::string, ""),
         optional("legacyValues", ArgType::string_object, json::object()), optional("allValues", ArgType::boolean, false),
         optional("single", ArgType::string_array, json::array()), optional("valueForms", ArgType::string_object, json::object()),
         optional("onlyIn", ArgType::string_object, json::object())}}},
      {"trustedCertificate", {&trusted_certificate, {optional("requireCa", ArgType::boolean, false)}}},
      {"pkcs12Identity", {&pkcs12_identity, {required("part", ArgType::string, {"data", "password", "fileName"})}}},
      {"validityPeriod", {&validity_period, {required("scaleProperty", ArgType::string)}}},
      {"fieldValues", {&field_values, {required("field", ArgType::string)}}},
  };
  return all;
}

std::vector<map::TransformSignature> signatures() {
  std::vector<map::TransformSignature> out;
  for (const auto& [name, t] : registry()) out.push_back({name, t.args});
  return out;
}

}  // namespace mcc::map::transforms
