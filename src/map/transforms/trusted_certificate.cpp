// SPDX-License-Identifier: Apache-2.0
#include <cstdint>

#include "crypto/certificate.hpp"
#include "base/messages.hpp"
#include "base/base64.hpp"
#include "map/transforms/transforms.hpp"

namespace mcc::map::transforms {

// base64 DER (or base64 of PEM text) → the certificate as DER data, after checking that it is
// one. args.requireCa: warn when the certificate is not a CA certificate.
std::optional<Value> trusted_certificate(Context& ctx) {
  if (ctx.value.is_null()) return std::nullopt;
  std::string property = ctx.pointer.substr(ctx.pointer.rfind('/') + 1);
  msg::Where where{ctx.file, ctx.pointer};
  if (!ctx.value.is_string()) return std::nullopt;  // the check stage reported the type
  const std::string& text = ctx.value.get_ref<const std::string&>();
  if (text.empty()) {
    ctx.diags.add(msg::certificate_empty(where, property));
    return std::nullopt;
  }
  auto bytes = decode_base64(text);
  if (!bytes) {
    ctx.diags.add(msg::certificate_not_base64(where, property, text.find("...") != std::string::npos));
    return std::nullopt;
  }
  std::string_view raw(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  std::string why;
  std::optional<crypto::Certificate> cert = crypto::read_certificate(raw, why);
  if (!cert) {
    ctx.diags.add(msg::certificate_unreadable(where, property, bytes->size(), why));
    return std::nullopt;
  }
  const CertificateSummary& info = cert->summary;
  const std::int64_t now = ctx.input.now;
  if (info.not_after < now)
    ctx.diags.add(msg::certificate_expired(where, property, info.subject, crypto::format_date(info.not_after)));
  else if (info.not_before > now)
    ctx.diags.add(msg::certificate_not_yet_valid(where, property, info.subject, crypto::format_date(info.not_before)));
  if (ctx.args.flag("requireCa") && !cert->is_ca)
    ctx.diags.add(msg::certificate_not_ca(where, property, info.subject));
  return Value(Data{std::move(cert->der)});
}

}  // namespace mcc::map::transforms
