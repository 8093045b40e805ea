#include "cli/diagnostics_printer.hpp"

namespace mcc::cli {

void print_diagnostics(std::ostream& out, const Diagnostics& diags) {
  for (const auto& d : diags.items()) out << format_diagnostic(d) << '\n';
}

}  // namespace mcc::cli
