// SPDX-License-Identifier: Apache-2.0
#pragma once
// The inverse of the map stage (decompile): one payload dictionary → one Graph object, by
// walking the same expanded rows the Mapper walks. Each row kind has one generic inverse;
// transforms bring their own (map/transforms/inverse.hpp). What a key path is carried by,
// or why it is not, is recorded per key; the driver verifies the claims by compiling back.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "map/table.hpp"
#include "map/transforms/inverse.hpp"
#include "mobileconfigc/identity.hpp"
#include "mobileconfigc/value.hpp"

namespace mcc::map {

/// What decompiling says about one payload key.
struct KeyOutcome {
  bool claimed = false;       // a row carries it (the driver verifies that by compiling back)
  std::string graph_pointer;  // the Graph property it went to (claimed)
  std::string reason;         // why it is not carried (not claimed)
  bool error = false;         // the value has no Graph equivalent
  bool lossy = false;         // a lossy transform writes it: not carried even when compiling back reproduces it
  std::string argument;       // the option that supplies what is lost (a Diagnostic::argument), if one does
};

struct UnmappedObject {
  const Table* table = nullptr;
  nlohmann::json object;                    // the Graph object (without @odata.type and id)
  std::map<std::string, KeyOutcome> keys;   // payload key path → outcome
  std::map<std::string, KeyOutcome> profile_keys;  // top-level key → outcome (profile-scope rows)
  std::vector<ReferenceClaim> references;
  std::size_t claimed = 0;                  // keys with a home, to choose among candidate tables
};

/// The payload tables that can produce a payload of `payload_type`: their own type, or a
/// constant row writing it to PayloadType.
std::vector<const Table*> tables_for_payload(const TableSet& tables, std::string_view payload_type);

/// Inverts `table` over `payload`. `profile` (the top-level dictionary) fills, through the
/// profile-scope rows, what the payload leaves unset; nullptr for none. `id` is the Graph id
/// the object gets (stableUuid checks against it).
UnmappedObject unmap_payload(const TableSet& tables, const Table& table, const Value& payload, const Value* profile,
                             const std::string& id);

/// The identity `payload` embeds where `table` writes one (the rows of transform
/// pkcs12Identity: its data, password and file name). Graph does not carry it, so compiling
/// the decompiled object back needs it given, as --identity-p12 gives it. Nothing when the
/// table writes no identity or the payload holds no data there.
std::optional<PayloadIdentity> embedded_identity(const TableSet& tables, const Table& table, const Value& payload);

}  // namespace mcc::map
