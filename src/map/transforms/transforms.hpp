// SPDX-License-Identifier: Apache-2.0
#pragma once
// Declarations of every registered transform (one .cpp each).

#include "map/transforms/registry.hpp"

namespace mcc::map::transforms {

/// [{k: "a", v: "b"}, ...] → {a: "b"}; args name the key and value fields.
std::optional<Value> key_value_dict(Context& ctx);
/// Records a link to the identity certificate payload the object references
/// (@odata.bind, an expanded object, or an IntuneManagement reference).
std::optional<Value> certificate_link(Context& ctx);

/// A UUID derived from the object's Graph id and args.role.
std::optional<Value> stable_uuid(Context& ctx);

/// A subject template (from a subject-name-format member or free text) → Apple's nested
/// [[[type, value]], ...] array; Intune variables stay in the values, substituted later.
std::optional<Value> x500_subject(Context& ctx);
/// One SCEP URL out of a list (warns when several; --scep-url-index picks).
std::optional<Value> scep_server_url(Context& ctx);
/// The SCEP challenge from the compile options (never from Graph); warns when there is none.
std::optional<Value> scep_challenge(Context& ctx);
std::optional<Value> vpn_subtype(Context& ctx);
/// A comma-joined Graph flag set → the sum of args.bits of its members.
std::optional<Value> flag_bits(Context& ctx);
/// Marks the object as a device-store certificate (args.device members); writes nothing.
std::optional<Value> certificate_scope(Context& ctx);
/// Custom and legacy subject alternative names → Apple's SubjectAltName dictionary.
std::optional<Value> subject_alt_names(Context& ctx);
/// Base64 certificate → DER data, checked with OpenSSL (error when not a certificate,
/// warning when expired or not a CA).
std::optional<Value> trusted_certificate(Context& ctx);
/// One part (args.part: data, password, fileName) of the PKCS#12 identity from --identity-p12
/// or lab issuance; without either, an error (MCC-M021) naming both.
std::optional<Value> pkcs12_identity(Context& ctx);
/// certificateValidityPeriodValue + the scale at args.scaleProperty → {value, unit}.
std::optional<Value> validity_period(Context& ctx);
/// [{..., field: "x"}, ...] → ["x", ...]: the string at args.field of every element, in order;
/// an element without one is an error (MCC-M030).
std::optional<Value> field_values(Context& ctx);

}  // namespace mcc::map::transforms
