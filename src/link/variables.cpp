#include "link/variables.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "base/ascii.hpp"
#include "base/messages.hpp"

namespace mcc::link {
namespace {

// Intune's documented variables for iOS/iPadOS and macOS certificate profiles
// (mapping-facts §10: MS-SCEP, MS-SCEP-2018, the Graph description of customSubjectAlternativeNames).
constexpr std::array<std::string_view, 19> kDocumented = {
    "UserName", "EmailAddress", "UserPrincipalName", "OnPrem_Distinguished_Name", "OnPremisesSamAccountName",
    "OnPremisesUserPrincipalName", "OnPremisesSecurityIdentifier", "AAD_Device_ID", "AzureADDeviceId", "DeviceId",
    "Device_Serial", "Device_IMEI", "SerialNumber", "IMEINumber", "IMEI", "WiFiMacAddress", "DeviceName",
    "FullyQualifiedDomainName", "MEID"};

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// `text` with each supplied variable of `refs` (found in `text`) replaced by its value.
std::string substitute(std::string_view text, const std::vector<VariableRef>& refs,
                       const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t last = 0;
  for (const auto& r : refs) {
    auto value = lookup_variable(values, r.name);
    if (!value) continue;
    out.append(text.substr(last, r.begin - last)).append(*value);
    last = r.end;
  }
  return out.append(text.substr(last));
}

struct Walk {
  const std::map<std::string, std::string>& values;
  const std::string& file;
  const std::function<std::string(const std::string&)>& pointer_of;
  const std::function<bool(const std::string&)>& is_secret;
  Diagnostics& diags;
  std::set<std::pair<std::string, std::string>> reported;  // (variable, pointer) already warned about

  void operator()(Value& v, const std::string& path) {
    switch (v.kind()) {
      case Value::Kind::string: {
        const std::string& text = v.as_string();
        auto refs = find_variables(text);
        if (refs.empty() || is_secret(path)) return;
        const std::string pointer = pointer_of(path);
        for (const auto& r : refs) {
          bool supplied = lookup_variable(values, r.name).has_value();
          if (!reported.insert({canonical_variable(r.name), pointer}).second) continue;
          if (!is_intune_variable(r.name) && !supplied)
            diags.add(msg::unknown_variable({file, pointer}, r.name));
          else if (!supplied && !values.empty())
            diags.add(msg::variable_without_value({file, pointer}, canonical_variable(r.name)));
        }
        if (!values.empty()) v = Value(substitute(text, refs, values));
        return;
      }
      case Value::Kind::array: {
        auto& a = v.as_array();
        for (std::size_t i = 0; i < a.size(); ++i) (*this)(a[i], path + "[" + std::to_string(i) + "]");
        return;
      }
      case Value::Kind::dict:
        for (auto& m : v.as_dict()) (*this)(m.value, path.empty() ? m.key : path + "." + m.key);
        return;
      default: return;
    }
  }
};

}  // namespace

std::vector<VariableRef> find_variables(std::string_view text) {
  // One pass: a name never holds a brace, so a "{{" that does not open a name is passed
  // over without looking for its "}}" (which made "{{{{{{..." quadratic).
  std::vector<VariableRef> out;
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    std::size_t end = pos + 2;
    while (end < text.size() && name_char(text[end])) ++end;
    if (end > pos + 2 && text.substr(end, 2) == "}}") {
      out.push_back({pos, end + 2, std::string(text.substr(pos + 2, end - pos - 2))});
      pos = end + 2;
    } else {
      pos = end > pos + 2 ? end : pos + 1;  // "{{{x}}": look again one character on
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

std::string substitute_variables(std::string_view text, const std::map<std::string, std::string>& values) {
  if (values.empty()) return std::string(text);
  return substitute(text, find_variables(text), values);
}

void substitute_tree(Value& tree, const std::map<std::string, std::string>& values, const std::string& file,
                     const std::function<std::string(const std::string&)>& pointer_of,
                     const std::function<bool(const std::string&)>& is_secret, Diagnostics& diags) {
  Walk{values, file, pointer_of, is_secret, diags, {}}(tree, "");
}

}  // namespace mcc::link
