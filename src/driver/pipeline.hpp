// SPDX-License-Identifier: Apache-2.0
#pragma once
// The pipeline, wired once: read → check → map → link → validate. Compiler, batches, the
// fuzzers and the benchmarks all run these steps, and nothing else strings them together.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/repeat_limit.hpp"
#include "map/mapped.hpp"
#include "map/table.hpp"
#include "mobileconfigc/compile.hpp"
#include "read/reader.hpp"
#include "schema/apple_schema.hpp"
#include "schema/graph_schema.hpp"

namespace mcc::driver {

/// Mapping tables as files: (name for diagnostics, JSON text).
using TableFiles = std::vector<std::pair<std::string, std::string>>;

/// One Graph object through check and map: what the link stage builds profiles from. Read
/// only once made, so one object can be shared by the profiles of a batch that embed it.
struct Prepared {
  read::GraphObject object;
  map::MappedObject mapped;
};

/// The schemas and tables, loaded once and shared read-only, and the steps that use them.
struct Pipeline {
  schema::GraphSchema graph;
  const schema::AppleSchema& apple;  // the embedded one, shared by every Pipeline of the process
  map::TableSet tables;

  /// The tables of `dir` (--mappings).
  static std::optional<TableFiles> table_files(const std::string& dir, Diagnostics& diags);
  /// Loads the embedded schemas and `files` (--mappings tables, or an embedder's), each table
  /// read and checked whole now.
  static std::optional<Pipeline> load(const TableFiles& files, Diagnostics& diags);
  /// Loads the embedded schemas and tables, each read where it is compiled into the binary.
  static std::optional<Pipeline> load_built_in(Diagnostics& diags);

  /// Options reach the profile without passing the Graph checks: what a property list cannot
  /// carry is refused (MCC-P003). False when something was.
  bool check_options(const CompileOptions& options, const std::string& file, Diagnostics& diags) const;

  /// Every Graph object of `inputs`, in input order.
  std::vector<read::GraphObject> read(const std::vector<InputFile>& inputs, const CompileOptions& options,
                                      Diagnostics& diags) const;

  /// Checks `object` against its Graph type; gives its table's spelling of the type to
  /// `object.type`. False when its type has no table. Findings name `object_index`. That the
  /// type has no table goes through `unsupported`, when given: one limit per input.
  bool check(read::GraphObject& object, std::size_t object_index, Diagnostics& diags,
             RepeatLimit* unsupported = nullptr) const;

  /// What makes two objects the same object (an export given twice): the Graph type, in any
  /// case, and the stable id. Single compiles and batches compile such copies once.
  [[nodiscard]] static std::string identity_key(std::string_view type, std::string_view id);

  /// The platform the table of Graph type `type` is for (ios when it has none).
  [[nodiscard]] Platform platform_of(std::string_view type) const;

  /// Maps a checked object for `platform`. Findings name `object_index`.
  std::optional<map::MappedObject> map(const read::GraphObject& object, Platform platform, const CompileOptions& options,
                                       std::size_t object_index, Diagnostics& diags) const;

  /// Check and map in one step, for an object compiled on its own or embedded in profiles.
  std::optional<Prepared> prepare(read::GraphObject object, const std::optional<Platform>& platform,
                                  const CompileOptions& options, std::size_t object_index, Diagnostics& diags) const;

  /// Links prepared objects into one profile (the one no other links to, else the first,
  /// supplies the top-level keys; see link::assemble_profile):
  /// substitutes variables, resolves references, assembles, and validates the result against
  /// Apple's schema and what a property list can carry. Findings name the position in `objects`.
  /// `explained`: see link::assemble_profile.
  std::optional<CompiledProfile> link(const std::vector<const Prepared*>& objects, Platform platform,
                                      const CompileOptions& options, Diagnostics& diags,
                                      const std::vector<std::string>& explained = {}) const;
};

}  // namespace mcc::driver
