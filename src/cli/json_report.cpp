// SPDX-License-Identifier: Apache-2.0
#include "cli/json_report.hpp"

#include <iostream>
#include <map>
#include <mutex>
#include <string_view>
#include <vector>

#include "cli/diagnostics_printer.hpp"

namespace mcc::cli {
namespace {

struct Collected {
  std::mutex mutex;  // a batch's workers report their findings concurrently
  std::vector<std::string> diagnostics;  // each as json_text() writes it
  Json body = Json::object();
  std::map<std::string, std::vector<std::string>> array_texts;  // body keys whose array is given as text
};

Collected& collected() {
  static Collected c;
  return c;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

// Writes `text`, which json_text() wrote at the document's top level, as it stands `depth`
// levels down: every line after the first indented by two spaces a level (a dump has a
// newline only between its lines: its strings hold escapes, never a line break).
void write_indented(std::ostream& out, std::string_view text, std::size_t depth) {
  const std::string indent(2 * depth, ' ');
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find('\n', start);
    out << text.substr(start, end == std::string_view::npos ? std::string_view::npos : end + 1 - start);
    if (end == std::string_view::npos) return;
    out << indent;
    start = end + 1;
  }
}

// An array of elements given as text, at the document's first level, as Json::dump(2)
// writes an array there.
void write_array(std::ostream& out, const std::vector<std::string>& elements) {
  if (elements.empty()) {
    out << "[]";
    return;
  }
  out << "[\n";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out << (i > 0 ? ",\n    " : "    ");
    write_indented(out, elements[i], 2);
  }
  out << "\n  ]";
}

}  // namespace

std::string json_text(const Json& value) { return value.dump(2, ' ', false, Json::error_handler_t::replace); }

void set_json_array_text(const std::string& key, std::vector<std::string> elements) {
  Collected& c = collected();
  c.body[key] = nullptr;  // its place among the command's keys
  c.array_texts[key] = std::move(elements);
}

void add_json_flag(CLI::App& cmd) {
  cmd.add_flag("--json", report_policy().json,
               "Write one JSON document on standard output (findings included) instead of the report and "
               "diagnostics (see docs/json.md)");
}

Json& json_report() { return collected().body; }

Json diagnostic_json(const Diagnostic& d) {
  // Escaped as the one-line form is: the same text, and always valid UTF-8 for the encoder.
  return Json{{"file", escape_for_display(d.file)},
              {"pointer", escape_for_display(d.pointer)},
              {"severity", severity_name(d.severity)},
              {"code", d.code},
              {"message", escape_for_display(d.message + command_line_hint(d))}};
}

Json certificate_json(const CertificateSummary& c) {
  return Json{{"subject", c.subject},
              {"issuer", c.issuer},
              {"serial", c.serial},
              {"not_before", format_utc(c.not_before)},
              {"not_after", format_utc(c.not_after)},
              {"key", c.key},
              {"self_signed", c.self_signed},
              {"sha256", c.sha256}};
}

void collect_for_json(const Diagnostic& d) {
  std::string text = json_text(diagnostic_json(d));
  std::lock_guard lock(collected().mutex);
  collected().diagnostics.push_back(std::move(text));
}

int finish_json_report(const CLI::App& command, int exit_code) {
  if (!report_policy().json) return exit_code;
  exit_code = apply_warnings_as_errors(exit_code);  // as main() would; applying it again there changes nothing
  Collected& c = collected();
  report_policy().json = false;  // a failure to write the document is told on standard error
  // Written member by member: the manifest and the findings of a large batch are held as
  // text, never as one JSON value or one string. Input text that is not UTF-8 (a file name,
  // a value inspect shows) becomes U+FFFD rather than stopping the encoder.
  std::ostream& out = std::cout;
  out << "{\n";
  auto member = [&, first = true](const std::string& key) mutable {
    out << (first ? "  " : ",\n  ") << json_text(Json(key)) << ": ";
    first = false;
  };
  auto value = [&](const Json& v) { write_indented(out, json_text(v), 1); };
  member("version");
  value(kJsonFormatVersion);
  member("command");
  value(command.get_name());
  member("exit_code");
  value(exit_code);
  for (auto it = c.body.begin(); it != c.body.end(); ++it) {
    member(it.key());
    if (auto text = c.array_texts.find(it.key()); text != c.array_texts.end()) write_array(out, text->second);
    else value(*it);
  }
  member("diagnostics");
  write_array(out, c.diagnostics);
  out << "\n}\n";
  c.body = Json::object();
  c.array_texts.clear();
  c.diagnostics.clear();
  return exit_code;
}

}  // namespace mcc::cli
