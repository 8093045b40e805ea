#pragma once
/// Diagnostics: what every stage reports instead of printing or throwing.

#include <string>
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
};

/// An append-only list of diagnostics with the questions callers ask of it.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t count(Severity s) const;
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

/// "file: /pointer: error MCC-X000: message" — the one line format the CLI prints.
std::string format_diagnostic(const Diagnostic& d);

}  // namespace mcc
