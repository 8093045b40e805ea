#include "profile/variables.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "core/ascii.hpp"
#include "core/messages.hpp"

namespace mcc::profile {
namespace {

// Intune's documented variables for iOS/iPadOS and macOS certificate profiles
// (mapping-facts §10: MS-SCEP, MS-SCEP-2018, the Graph description of customSubjectAlternativeNames).
constexpr std::array<std::string_view, 19> kDocumented = {
    "UserName", "EmailAddress", "UserPrincipalName", "OnPrem_Distinguished_Name", "OnPremisesSamAccountName",
    "OnPremisesUserPrincipalName", "OnPremisesSecurityIdentifier", "AAD_Device_ID", "AzureADDeviceId", "DeviceId",
    "Device_Serial", "Device_IMEI", "SerialNumber", "IMEINumber", "IMEI", "WiFiMacAddress", "DeviceName",
    "FullyQualifiedDomainName", "MEID"};

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

void walk(Value& v, const std::string& path, const std::map<std::string, std::string>& values, const std::string& file,
          const std::function<std::string(const std::string&)>& pointer_of, Diagnostics& diags,
          std::set<std::pair<std::string, std::string>>& reported) {
  switch (v.kind()) {
    case Value::Kind::string: {
      const std::string& text = v.as_string();
      auto refs = find_variables(text);
      if (refs.empty()) return;
      for (const auto& r : refs) {
        bool supplied = lookup_variable(values, r.name).has_value();
        std::string pointer = pointer_of(path);
        if (!reported.insert({canonical_variable(r.name), pointer}).second) continue;
        if (!is_intune_variable(r.name) && !supplied)
          diags.add(msg::unknown_variable({file, pointer}, r.name));
        else if (!supplied && !values.empty())
          diags.add(msg::variable_without_value({file, pointer}, canonical_variable(r.name)));
      }
      v = Value(substitute_variables(text, values));
      return;
    }
    case Value::Kind::array: {
      auto& a = v.as_array();
      for (std::size_t i = 0; i < a.size(); ++i) walk(a[i], path + "[" + std::to_string(i) + "]", values, file, pointer_of, diags, reported);
      return;
    }
    case Value::Kind::dict:
      for (auto& m : v.as_dict()) walk(m.value, path.empty() ? m.key : path + "." + m.key, values, file, pointer_of, diags, reported);
      return;
    default: return;
  }
}

}  // namespace

std::vector<VariableRef> find_variables(std::string_view text) {
  std::vector<VariableRef> out;
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    std::size_t close = text.find("}}", pos + 2);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(pos + 2, close - pos - 2);
    if (!name.empty() && std::all_of(name.begin(), name.end(), name_char)) {
      out.push_back({pos, close + 2, std::string(name)});
      pos = close + 2;
    } else {
      pos += 1;  // "{{{x}}" and "{{ not a name }}": look again one character on
    }
  }
  return out;
}

bool is_intune_variable(std::string_view name) {
  return std::any_of(kDocumented.begin(), kDocumented.end(), [&](std::string_view d) { return iequals(d, name); });
}

std::string canonical_variable(std::string_view name) {
  for (auto d : kDocumented)
    if (iequals(d, name)) return std::string(d);
  return std::string(name);
}

std::optional<std::string> lookup_variable(const std::map<std::string, std::string>& values, std::string_view name) {
  for (const auto& [k, v] : values) {
    std::string_view key = k;
    if (key.size() > 4 && key.substr(0, 2) == "{{" && key.substr(key.size() - 2) == "}}") key = key.substr(2, key.size() - 4);
    if (iequals(key, name)) return v;
  }
  return std::nullopt;
}

std::string substitute_variables(std::string_view text, const std::map<std::string, std::string>& values,
                                 const std::function<std::string(const std::string&, std::size_t)>& escape) {
  if (values.empty()) return std::string(text);
  std::string out;
  std::size_t last = 0;
  for (const auto& r : find_variables(text)) {
    auto value = lookup_variable(values, r.name);
    if (!value) continue;
    out.append(text.substr(last, r.begin - last));
    out += escape ? escape(*value, r.begin) : *value;
    last = r.end;
  }
  out.append(text.substr(last));
  return out;
}

void substitute_tree(Value& tree, const std::map<std::string, std::string>& values, const std::string& file,
                     const std::function<std::string(const std::string&)>& pointer_of, Diagnostics& diags) {
  std::set<std::pair<std::string, std::string>> reported;
  walk(tree, "", values, file, pointer_of, diags, reported);
}

}  // namespace mcc::profile
