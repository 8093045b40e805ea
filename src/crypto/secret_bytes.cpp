// SPDX-License-Identifier: Apache-2.0
#include <openssl/crypto.h>

#include "mobileconfigc/sign.hpp"

namespace mcc {

void cleanse(std::string& s) {
  // Wipe the whole allocation: earlier, longer contents may sit past size().
  s.resize(s.capacity());
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.clear(); }

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    clear();
    bytes_ = std::move(other.bytes_);
    other.clear();
  }
  return *this;
}

SecretBytes::~SecretBytes() { clear(); }

void SecretBytes::clear() { cleanse(bytes_); }

}  // namespace mcc
