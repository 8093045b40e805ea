// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Diagnostics: what every stage reports instead of printing or throwing.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcc {

enum class Severity { note, warning, error };

/// One finding. `code` is stable (MCC-R… read, MCC-C… check, MCC-M… map,
/// MCC-T… tables, MCC-S… sign, MCC-O… output); `pointer` is a JSON pointer
/// into `file` ("" when the finding is about the whole file).
struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;
  std::string file;
  std::string pointer;
  std::string message;
  /// The option a caller can set to act on the finding, by a neutral name: "type" (the
  /// Graph type), "var" (an Intune variable's value), "scep-challenge", "scep-url-index",
  /// "vpn-subtype", "link", "passphrase", "sign-chain"; empty when none. Messages never
  /// spell an option's command-line form: a front end adds its own hint from this field
  /// (the command-line tool appends "(give it a value with --var NAME=...)" and the like).
  std::string argument;
  /// What the hint names with `argument`, when it names something: the variable for "var"
  /// (and the variable that also supplies a "scep-challenge"), the link for "link".
  std::string argument_value;
  /// Which Graph object of the compile the finding is about: its position among the objects
  /// of the inputs, in input order. Nothing for findings about a whole input or the profile.
  std::optional<std::size_t> object;
  /// The mapping table row that produced the finding: "<table>#<row>" ("appleVpnConfiguration#12");
  /// empty when no row did.
  std::string row;
};

/// An append-only list of diagnostics with the questions callers ask of it.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }
  /// Sets `object` on the findings from position `first` on that have none.
  void set_object(std::size_t first, std::size_t object);
  /// Sets `row` on the findings from position `first` on that have none.
  void set_row(std::size_t first, const std::string& row);
  [[nodiscard]] std::size_t size() const { return items_.size(); }
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t count(Severity s) const;
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

/// "file: /pointer: error MCC-X000: message" — the one line format the CLI prints.
/// Always exactly one line, whatever the input put into the file name, pointer or
/// message: they pass through escape_for_display().
std::string format_diagnostic(const Diagnostic& d);

/// `text` made safe to print as (part of) one line on a terminal: C0 controls, DEL and
/// C1 controls, and the invisible code points that reorder or hide text (bidirectional
/// overrides and isolates, zero-width characters, line and paragraph separators, tag
/// characters) are written as escapes: \n, \t, \r, \x1b, \u{202e}; a byte that is not
/// part of well-formed UTF-8 as \xNN. Everything else, backslashes included, is kept.
std::string escape_for_display(std::string_view text);

}  // namespace mcc
