// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reading the tables back to people (explain) and to tests (coverage).

#include <string>
#include <vector>

#include "schema/graph_schema.hpp"
#include "map/table.hpp"

namespace mcc::map {

/// One line of the mapping as a person reads it.
struct ExplainLine {
  std::string from;         // "/server/address", "/onDemandRules/*/ssids", or "" for constants
  std::string to;           // "IKEv2.RemoteAddress", or "" for none rows
  std::string translation;  // "medium → Medium, ...", "true → 1", "= IKEv2", transform name
  std::string condition;    // "unless /x is true"
  std::string reason;       // none rows: why there is no profile key; then the note and the source
  std::string label;        // what stands for an empty `from`: "(payload variant)"; "" = "(always)"
  std::vector<std::string> details;  // one line each: a transform argument, an enum member's note
  bool notice = false;      // a notice row: writes nothing, only reports
};

/// The payload variants of `table` first, then one line per row, nested tables flattened.
std::vector<ExplainLine> explain_lines(const TableSet& tables, const Table& table);
/// `lab_of`: `table` is the lab variant of that type table (shown as "TYPE under lab issuance").
std::string render_explain(const Table& table, const std::vector<ExplainLine>& lines, bool markdown,
                           const Table* lab_of = nullptr);

/// "iosikEv2VpnConfiguration: /foo" for every Graph property no row accounts for, and
/// "iosikEv2VpnConfiguration: row from /bar names no property" for rows naming unknown ones.
std::vector<std::string> coverage_gaps(const TableSet& tables, const schema::GraphSchema& graph);

}  // namespace mcc::map
