// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Which profile values are secrets: passwords, shared secrets, SCEP challenges and
/// private keys. One rule, from Apple's schema (schemas/apple-overlay.json secretKeys),
/// used by diagnostics (never quote a secret), Intune variable substitution (never rewrite
/// one), `inspect` (redact them) and the command line (write a profile holding one 0600).

#include <string_view>

#include "mobileconfigc/value.hpp"

namespace mcc {

/// True when the value at `key_path` of a payload of type `payload_type` is a secret or
/// lies inside one. `key_path` is a key ("SharedSecret") or a path of keys and indices
/// ("IKEv2.SharedSecret", "EAPClientConfiguration.UserPassword", "Passwords[0].Password").
/// A key Apple's schema knows is secret when the schema marks it so (the PKCS#12 payload's
/// PayloadContent and Password, every SharedSecret, Challenge and *Password key Apple
/// lists); a key it does not know (a payload type it does not carry, a VendorConfig key)
/// is secret when its name is one of those or contains "Password", "Secret" or
/// "Passphrase" (any case).
bool is_secret_key(std::string_view payload_type, std::string_view key_path);

/// True when `profile` (a whole profile: the top level and the payloads in its
/// PayloadContent) holds a value under a secret key.
bool holds_secret(const Value& profile);

}  // namespace mcc
