// SPDX-License-Identifier: Apache-2.0
#pragma once
// Mapping tables (mappings/*.json): the declarative description of how one Graph
// type becomes Apple payload keys. Rows hold literal data only; see mappings/README.md.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::map {

struct Condition {
  std::string pointer;                 // relative to the object the row applies to
  std::vector<nlohmann::json> any_of;  // holds when the value equals one of these
};

enum class RowKind { none, notice, constant, copy, table, each, transform, include };

/// What a table says about one enum member besides its Apple value (the long form of
/// `enum`): why the member maps as it does, and the evidence.
struct EnumMemberDoc {
  std::string note;
  std::string source;
};

struct Row {
  RowKind kind = RowKind::copy;
  std::size_t index = 0;    // position in its table, for diagnostics ("table#3")
  std::string table_name;   // the table this row was written in
  std::optional<std::string> from;  // JSON pointer relative to the current object; "" = the object itself
  std::string to;           // payload key path: "IKEv2.MTU", "ActionParameters[0].Domains"
  bool profile_scope = false;  // "scope": "profile" writes into the top-level dictionary
  bool issuance_scope = false; // "scope": "issuance" writes into the lab issuance request, never into the profile
  std::string none_reason;  // kind none: why there is no profile key
  bool warn_if_set = false; // kind none: warn when the input sets the property
  std::string notice;       // kind notice: the text shown (MCC-M008) when the row applies
  bool if_unset = false;    // kind notice: shown when `from` is NOT set (a setting Intune requires)
  bool notice_error = false;  // kind notice: an error (MCC-M001) instead of a warning
  nlohmann::json value;     // kind constant
  std::string as;           // coercion: "", integer01, invert01, nonEmpty01, data, string
  std::optional<nlohmann::json> enum_map;  // Graph member → Apple value (null = omit)
  std::string unmapped_reason;             // why members missing from enum_map have no Apple value
  std::map<std::string, std::string> enum_notes;  // member → warning shown when it is used
  std::map<std::string, EnumMemberDoc> enum_docs; // member → note and source (long-form enum), for explain
  std::vector<std::string> platforms;       // "ios", "macos": the row exists only there (empty: everywhere)
  std::vector<std::string> prefer;  // enum rows: the members decompile chooses when several give one Apple value
  std::string nested;       // kind table / each / include: the table name
  std::string transform;    // kind transform: registry name
  nlohmann::json args;      // kind transform: literal arguments (after loading: every declared one)
  std::set<std::string> args_given;  // kind transform: the arguments the row spells out itself
  std::vector<Condition> when, unless;
  std::string quiet_skip;   // when set, skipping this row is expected and not warned
  bool secret = false;      // never print the value
  std::map<std::string, std::string> with;  // kind include: {name} substitutions in `to`
  std::vector<std::string> except;          // kind include: rows (by from) left out
  std::string note;         // free text for explain
  std::string source;       // where the mapping comes from (document and section, Apple key); explain shows it
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

/// An argument type as messages and explain name it: "a string", "an object of integers", ...
const char* arg_type_text(ArgType t);

/// A transform's name and every argument it accepts.
struct TransformSignature {
  std::string name;
  std::vector<TransformArg> args;
};

/// A payload variant: when its conditions hold on the object, the payload gets another
/// PayloadType (a per-app VPN is the App-Layer VPN payload). Declared by the type's table
/// or by a table it includes; the first variant that holds wins.
struct Variant {
  std::size_t index = 0;   // position in its table's "variants", for diagnostics and explain
  std::string table_name;  // the table it was written in
  std::vector<Condition> when, unless;
  std::string payload_type;
  std::string note, source;
};

/// The field names the loader accepts, by place ("table", "payload", "row", "variant",
/// "enumMember"): mappings/schema.json names the same ones (a test compares them).
const std::map<std::string, std::set<std::string>>& table_format_fields();
/// The coercions a row's `as` may name ("" is none).
const std::set<std::string>& table_coercions();

struct Table {
  std::string name;
  std::string source;  // where it was loaded from
  std::optional<std::string> graph_type;
  std::optional<std::string> platform;      // default platform of the type's profiles
  std::optional<std::string> payload_type;  // type tables: the Apple PayloadType
  std::string payload_role;                 // type tables: suffix of PayloadIdentifier
  std::vector<Variant> variants;            // this table's own payload variants
  /// type tables: the table that maps the type's objects instead under lab issuance
  /// (--issue-identity): a SCEP profile becomes the PKCS#12 identity the lab CA issues.
  std::optional<std::string> lab_variant;
  std::vector<Row> rows;
};

/// The first letter of a TableSet::compiled() key: what it keeps.
inline constexpr std::string_view kCompiledPlan = "P";   // a table's rows compiled for one place (engine.cpp)
inline constexpr std::string_view kCompiledLinks = "L";  // a table's rows that may link (references.cpp)

class TableSet {
 public:
  /// Loads tables from (name, json text) pairs; unknown row fields, unknown transform
  /// names, dangling table references and transform arguments that do not match the
  /// transform's signature (unknown, missing though required, of the wrong JSON type)
  /// are MCC-T001 errors. Every transform row leaves here with all its declared
  /// arguments present and typed: the optional ones it left out take their fallback.
  /// `built_in`: the tables compiled into the binary, which are known to load without a
  /// finding and to expand to valid rows (tests/unit load them whole and check it): each is
  /// indexed by its top level only and read, checked against the transforms' signatures and
  /// expanded when first used, which saves a fresh process every table it does not compile.
  static std::optional<TableSet> load(const std::vector<std::pair<std::string, std::string>>& files,
                                      const std::vector<TransformSignature>& transforms, Diagnostics& diags,
                                      bool built_in = false);
  /// The tables compiled into the binary, loaded as load(files, transforms, diags, true)
  /// loads them, from (name, JSON text) views whose text outlives the set: a table's text
  /// is read where it is when the table is first used, and never copied.
  static std::optional<TableSet> load_built_in(const std::vector<std::pair<std::string_view, std::string_view>>& files,
                                               const std::vector<TransformSignature>& transforms, Diagnostics& diags);

  [[nodiscard]] const Table* find(std::string_view name) const;
  /// Whether the rows of table `name` have been read (or are being read): a built-in table
  /// is read when first used, any other at load. What a fresh process reads, for tests.
  [[nodiscard]] bool read_yet(std::string_view name) const;
  /// The table whose graphType is `type` (in any letter case) and that defines a payload.
  [[nodiscard]] const Table* for_graph_type(std::string_view type) const;
  [[nodiscard]] std::vector<std::string> supported_types() const;
  /// Every table, each read whole.
  [[nodiscard]] const std::map<std::string, Table, std::less<>>& all() const;
  /// The declaration of the transform named `name`; nullptr for an unknown one.
  [[nodiscard]] const TransformSignature* signature(std::string_view name) const;

  /// The table that maps objects of `table`'s type under lab issuance (its `labVariant`);
  /// nullptr when it has none.
  [[nodiscard]] const Table* lab_variant(const Table& table) const;

  /// The payload variants of `table`: its own, then those of the tables it includes, in
  /// include order (depth first). The first whose conditions hold chooses the PayloadType.
  [[nodiscard]] std::vector<const Variant*> variants(const Table& table) const;

  /// The rows of `table` with includes expanded in place ({name} substituted, except
  /// applied); computed once, at load time or (built-in tables) on first use, thread-safely.
  /// For a table without includes, its own rows.
  [[nodiscard]] const std::vector<Row>& expanded_rows(const Table& table) const;

  /// What the map stage compiles from a table (src/map/engine.cpp: its rows with pointers
  /// split, key paths joined and Apple specs attached), kept under `key` as long as the set:
  /// `build` runs once per key, thread-safely, on first use. A key begins with the letter
  /// of what it keeps (kCompiledPlan, kCompiledLinks), so that no two kinds share one.
  [[nodiscard]] std::shared_ptr<const void> compiled(const std::string& key,
                                                     const std::function<std::shared_ptr<const void>()>& build) const;

 private:
  /// Appends the rows of `t` with its includes expanded; false, and nothing appended, when
  /// that takes more than a bound of rows and includes (load() reports it).
  bool expand(const Table& t, std::vector<Row>& out) const;
  void collect_variants(const Table& t, std::vector<const Variant*>& out, int depth) const;
  std::map<std::string, Table, std::less<>> tables_;
  std::vector<TransformSignature> signatures_;
  /// Reads a built-in table whole, once, thread-safely, if it has not been read yet; every
  /// reader of a table's rows or variants calls it first.
  void read_pending(const Table& table) const;
  struct Expansion {
    std::once_flag once;
    std::vector<Row> rows;
    bool own_rows = false;  // the table has no includes after all: its own rows are used
  };
  // Tables with includes, and every built-in table not read yet; filled by load() or on the
  // first expanded_rows().
  std::map<std::string, std::unique_ptr<Expansion>, std::less<>> expanded_;
  // Built-in tables indexed by their top level only (name, Graph type, platform, payload)
  // and read whole on first use: a fresh process reads only the tables its input needs.
  struct Pending {
    std::once_flag once;
    std::string owned;      // a copy of the text, unless it outlives the set
    std::string_view text;  // the table's JSON (owned, or text compiled into the binary)
    std::atomic<bool> read{false};
  };
  static std::optional<TableSet> load_views(const std::vector<std::pair<std::string_view, std::string_view>>& files,
                                            const std::vector<TransformSignature>& transforms, Diagnostics& diags,
                                            bool built_in, bool copy_texts);
  std::map<std::string, std::unique_ptr<Pending>, std::less<>> pending_;
  struct Compiled {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const void>, std::less<>> entries;
  };
  std::unique_ptr<Compiled> compiled_ = std::make_unique<Compiled>();
};

}  // namespace mcc::map
