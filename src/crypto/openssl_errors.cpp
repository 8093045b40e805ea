// SPDX-License-Identifier: Apache-2.0
#include "crypto/openssl_errors.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <cctype>

namespace mcc::crypto {

std::string drain_errors(const std::string& fallback) {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(e);
    std::string text = reason ? reason : "error code " + std::to_string(ERR_GET_REASON(e));
    // The same reason often repeats up the call stack; once is enough.
    if (out.find(text) != std::string::npos) continue;
    if (!out.empty()) out += "; ";
    out += text;
  }
  if (out.empty()) return fallback;
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace mcc::crypto
