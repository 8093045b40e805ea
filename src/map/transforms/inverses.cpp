// SPDX-License-Identifier: Apache-2.0
// The inverse of each transform (decompile): see inverse.hpp.

#include <algorithm>
#include <cctype>

#include "base/key_path.hpp"
#include "base/uuid.hpp"
#include "base/base64.hpp"
#include "crypto/certificate.hpp"
#include "map/transforms/inverse.hpp"

#include "base/messages.hpp"

namespace mcc::map::transforms {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

InverseResult refuse(std::string why, bool error = false) {
  InverseResult r;
  r.refused.emplace_back("", std::move(why));
  r.error = error;
  return r;
}

InverseResult set_one(const std::string& pointer, json value) {
  InverseResult r;
  r.sets.emplace_back(pointer, std::move(value));
  r.carried = true;
  return r;
}

// {k: "v", ...} → [{<key>: k, <value>: v}, ...] for the members no deeper row carries.
InverseResult key_value_dict_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::dict)) return refuse("not a dictionary");
  InverseResult r;
  r.carried = true;
  json items = json::array();
  for (const auto& m : c.value.as_dict()) {
    if (c.claimed(m.key)) continue;
    if (!m.value.is(Value::Kind::string)) {
      r.refused.emplace_back(m.key, "Intune's key/value pairs carry strings only");
      continue;
    }
    items.push_back({{c.args.text("key"), m.key}, {c.args.text("value"), m.value.as_string()}});
  }
  if (!items.empty()) r.sets.emplace_back(c.property, std::move(items));
  return r;
}

InverseResult certificate_link_inverse(const InverseContext& c) {
  InverseResult r;
  r.carried = true;
  r.reference = ReferenceClaim{c.args.text("property"), c.args.text("fill"), c.value, c.args.texts("targetRoles"), c.key_path};
  return r;
}

InverseResult stable_uuid_inverse(const InverseContext& c) {
  std::string expected = uuid_v5(kUuidNamespace, c.id + ":" + c.args.text("role"));
  if (c.value.is(Value::Kind::string) && lower(c.value.as_string()) == lower(expected)) {
    InverseResult r;
    r.carried = true;
    return r;
  }
  return refuse("Intune derives it from the policy id (here " + expected + "); whatever is bound to the old value must be bound again");
}

// RFC 4514 escaping of one attribute value.
std::string escape_value(const std::string& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char ch = v[i];
    bool special = ch == ',' || ch == '+' || ch == '"' || ch == '\\' || ch == '<' || ch == '>' || ch == ';' || ch == '=';
    if ((i == 0 && (ch == '#' || ch == ' ')) || (i + 1 == v.size() && ch == ' ')) special = true;
    if (special) out += '\\';
    out += ch;
  }
  return out;
}

// [[[type, value], ...], ...] → "type=value+type=value,type=value" and the free-text format member.
InverseResult x500_subject_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::array)) return refuse("not an array of relative distinguished names", true);
  std::string text;
  for (const auto& rdn : c.value.as_array()) {
    if (!rdn.is(Value::Kind::array) || rdn.as_array().empty()) return refuse("a relative distinguished name is not an array of [type, value] pairs", true);
    std::string part;
    for (const auto& pair : rdn.as_array()) {
      if (!pair.is(Value::Kind::array) || pair.as_array().size() != 2 || !pair.as_array()[0].is(Value::Kind::string) ||
          !pair.as_array()[1].is(Value::Kind::string) || pair.as_array()[0].as_string().empty())
        return refuse("an attribute is not a [type, value] pair of strings", true);
      const std::string& type = pair.as_array()[0].as_string();
      if (type.find_first_of(",+=\\\" ") != std::string::npos) return refuse("an attribute type is not a name or an OID", true);
      part += (part.empty() ? "" : "+") + type + "=" + escape_value(pair.as_array()[1].as_string());
    }
    text += (text.empty() ? "" : ",") + part;
  }
  std::string free_member;
  for (const auto& [member, format] : c.args.object("formats").items())
    if (format.is_null()) free_member = member;
  const std::string& custom = c.args.text("customProperty");
  if (free_member.empty() || custom.empty()) return refuse("the table names no free-text subject property", true);
  InverseResult r = set_one(c.property, free_member);
  r.sets.emplace_back(c.base + "/" + custom, text);
  return r;
}

InverseResult scep_server_url_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::string)) return refuse("not a string", true);
  return set_one(c.property, json::array({c.value.as_string()}));
}

InverseResult vpn_subtype_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::string)) return refuse("not a string", true);
  return set_one(c.property, c.value.as_string());
}

InverseResult flag_bits_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::integer)) return refuse("not an integer", true);
  std::int64_t rest = c.value.as_int();
  if (rest == 0) return refuse("no bit is set; Intune writes the key only with a usage");
  std::string flags;
  for (const auto& [member, bit] : c.args.object("bits").items()) {
    if (!bit.is_number_integer()) continue;
    std::int64_t b = bit.get<std::int64_t>();
    if (b != 0 && (rest & b) == b) {
      flags += (flags.empty() ? "" : ",") + member;
      rest &= ~b;
    }
  }
  if (rest != 0) return refuse("bits " + std::to_string(rest) + " have no Graph member", true);
  return set_one(c.property, flags);
}

InverseResult subject_alt_names_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::dict)) return refuse("not a dictionary", true);
  InverseResult r;
  r.carried = true;
  json items = json::array();
  const json& keys = c.args.object("keys");
  for (const auto& m : c.value.as_dict()) {
    std::string san;
    for (const auto& [member, key] : keys.items())
      if (key.is_string() && key.get_ref<const std::string&>() == m.key && san.empty()) san = member;
    if (san.empty()) {
      r.refused.emplace_back(m.key, "Intune has no subject alternative name type for it");
      continue;
    }
    // A string, or (several names of one type) an array of strings, except for keys that
    // take a single string.
    std::vector<std::string> values;
    if (m.value.is(Value::Kind::string)) values.push_back(m.value.as_string());
    if (m.value.is(Value::Kind::array)) {
      const auto single = c.args.texts("single");
      if (std::find(single.begin(), single.end(), m.key) != single.end()) {
        r.refused.emplace_back(m.key, "Apple's " + m.key + " takes a single string; Intune would write only the first");
        continue;
      }
      for (const auto& e : m.value.as_array())
        if (e.is(Value::Kind::string)) values.push_back(e.as_string());
      if (values.size() != m.value.as_array().size()) values.clear();
    }
    if (values.empty()) {
      r.refused.emplace_back(m.key, "Intune carries text values only, one per name");
      continue;
    }
    // A value in the form Intune writes a bare variable in (strong mapping's SID URI) is that variable.
    const json& forms = c.args.object("valueForms");
    for (auto& v : values)
      if (auto form = forms.find(m.key); form != forms.end() && form->is_string() && lower(form->get<std::string>()) == lower(v)) {
        const std::string& shape = form->get_ref<const std::string&>();
        const auto open = shape.find("{{"), close = shape.find("}}", open == std::string::npos ? 0 : open);
        if (open != std::string::npos && close != std::string::npos) v = shape.substr(open, close + 2 - open);
      }
    for (const auto& v : values) items.push_back({{c.args.text("typeField"), san}, {c.args.text("nameField"), v}});
  }
  if (!items.empty()) r.sets.emplace_back(c.property, std::move(items));
  return r;
}

InverseResult trusted_certificate_inverse(const InverseContext& c) {
  if (!c.value.is(Value::Kind::data)) return refuse("not data", true);
  const auto& bytes = c.value.as_data().bytes;
  std::string why;
  auto info = crypto::read_certificate(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), why);
  if (!info) return refuse("it is not a certificate: " + why, true);
  return set_one(c.property, encode_base64(info->der));
}

}  // namespace

json to_json(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::real: return v.as_real();
    case Value::Kind::string: return v.as_string();
    case Value::Kind::data: return encode_base64(v.as_data().bytes);
    case Value::Kind::date: return v.as_date().seconds;
    case Value::Kind::array: {
      json a = json::array();
      for (const auto& e : v.as_array()) a.push_back(to_json(e));
      return a;
    }
    case Value::Kind::dict: {
      json o = json::object();
      for (const auto& m : v.as_dict()) o[m.key] = to_json(m.value);
      return o;
    }
  }
  return nullptr;
}

const std::map<std::string, InverseSpec, std::less<>>& inverse_registry() {
  static const std::map<std::string, InverseSpec, std::less<>> all = {
      {"keyValueDict", {&key_value_dict_inverse, "non-text values"}},
      {"certificateLink", {&certificate_link_inverse, "a target that is not decompiled"}},
      {"stableUuid", {&stable_uuid_inverse, "a value not derived from the policy id"}},
      {"x500Subject", {&x500_subject_inverse, "which template member (commonName, ...) wrote the subject; it comes back as free text"}},
      {"scepServerUrl", {&scep_server_url_inverse, "the other URLs of a list"}},
      {"scepChallenge", {nullptr, "Intune issues a one-time challenge per device"}},
      {"vpnSubtype", {&vpn_subtype_inverse, "which connection type without a known subtype it was (they give identical profiles)"}},
      {"flagBits", {&flag_bits_inverse, ""}},
      {"subjectAltNames", {&subject_alt_names_inverse, "whether a name came from the legacy flags"}},
      {"certificateScope", {nullptr, "it writes no key"}},
      {"trustedCertificate", {&trusted_certificate_inverse, "PEM becomes DER"}},
      {"pkcs12Identity", {nullptr, "Graph's PKCS certificate profile carries no certificate (Intune's certificate connector "
                                   "issues one per device): compiling the object needs an identity given to it",
                          msg::argument::identity}},
      {"validityPeriod", {nullptr, "it writes no payload key (only the lab certificate's validity)"}},
      {"fieldValues", {nullptr, "it writes no payload key (only the lab certificate's extended key usages)"}},
  };
  return all;
}

}  // namespace mcc::map::transforms
