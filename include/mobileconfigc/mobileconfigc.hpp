// SPDX-License-Identifier: Apache-2.0
#pragma once
/// mobileconfigc: Microsoft Graph (Intune) device configuration JSON → Apple
/// configuration profiles. This umbrella header is the whole public API.

#include "mobileconfigc/batch.hpp"
#include "mobileconfigc/compile.hpp"
#include "mobileconfigc/decompile.hpp"
#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/plist.hpp"
#include "mobileconfigc/profile_view.hpp"
#include "mobileconfigc/secrets.hpp"
#include "mobileconfigc/sign.hpp"
#include "mobileconfigc/value.hpp"
