// SPDX-License-Identifier: Apache-2.0
#include "link/variables.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "base/ascii.hpp"
#include "base/messages.hpp"

namespace mcc::link {
namespace {

// Intune's documented variables for iOS/iPadOS and macOS certificate profiles: Microsoft's
// "Create and assign SCEP certificate profiles" (scep-profiles.md, 2025-06-26: subject and SAN
// variables, S/MIME's GivenName and SurName, Department, FullyQualifiedDomainName "only applicable
// for Windows and domain-joined devices"), the Graph description of customSubjectAlternativeNames
// (OnPremisesUserPrincipalName) and the Cloud PKI docs (CloudPKIFQDN, "Intune replaces this
// placeholder string with the appropriate FQDN when the profile is delivered"). Microsoft's VPN
// pages document no variables.
enum class Holder { user, device, service };

struct Documented {
  std::string_view name;
  Holder holder;
  // Why the caller must give the value (a service variable Graph does not hold); empty: optional.
  std::string_view needed;
  // What a value must look like: "host" (a host name) or "sid" (S-1-5-21-...); empty: anything.
  std::string_view format;
  // Why Intune never resolves it on iOS/iPadOS or macOS; empty: it does.
  std::string_view not_on_apple;
};

constexpr std::array<Documented, 23> kDocumented = {{
    {"UserName", Holder::user, "", "", ""},
    {"EmailAddress", Holder::user, "", "", ""},
    {"UserPrincipalName", Holder::user, "", "", ""},
    {"OnPrem_Distinguished_Name", Holder::user, "", "", ""},
    {"OnPremisesSamAccountName", Holder::user, "", "", ""},
    {"OnPremisesUserPrincipalName", Holder::user, "", "", ""},
    {"OnPremisesSecurityIdentifier", Holder::user, "", "sid", ""},
    {"GivenName", Holder::user, "", "", ""},
    {"SurName", Holder::user, "", "", ""},
    {"Department", Holder::user, "", "", ""},
    {"AAD_Device_ID", Holder::device, "", "", ""},
    {"AzureADDeviceId", Holder::device, "", "", ""},
    {"DeviceId", Holder::device, "", "", ""},
    {"Device_Serial", Holder::device, "", "", ""},
    {"Device_IMEI", Holder::device, "", "", ""},
    {"SerialNumber", Holder::device, "", "", ""},
    {"IMEINumber", Holder::device, "", "", ""},
    {"IMEI", Holder::device, "", "", ""},
    {"WiFiMacAddress", Holder::device, "", "", ""},
    {"DeviceName", Holder::device, "", "", ""},
    {"FullyQualifiedDomainName", Holder::device, "", "",
     "Microsoft: 'Only applicable for Windows and domain-joined devices'; on iOS/iPadOS and macOS the profile would fail to install"},
    {"MEID", Holder::device, "", "", ""},
    {"CloudPKIFQDN", Holder::service,
     "Intune replaces it with its Cloud PKI host when it delivers the profile, and the host (of the Cloud PKI SCEP URI, "
     "in *.manage.microsoft.com) is not in Graph",
     "host", ""},
}};

const Documented* documented(std::string_view name) {
  for (const auto& d : kDocumented)
    if (iequals(d.name, name)) return &d;
  return nullptr;
}

// Whether `value` has the shape `format` asks for; else why not.
std::string malformed(std::string_view format, std::string_view value) {
  if (format == "host") {
    if (value.empty() || value.find_first_of("/: \t\r\n") != std::string_view::npos)
      return "give a host name, without scheme, port or path (the host of the Cloud PKI SCEP URI)";
    return "";
  }
  if (format == "sid") {  // S-1-<authority>(-<subauthority>)+
    bool ok = value.size() > 4 && value.substr(0, 4) == "S-1-";
    std::size_t parts = 0;
    for (std::size_t i = 4; ok && i <= value.size(); ++parts) {
      std::size_t end = value.find('-', i);
      if (end == std::string_view::npos) end = value.size();
      ok = end > i && std::all_of(value.begin() + static_cast<std::ptrdiff_t>(i), value.begin() + static_cast<std::ptrdiff_t>(end),
                                  [](char c) { return c >= '0' && c <= '9'; });
      i = end + 1;
    }
    if (ok && parts >= 2) return "";
    return "give the SID itself (S-1-5-21-...), not the tag form: Intune adds 'tag:microsoft.com,2022-09-14:sid:' where the "
           "profile asks for it";
  }
  return "";
}

bool ends_with_ci(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && iequals(text.substr(text.size() - tail.size()), tail);
}

// Whether key path `path` is `prefix` or lies inside it ("A.B[0]" is inside "A.B").
bool inside(std::string_view path, std::string_view prefix) {
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

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
  const VariableScope& scope;
  const std::string& file;
  const std::function<std::string(const std::string&)>& pointer_of;
  const std::function<bool(const std::string&)>& is_secret;
  Diagnostics& diags;
  std::set<std::pair<std::string, std::string>> reported;  // (variable, pointer) already warned about

  // Where Intune resolves the variable, and the value the caller gave for it.
  void check(const Documented& d, const std::optional<std::string>& value, const std::string& path, const std::string& pointer) {
    const std::string name(d.name);
    if (!d.not_on_apple.empty()) diags.add(msg::variable_not_supported({file, pointer}, name, d.not_on_apple));
    static const std::map<std::string, std::vector<std::string>> kNowhere;
    const auto& all_places = scope.variable_places != nullptr ? *scope.variable_places : kNowhere;
    if (auto places = all_places.find(name); places != all_places.end()) {
      if (std::none_of(places->second.begin(), places->second.end(), [&](const std::string& p) { return inside(path, p); }))
        diags.add(msg::variable_not_supported({file, pointer}, name, "Intune replaces it only in " + places->second.front()));
    } else if (d.holder == Holder::service && !d.needed.empty()) {
      diags.add(msg::variable_not_supported({file, pointer}, name, "Intune replaces it only in a certificate profile's SCEP server URL"));
    }
    if (scope.device_certificate && d.holder == Holder::user)
      diags.add(msg::variable_not_supported(
          {file, pointer}, name,
          "it is a user variable, and Microsoft: 'Device certificates can only contain device attributes in the subject and SAN "
          "of the certificate'; Intune will not resolve it for this device certificate"));
    if (!value) {
      if (!d.needed.empty()) {
        Diagnostic needed = msg::variable_value_needed({file, pointer}, name, d.needed);
        needed.argument = msg::argument::var;  // the caller gives it: the CLI says how
        needed.argument_value = std::string(name);
        diags.add(std::move(needed));
      }
      return;
    }
    if (const std::string why = malformed(d.format, *value); !why.empty()) {
      diags.add(msg::variable_value_needed({file, pointer}, name, why));
    } else if (d.format == "host" && !ends_with_ci(*value, ".manage.microsoft.com")) {
      diags.add(msg::variable_not_supported({file, pointer}, name,
                                            "the value is outside *.manage.microsoft.com; Microsoft: 'The FQDN will appear within "
                                            "the *.manage.microsoft.com namespace'"));
    }
  }

  // `path` is the key path of `v`; what is appended to it is taken off again.
  void operator()(Value& v, std::string& path) {
    switch (v.kind()) {
      case Value::Kind::string: {
        const std::string& text = v.as_string();
        auto refs = find_variables(text);
        if (refs.empty() || is_secret(path)) return;
        const std::string pointer = pointer_of(path);
        for (const auto& r : refs) {
          const auto value = lookup_variable(values, r.name);
          const bool supplied = value.has_value();
          const std::string name = canonical_variable(r.name);
          if (!reported.insert({name, pointer}).second) continue;
          const Documented* d = documented(r.name);
          if (d == nullptr && !supplied) {
            diags.add(msg::unknown_variable({file, pointer}, r.name));
            continue;
          }
          if (d != nullptr) check(*d, value, path, pointer);
          if (!supplied && !values.empty() && (d == nullptr || d->needed.empty()))
            diags.add(msg::variable_without_value({file, pointer}, name));
        }
        if (!values.empty()) v = Value(substitute(text, refs, values));
        return;
      }
      case Value::Kind::array: {
        auto& a = v.as_array();
        const std::size_t base = path.size();
        for (std::size_t i = 0; i < a.size(); ++i) {
          (*this)(a[i], path.append(1, '[').append(std::to_string(i)).append(1, ']'));
          path.resize(base);
        }
        return;
      }
      case Value::Kind::dict: {
        const std::size_t base = path.size();
        for (auto& m : v.as_dict()) {
          (*this)(m.value, (base > 0 ? path.append(1, '.') : path).append(m.key));
          path.resize(base);
        }
        return;
      }
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

bool is_intune_variable(std::string_view name) { return documented(name) != nullptr; }

std::string canonical_variable(std::string_view name) {
  const Documented* d = documented(name);
  return d ? std::string(d->name) : std::string(name);
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
                     const std::function<bool(const std::string&)>& is_secret, Diagnostics& diags,
                     const VariableScope& scope) {
  std::string path;
  Walk{values, scope, file, pointer_of, is_secret, diags, {}}(tree, path);
}

}  // namespace mcc::link
