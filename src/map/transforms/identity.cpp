// SPDX-License-Identifier: Apache-2.0
// Transforms of certificate profiles' identities: the embedded identity (given or issued), and
// the lab identity's validity and extended key usages.

#include "base/messages.hpp"
#include "base/pointer.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {
namespace {

// The object's pointer: the rows that read no property point at the object itself.
std::string object_pointer(const Context& ctx) { return ctx.pointer; }

}  // namespace

// args.part: "data" (the PKCS#12 bytes), "password" (its passphrase, a secret), "fileName".
std::optional<Value> pkcs12_identity(Context& ctx) {
  const std::string& part = ctx.args.text("part");
  const PayloadIdentity* id =
      ctx.input.issue_identity ? ctx.input.issue_identity(ctx.issuance, ctx.file, object_pointer(ctx)) : ctx.input.identity;
  if (id == nullptr) {
    // Reported once per object, by the row that writes the identity itself; lab issuance reported its own failure.
    if (part == "data" && !ctx.input.issue_identity) ctx.diags.add(msg::identity_missing({ctx.file, object_pointer(ctx)}));
    return std::nullopt;
  }
  if (part == "data") return Value(Data{std::vector<std::uint8_t>(id->pkcs12.begin(), id->pkcs12.end())});
  if (part == "password") return id->password.empty() ? std::nullopt : std::optional<Value>(Value(id->password));
  return Value(id->file_name);
}

// certificateValidityPeriodValue (here) and the scale at args.scaleProperty → {value, unit}.
std::optional<Value> validity_period(Context& ctx) {
  if (!ctx.value.is_number_integer()) return std::nullopt;
  const std::int64_t value = ctx.value.get<std::int64_t>();
  std::string unit = "days";
  if (auto it = ctx.object.find(ctx.args.text("scaleProperty")); it != ctx.object.end() && it->is_string())
    unit = it->get<std::string>();
  if (value <= 0) {
    ctx.diags.add(msg::validity_not_issuable({ctx.file, ctx.pointer}, value, unit));
    return std::nullopt;
  }
  Value out{Dict{}};
  out.set("value", Value(value));
  out.set("unit", Value(unit));
  return out;
}

// An array of objects → the string each holds at args.field (a lab certificate's extended key
// usages: the dotted OIDs of Graph's EKU list). Nothing for an empty list.
std::optional<Value> field_values(Context& ctx) {
  if (!ctx.value.is_array()) return std::nullopt;
  const std::string& field = ctx.args.text("field");
  Array out;
  for (std::size_t i = 0; i < ctx.value.size(); ++i) {
    const auto& item = ctx.value[i];
    const auto it = item.is_object() ? item.find(field) : item.end();
    if (!item.is_object() || it == item.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      ctx.diags.add(msg::entry_without_key({ctx.file, pointer_join(ctx.pointer, i)}, field));
      continue;
    }
    out.push_back(Value(it->get<std::string>()));
  }
  if (out.empty()) return std::nullopt;
  return Value(std::move(out));
}

}  // namespace mcc::map::transforms
