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
    ctx.diags.add(msg::certificate_invalid(where, property, "it is empty"));
    return std::nullopt;
  }
  auto bytes = decode_base64(text);
  if (!bytes) {
    std::string why = "it is not valid base64";
    if (text.find("...") != std::string::npos) why += " (it contains \"...\": was it shortened?)";
    ctx.diags.add(msg::certificate_invalid(where, property, why));
    return std::nullopt;
  }
  std::string_view raw(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  std::string why;
  std::optional<crypto::Certificate> cert = crypto::read_certificate(raw, why);
  if (!cert) {
    ctx.diags.add(msg::certificate_invalid(where, property, "its " + std::to_string(bytes->size()) + " bytes are " + why));
    return std::nullopt;
  }
  const CertificateSummary& info = cert->summary;
  const std::int64_t now = ctx.input.now;
  if (info.not_after < now)
    ctx.diags.add(msg::certificate_questionable(where, property, "the certificate " + info.subject + " expired on " +
                                                                     crypto::format_date(info.not_after) + "; devices will not trust it"));
  else if (info.not_before > now)
    ctx.diags.add(msg::certificate_questionable(where, property, "the certificate " + info.subject + " is not valid before " +
                                                                     crypto::format_date(info.not_before)));
  if (ctx.args.flag("requireCa") && !cert->is_ca)
    ctx.diags.add(msg::certificate_questionable(where, property, "the certificate " + info.subject +
                                                                     " is not a CA certificate (no basicConstraints cA); as a trusted root it anchors nothing it did not sign itself"));
  return Value(Data{std::move(cert->der)});
}

}  // namespace mcc::map::transforms
