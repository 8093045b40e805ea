// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "base/messages.hpp"
#include "map/transforms/subject.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {
namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string parent_of(const std::string& pointer) {
  auto slash = pointer.rfind('/');
  return slash == std::string::npos ? std::string() : pointer.substr(0, slash);
}


}  // namespace

// args: customProperty (the free-text subject property), formats (subject-format member →
// subject template, null for "use customProperty"), shortcuts (attribute names Apple
// understands), types (other attribute names → an Apple shortcut or a dotted OID).
std::optional<Value> x500_subject(Context& ctx) {
  const std::string& custom_prop = ctx.args.text("customProperty");
  const nlohmann::json* custom = nullptr;
  if (auto it = ctx.object.find(custom_prop); it != ctx.object.end() && it->is_string()) custom = &*it;
  std::string parent = parent_of(ctx.pointer);
  std::string custom_ptr = parent + "/" + custom_prop;

  std::string text, where = ctx.pointer, property = custom_prop;
  if (ctx.value.is_string()) {
    const std::string& member = ctx.value.get_ref<const std::string&>();
    const auto& formats = ctx.args.object("formats");
    auto f = formats.find(member);
    if (f == formats.end()) {
      ctx.diags.add(msg::no_apple_value({ctx.file, ctx.pointer}, msg::quote(member), ctx.target_path,
                                        "no subject is known for this subject name format"));
      return std::nullopt;
    }
    if (f->is_string()) {
      text = f->get<std::string>();
      property = "the subject for " + member;
      if (custom && !custom->get_ref<const std::string&>().empty())
        ctx.diags.add(msg::subject_from_format({ctx.file, custom_ptr}, ctx.pointer.substr(parent.size() + 1), member, text));
    } else if (custom) {
      text = custom->get<std::string>();
      where = custom_ptr;
    }
  } else if (custom) {  // no format given: the free-text subject is all there is
    text = custom->get<std::string>();
    where = custom_ptr;
  }
  if (text.empty()) {
    if (custom || ctx.value.is_string())
      ctx.diags.add(msg::empty_subject({ctx.file, where}));
    return std::nullopt;
  }

  // The template is parsed with its Intune variables in place; they are substituted later,
  // with every other string of the payload, inside the attribute values: a comma or a quote
  // in a user's name stays part of the value, and nothing is substituted twice.
  ParsedSubject parsed = parse_subject(text);
  if (!parsed.ok()) {
    ctx.diags.add(msg::subject_unparsable({ctx.file, where}, property, parsed.error, parsed.error_offset, text));
    return std::nullopt;
  }

  const std::vector<std::string> shortcuts = ctx.args.texts("shortcuts");
  const nlohmann::json& types = ctx.args.object("types");
  Array rdns;
  for (const auto& rdn : parsed.rdns) {
    Array pairs;
    for (const auto& attr : rdn) {
      std::string type = attr.type;
      std::string key = upper(type);
      if (std::isdigit(static_cast<unsigned char>(type[0]))) {
        // a dotted OID is already in Apple's form
      } else if (std::find(shortcuts.begin(), shortcuts.end(), key) != shortcuts.end()) {
        type = key;
      } else if (auto t = types.find(key); t != types.end() && t->is_string()) {
        type = t->get<std::string>();
      } else {
        ctx.diags.add(msg::subject_attribute_unknown({ctx.file, where}, property, attr.type));
        return std::nullopt;
      }
      pairs.push_back(Value(Array{Value(type), Value(attr.value)}));
    }
    rdns.push_back(Value(std::move(pairs)));
  }
  return Value(std::move(rdns));
}

}  // namespace mcc::map::transforms
