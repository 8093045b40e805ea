#pragma once
// Whether a profile holds a secret, which decides the mode of the file it is written to.

#include "mobileconfigc/value.hpp"

namespace mcc::cli {

/// True when the profile carries a shared secret, a password, a SCEP challenge or a
/// PKCS#12 identity: such a file is written 0600 whatever the umask (SECURITY.md, "Files").
bool profile_holds_secret(const mcc::Value& root);

}  // namespace mcc::cli
