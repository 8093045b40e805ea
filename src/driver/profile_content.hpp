// SPDX-License-Identifier: Apache-2.0
#pragma once
// The profile decompile and --as custom read: the bytes given, or a signed profile's content.

#include <optional>
#include <string>

#include "mobileconfigc/compile.hpp"

namespace mcc::driver {

struct ProfileContent {
  std::string bytes;    // the unsigned profile
  bool signed_input;    // it came out of a CMS signature, which was not checked
};

/// `input`'s profile: its bytes, or a signed profile's content, read without checking the
/// signature. Nothing (MCC-D012) when a signed profile's content cannot be read.
std::optional<ProfileContent> profile_content(const InputFile& input, Diagnostics& diags);

}  // namespace mcc::driver
