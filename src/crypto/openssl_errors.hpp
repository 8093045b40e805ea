// SPDX-License-Identifier: Apache-2.0
#pragma once
// OpenSSL's thread-local error queue turned into text for our diagnostics.

#include <string>

namespace mcc::crypto {

/// The queued OpenSSL errors as "reason; reason" (lowercase, no file names or
/// secrets), or `fallback` when the queue is empty. Empties the queue.
std::string drain_errors(const std::string& fallback);

}  // namespace mcc::crypto
