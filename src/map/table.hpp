#pragma once
// Mapping tables (mappings/*.json): the declarative description of how one Graph
// type becomes Apple payload keys. Rows hold literal data only; see mappings/README.md.

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::map {

struct Condition {
  std::string pointer;                 // relative to the object the row applies to
  std::vector<nlohmann::json> any_of;  // holds when the value equals one of these
};

enum class RowKind { none, constant, copy, table, each, transform, include };

struct Row {
  RowKind kind = RowKind::copy;
  std::size_t index = 0;    // position in its table, for diagnostics ("table#3")
  std::string table_name;   // the table this row was written in
  std::optional<std::string> from;  // JSON pointer relative to the current object; "" = the object itself
  std::string to;           // payload key path: "IKEv2.MTU", "ActionParameters[0].Domains"
  bool profile_scope = false;  // "scope": "profile" writes into the top-level dictionary
  std::string none_reason;  // kind none: why there is no profile key
  bool warn_if_set = false; // kind none: warn when the input sets the property
  nlohmann::json value;     // kind constant
  std::string as;           // coercion: "", integer01, invert01, nonEmpty01, data, string
  std::optional<nlohmann::json> enum_map;  // Graph member → Apple value (null = omit)
  std::string unmapped_reason;             // why members missing from enum_map have no Apple value
  std::map<std::string, std::string> enum_notes;  // member → warning shown when it is used
  std::vector<std::string> prefer;  // enum rows: the members decompile chooses when several give one Apple value
  std::string nested;       // kind table / each / include: the table name
  std::string transform;    // kind transform: registry name
  nlohmann::json args;      // kind transform: literal arguments
  std::vector<Condition> when, unless;
  std::string quiet_skip;   // when set, skipping this row is expected and not warned
  bool secret = false;      // never print the value
  std::map<std::string, std::string> with;  // kind include: {name} substitutions in `to`
  std::vector<std::string> except;          // kind include: rows (by from) left out
  std::string note;         // free text for explain
};

/// The JSON shape of a transform argument: a closed set, like the transforms.
enum class ArgType {
  string,                  // "text"
  boolean,                 // true or false
  string_array,            // ["a", "b"]
  string_object,           // {"member": "text"}
  nullable_string_object,  // {"member": "text", "other": null}
  integer_object,          // {"member": 4}
};

/// One argument a transform accepts in a row's `args`, declared next to the transform in
/// the registry (src/map/transforms/registry.cpp).
struct TransformArg {
  std::string name;
  ArgType type = ArgType::string;
  bool required = false;
  nlohmann::json fallback;        // the value an optional argument takes when a row leaves it out
  std::vector<std::string> one_of;  // a string argument's allowed values (empty: any)
};

/// A transform's name and every argument it accepts.
struct TransformSignature {
  std::string name;
  std::vector<TransformArg> args;
};

struct Table {
  std::string name;
  std::string source;  // where it was loaded from
  std::optional<std::string> graph_type;
  std::optional<std::string> platform;      // default platform of the type's profiles
  std::optional<std::string> payload_type;  // type tables: the Apple PayloadType
  std::string payload_role;                 // type tables: suffix of PayloadIdentifier
  std::vector<Row> rows;
};

class TableSet {
 public:
  /// Loads tables from (name, json text) pairs; unknown row fields, unknown transform
  /// names, dangling table references and transform arguments that do not match the
  /// transform's signature (unknown, missing though required, of the wrong JSON type)
  /// are MCC-T001 errors. Every transform row leaves here with all its declared
  /// arguments present and typed: the optional ones it left out take their fallback.
  /// `built_in`: the tables compiled into the binary, whose includes are known to expand
  /// to valid rows (tests/unit check it); their expansion is left until a table is used,
  /// which saves a fresh process the expansion of every table it does not compile.
  static std::optional<TableSet> load(const std::vector<std::pair<std::string, std::string>>& files,
                                      const std::vector<TransformSignature>& transforms, Diagnostics& diags,
                                      bool built_in = false);

  [[nodiscard]] const Table* find(std::string_view name) const;
  /// The table whose graphType is `type` (in any letter case) and that defines a payload.
  [[nodiscard]] const Table* for_graph_type(std::string_view type) const;
  [[nodiscard]] std::vector<std::string> supported_types() const;
  [[nodiscard]] const std::map<std::string, Table, std::less<>>& all() const { return tables_; }

  /// The rows of `table` with includes expanded in place ({name} substituted, except
  /// applied); computed once, at load time or (built-in tables) on first use, thread-safely.
  /// For a table without includes, its own rows.
  [[nodiscard]] const std::vector<Row>& expanded_rows(const Table& table) const;

 private:
  void expand(const Table& t, const std::map<std::string, std::string>& with,
              const std::vector<std::string>& except, std::vector<Row>& out, int depth) const;
  std::map<std::string, Table, std::less<>> tables_;
  struct Expansion {
    std::once_flag once;
    std::vector<Row> rows;
  };
  // Tables with includes only; filled by load() or on the first expanded_rows().
  std::map<std::string, std::unique_ptr<Expansion>, std::less<>> expanded_;
};

}  // namespace mcc::map
