// SPDX-License-Identifier: Apache-2.0
#include "cli/json_report.hpp"

#include <iostream>
#include <mutex>
#include <vector>

#include "cli/diagnostics_printer.hpp"

namespace mcc::cli {
namespace {

struct Collected {
  std::mutex mutex;  // a batch's workers report their findings concurrently
  std::vector<Json> diagnostics;
  Json body = Json::object();
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

}  // namespace

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
  Json j = diagnostic_json(d);
  std::lock_guard lock(collected().mutex);
  collected().diagnostics.push_back(std::move(j));
}

int finish_json_report(const CLI::App& command, int exit_code) {
  if (!report_policy().json) return exit_code;
  exit_code = apply_warnings_as_errors(exit_code);  // as main() would; applying it again there changes nothing
  Collected& c = collected();
  Json doc{{"version", kJsonFormatVersion}, {"command", command.get_name()}, {"exit_code", exit_code}};
  for (auto it = c.body.begin(); it != c.body.end(); ++it) doc[it.key()] = std::move(*it);
  doc["diagnostics"] = std::move(c.diagnostics);
  c.body = Json::object();
  c.diagnostics.clear();
  report_policy().json = false;  // a failure to write the document is told on standard error
  // Input text that is not UTF-8 (a file name, a value inspect shows) becomes U+FFFD
  // rather than stopping the encoder.
  std::cout << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  return exit_code;
}

}  // namespace mcc::cli
