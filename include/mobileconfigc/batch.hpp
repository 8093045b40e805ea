// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Batches: one profile per supported Graph object of many inputs, as `compile --out-dir`
/// makes them. The library plans and compiles; the caller reads the inputs, runs the jobs on
/// its threads and writes the files.
///
///   BatchPlan plan(compiler, options);
///   for each input:  plan.add_input(name, objects listed by plan.scanner(name), an
///                    InputScanner or Compiler::scan)
///                    (or declare_input() each first, and add_objects() as each is scanned)
///   plan.seal();                        // every object known: references resolved
///   plan.prepare_embedded(text_of);     // the objects profiles embed, read and mapped once
///   for each supported object i:  plan.compile(i, its JSON text, diags)   (thread-safe)
///
/// Each object is parsed once: a scanner the plan made keeps the objects it parses, and the
/// plan compiles those without their text (parsed(i)), until the kept objects' text reaches
/// the plan's budget. Past it (a list response of 100,000 objects), objects are parsed again
/// from their text when compiled, so that memory stays bounded.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/compile.hpp"

namespace mcc {

namespace driver {
struct ParseBudget;  // what a BatchPlan's scanners may still keep parsed
}

/// An object a BatchPlan or ScannedObjects holds, as GraphObjectInfo describes it: views into
/// them, valid while they live.
struct BatchObject {
  std::string_view pointer;       // where it sits in the input ("", "/value/3")
  TextSpan span;                  // its text in the input
  std::string_view type;          // Graph type name as written (without "#microsoft.graph.")
  std::string_view id;            // the stable id: the Graph id, or a UUID derived from the content
  std::string_view display_name;  // empty when the object has none
  bool supported = false;         // a mapping table exists for the type
};

/// The objects scanning one input listed, kept as compactly as a BatchPlan keeps them (a
/// list response of 100,000 objects as GraphObjectInfo took ~300 bytes an object more).
class ScannedObjects {
 public:
  ScannedObjects();
  /// What Compiler::scan listed.
  explicit ScannedObjects(std::vector<GraphObjectInfo> objects);
  ScannedObjects(ScannedObjects&&) noexcept;
  ScannedObjects& operator=(ScannedObjects&&) noexcept;
  ~ScannedObjects();

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] BatchObject operator[](std::size_t i) const;

  struct Impl;  // the library's own

 private:
  friend class BatchPlan;
  friend class InputScanner;
  std::unique_ptr<Impl> impl_;
};

/// Compiler::scan of an input that arrives in pieces (a pipe; a Graph list response of
/// thousands of objects): objects are listed as their text arrives, and only the object being
/// read is held, never the whole input. So a list response may be larger than an input read
/// whole (Compiler::scan, 64 MiB), up to Limits::max_bytes.
class InputScanner {
 public:
  /// What a scanner accepts; past either bound it declines the input (see finish()).
  struct Limits {
    /// Held at once: the value being read (a list element; a top-level object until it is
    /// known to be a list response, with the keys of its members). As much as an input read
    /// whole may be, 64 MiB, so each object's text is within what a compile reads.
    std::size_t max_held_bytes = std::size_t{64} << 20;
    /// The whole input: 1 GiB (some 450,000 Intune VPN objects in one list response). It
    /// bounds the time a scan takes and what the objects listed take (~1 KB each in a batch).
    /// At most 4 GiB - 1: a larger bound is taken as that.
    std::size_t max_bytes = std::size_t{1} << 30;
  };

  /// `name` is the input's name in diagnostics; `compiler` must outlive the scanner.
  InputScanner(const Compiler& compiler, const CompileOptions& options, std::string name);
  InputScanner(InputScanner&&) noexcept;
  InputScanner& operator=(InputScanner&&) noexcept;
  ~InputScanner();

  /// Other limits than the defaults; call it before the first feed().
  void set_limits(const Limits& limits);
  /// Scans the next bytes of the input.
  void feed(std::string_view bytes);
  /// True once the input is known to need a whole scan (see finish()): the rest of it need
  /// not be fed.
  [[nodiscard]] bool declined() const;
  /// After the last piece. True: `objects` and `diags` (appended to) are what Compiler::scan
  /// lists from the whole input. False: the input must be scanned whole, with Compiler::scan
  /// (which refuses it when it is larger than 64 MiB): it is not UTF-8, not valid JSON, too
  /// deep, larger than the limits, or a top-level object proved to be one Graph object only
  /// after the list it holds.
  [[nodiscard]] bool finish(std::vector<GraphObjectInfo>& objects, Diagnostics& diags);
  /// The same, kept compactly (`objects` is replaced).
  [[nodiscard]] bool finish(ScannedObjects& objects, Diagnostics& diags);
  /// Bytes of the input before its text (a UTF-8 byte order mark): the input's bytes at a
  /// span are at span.offset + text_offset().
  [[nodiscard]] std::size_t text_offset() const;

 private:
  friend class BatchPlan;
  InputScanner(const Compiler& compiler, const CompileOptions& options, std::string name, std::shared_ptr<driver::ParseBudget> budget);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Every object of a batch, the references between them, and the profiles they make.
///
/// Each object is kept in 40 bytes plus its id, name and pointer: a batch of 100,000
/// objects is planned in a few megabytes.
class BatchPlan {
 public:
  /// Text of the objects a plan's scanners keep parsed, at most. Parsed objects take about
  /// four times the memory of their text, so this is ~4 MB: some 400 IKEv2 VPN objects as
  /// Intune exports them. Measured (bench/compare.sh target 5, 10,000 files, --jobs 2): peak
  /// RSS 24 MB keeping nothing, 28 MB with this budget, 32 MB with twice it; the issue's
  /// bound is 32 MB.
  static constexpr std::size_t kParsedBudget = std::size_t{1} << 20;

  /// `compiler` must outlive the plan; `parsed_budget` bounds what its scanners keep parsed
  /// (0: nothing; every object is parsed again from its text when compiled).
  BatchPlan(const Compiler& compiler, CompileOptions options, std::size_t parsed_budget = kParsedBudget);
  BatchPlan(BatchPlan&&) noexcept;
  BatchPlan& operator=(BatchPlan&&) noexcept;
  ~BatchPlan();

  /// What the plan's scanners may keep parsed from now on, in bytes of text (what is left of
  /// the budget is replaced): for a caller that knows the size of its batch only once it has
  /// declared its inputs. Call it before the first scanner().
  void set_parsed_budget(std::size_t bytes);

  /// A scanner for one input (named `name` in diagnostics) that keeps the objects it parses
  /// while the plan's budget lasts. Thread-safe: inputs may be scanned in parallel.
  [[nodiscard]] InputScanner scanner(std::string name) const;
  /// Adds an input: `name` names it in diagnostics; `objects` are what scanning it listed.
  /// Returns the input's number; its objects are numbered on from those added before.
  /// The same as declare_input(name) then add_objects().
  std::size_t add_input(std::string_view name, std::vector<GraphObjectInfo> objects);
  std::size_t add_input(std::string_view name, ScannedObjects objects);
  /// Declares an input before it is scanned, so that a caller that lists its inputs first
  /// keeps their names once, here (input_name() gives them back), not also in a list of its
  /// own. Returns its number: inputs are numbered from 0 in the order they are declared.
  std::size_t declare_input(std::string_view name);
  /// Adds the objects scanning declared input `input` listed; they are numbered on from those
  /// added before. Inputs may be declared all at once and given their objects later, each once.
  void add_objects(std::size_t input, ScannedObjects objects);
  /// Call after the last input: indexes every object and resolves the references between them.
  void seal();

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] BatchObject object(std::size_t i) const;
  /// The input object `i` was read from.
  [[nodiscard]] std::size_t input_of(std::size_t i) const;
  /// Input `input`'s name, as add_input() was given it.
  [[nodiscard]] std::string input_name(std::size_t input) const;

  /// The objects object `i`'s profile embeds besides its own (a VPN's SCEP profile, that
  /// profile's trusted root), wherever in the inputs they are, in the order the profile
  /// holds them. A reference resolves with the one resolver single compiles use. One that
  /// matches several objects embeds none of them; compile() reports it, with the first few
  /// candidates.
  [[nodiscard]] std::vector<std::size_t> embedded(std::size_t i) const;

  /// After seal(): reads, checks and maps each object some profile embeds, once, from the
  /// JSON text `text_of` gives (nothing: it cannot be read; that object's own job says so).
  /// An embedded object with errors is left out of the profiles that name it, which say so.
  /// An object given again (same Graph type and id as an earlier one) is compared with its
  /// first copy here: compile() of the later copy then makes no profile and says whether the
  /// two were the same (a note) or differ (an error).
  void prepare_embedded(const std::function<std::optional<std::string>(std::size_t object)>& text_of);

  /// True when object `i` is held parsed: prepare_embedded() and the first compile(i) need
  /// no text for it (give them nothing or an empty text).
  [[nodiscard]] bool parsed(std::size_t i) const;

  /// Object `i`'s profile, from the object as its scan parsed it, or else from its JSON text
  /// (an object prepare_embedded() read is not read again: its profile holds the same payload
  /// as those that embed it). Findings about the objects it embeds are left to their own
  /// profiles. Thread-safe after prepare_embedded(), for different objects.
  [[nodiscard]] std::optional<CompiledProfile> compile(std::size_t i, std::string_view json, Diagnostics& diags) const;

  /// How many object texts the plan itself has parsed (in prepare_embedded() and compile()):
  /// those of objects that were not held parsed. 0 when every object was parsed only once.
  [[nodiscard]] std::size_t texts_parsed() const;

  /// "iosScepCertificateProfile 'Contoso SCEP' (export.json: /value/1, id 8d3e…)", for diagnostics.
  [[nodiscard]] std::string describe(std::size_t i) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcc
