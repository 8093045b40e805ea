// SPDX-License-Identifier: Apache-2.0
// Encrypted profiles (Apple's EncryptedPayloadContent): the payload array as a plist of its
// own, wrapped in CMS EnvelopedData by the crypto layer.

#include "base/messages.hpp"
#include "crypto/envelope.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/plist.hpp"

namespace mcc {
namespace {

// Apple's top-level keys of an encrypted profile (TopLevel.yaml).
constexpr std::string_view kContent = "PayloadContent";
constexpr std::string_view kEncrypted = "EncryptedPayloadContent";
constexpr std::string_view kIsEncrypted = "IsEncrypted";

std::string_view bytes_of(const Data& d) { return {reinterpret_cast<const char*>(d.bytes.data()), d.bytes.size()}; }

const Data* envelope_of(const Value& profile) {
  const Value* v = profile.is(Value::Kind::dict) ? profile.find(kEncrypted) : nullptr;
  return v && v->is(Value::Kind::data) ? &v->as_data() : nullptr;
}

}  // namespace

std::optional<Value> encrypt_profile(const Value& profile, const Encryptor& encryptor, const std::string& name, Diagnostics& diags) {
  if (!profile.is(Value::Kind::dict) || profile.find(kEncrypted) != nullptr) {
    diags.add(msg::encrypted_payloads_invalid(name, "the profile is already encrypted"));
    return std::nullopt;
  }
  const Value* content = profile.find(kContent);
  if (content == nullptr || !content->is(Value::Kind::array)) {
    diags.add(msg::encrypted_payloads_invalid(name, "the profile has no PayloadContent array to encrypt"));
    return std::nullopt;
  }
  auto plain = serialize_plist(*content, PlistFormat::xml, name, diags);
  if (!plain) return std::nullopt;
  auto der = encryptor.envelope(*plain, name, diags);
  if (!der) return std::nullopt;
  Value out = profile;
  out.erase(kContent);
  out.set(kEncrypted, Value(Data{std::vector<std::uint8_t>(der->begin(), der->end())}));
  out.set(kIsEncrypted, Value(true));
  return out;
}

std::optional<Value> encrypt_profile(const Value& profile, const std::vector<NamedBytes>& recipients, const std::string& name,
                                     std::int64_t now, Diagnostics& diags, KeyTransport transport) {
  auto encryptor = Encryptor::load(recipients, transport, now, diags);
  if (!encryptor) return std::nullopt;
  return encrypt_profile(profile, *encryptor, name, diags);
}

std::optional<std::string> decrypt_payload_bytes(const Value& profile, const NamedSecret& key, const PassphraseSource& passphrase,
                                                 std::string_view passphrase_options, const std::string& name, Diagnostics& diags) {
  const Data* der = envelope_of(profile);
  if (der == nullptr) {
    diags.add(msg::encrypted_payloads_invalid(name, "the profile is not encrypted (it has no EncryptedPayloadContent data)"));
    return std::nullopt;
  }
  return crypto::open_envelope(bytes_of(*der), key, passphrase, passphrase_options, name, diags);
}

std::optional<Value> decrypt_profile(const Value& profile, const NamedSecret& key, const PassphraseSource& passphrase,
                                     std::string_view passphrase_options, const std::string& name, Diagnostics& diags) {
  auto plain = decrypt_payload_bytes(profile, key, passphrase, passphrase_options, name, diags);
  if (!plain) return std::nullopt;
  Diagnostics parse;
  auto array = parse_plist(*plain, name, parse);
  bool ok = array && array->is(Value::Kind::array);
  for (std::size_t i = 0; ok && i < array->as_array().size(); ++i) ok = array->as_array()[i].is(Value::Kind::dict);
  if (!ok) {
    diags.add(msg::encrypted_payloads_invalid(name, "the decrypted content is not a property list of payload dictionaries"));
    return std::nullopt;
  }
  Value out = profile;
  out.erase(kEncrypted);
  out.erase(kIsEncrypted);
  out.set(kContent, std::move(*array));
  return out;
}

std::optional<EncryptionSummary> encryption_of(const Value& profile) {
  const Data* der = envelope_of(profile);
  if (der == nullptr) return std::nullopt;
  auto info = crypto::describe_envelope(bytes_of(*der));
  EncryptionSummary out;
  out.size = der->bytes.size();
  out.readable = info.ok;
  out.problem = info.error;
  out.content_type = info.content_type;
  out.recipients = std::move(info.recipients);
  out.not_for_apple = std::move(info.not_for_apple);
  return out;
}

}  // namespace mcc
