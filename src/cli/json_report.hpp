// SPDX-License-Identifier: Apache-2.0
#pragma once
// --json: the one JSON document a command writes on standard output instead of its human
// report (docs/json.md; the schema is docs/json/mobileconfigc.schema.json).

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "mobileconfigc/diagnostic.hpp"
#include "mobileconfigc/sign.hpp"

namespace mcc::cli {

using Json = nlohmann::ordered_json;

/// The document's format version: raised when a key changes meaning or goes away (new keys
/// may appear without it).
inline constexpr int kJsonFormatVersion = 1;

/// Adds `--json` to `cmd`: the command then reports through json_report() and the diagnostics
/// printer collects the findings into it instead of printing them.
void add_json_flag(CLI::App& cmd);

/// The command's own part of the document (keys after "version", "command", "exit_code"),
/// filled by the command when --json was given.
Json& json_report();

/// A finding as an object: file, pointer, severity, code, message; the same fields, and the
/// same text, as its one-line form (format_for_command_line), hint included.
Json diagnostic_json(const Diagnostic& d);

/// A certificate as `verify --json` and `inspect --json` show it.
Json certificate_json(const CertificateSummary& c);

/// Takes a finding into the document (print_diagnostics does it when --json was given). It
/// is kept as the text it will have in the document, not as a JSON value (several times
/// larger): a batch of 10,000 files collects some 25,000.
void collect_for_json(const Diagnostic& d);

/// Sets the command's key `key` to an array whose elements are given already written, each
/// as `Json::dump(2)` writes it (json_text()): a batch's manifest, element by element, so
/// that it is never held as one JSON value.
void set_json_array_text(const std::string& key, std::vector<std::string> elements);

/// `value` as the document writes it: indented by two, invalid UTF-8 replaced.
std::string json_text(const Json& value);

/// Ends a command that may have been given --json; returns its exit code. With --json the
/// exit code is made final here (--warnings-as-errors, whose MCC-U003 the document then
/// holds) and the document is written to standard output, member by member: {"version",
/// "command", "exit_code", ...the command's keys, "diagnostics"}, exactly as
/// `Json::dump(2)` would write it whole. Later diagnostics print as usual.
int finish_json_report(const CLI::App& command, int exit_code);

}  // namespace mcc::cli
