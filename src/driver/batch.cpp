// SPDX-License-Identifier: Apache-2.0
// BatchPlan: a batch's objects, indexed once; each profile's embedded objects found with the
// one resolver; embedded objects read and mapped once, shared read-only by the profiles.

#include "mobileconfigc/batch.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/ascii.hpp"
#include "base/messages.hpp"
#include "driver/batch_objects.hpp"
#include "driver/compiler_impl.hpp"
#include "link/resolve.hpp"

namespace mcc {
namespace {

// Intune chains are two deep (VPN → certificate → root); deeper chains are hostile input.
constexpr int kMaxDepth = 4;

// Candidates an ambiguity warning names; the others are counted ("and 9997 more"), so a
// name shared by thousands of objects does not print thousands of lines of thousands of names.
constexpr std::size_t kListed = 3;

// One object a profile embeds besides its own.
struct Embedded {
  std::size_t object;  // its number in the plan
  std::size_t parent;  // position in Embedding::objects of the object that references it; npos: the profile's own object
  std::string via;     // the pointer of the profile object's own reference that leads here
};

// What one object's profile embeds besides the object itself.
struct Embedding {
  std::vector<Embedded> objects;         // after the object, in this order
  Diagnostics notes;                     // references that could not be followed, and why
  std::vector<std::string> explained;    // pointers of the references `notes` explains
};

}  // namespace

struct BatchPlan::Impl {
  Impl(const Compiler& compiler, CompileOptions options, std::size_t parsed_budget)
      : compiler(compiler),
        pipeline(*compiler.impl_),
        options(std::move(options)),
        budget(std::make_shared<driver::ParseBudget>(parsed_budget)) {}

  const Compiler& compiler;
  const driver::Pipeline& pipeline;
  CompileOptions options;
  std::shared_ptr<driver::ParseBudget> budget;  // shared with the scanners the plan made
  driver::BatchObjects objects;
  // The objects whose scan kept them parsed (a few hundred at most: the budget), until
  // compile() takes them. Filled before seal(); after it, only the values change (each job
  // its own), so jobs look them up in parallel.
  mutable std::unordered_map<std::size_t, std::shared_ptr<ParsedGraphObject>> kept;
  mutable std::atomic<std::size_t> texts_parsed{0};
  std::optional<link::Resolver> resolver;
  std::unordered_map<std::size_t, Embedding> embeddings;  // only objects whose profile embeds or notes something
  // Embedded objects, read and mapped once per platform a profile needs them for (nothing
  // when one has errors), with what that reported: their own profiles use them too.
  struct Shared {
    std::optional<driver::Prepared> prepared;
    Diagnostics diags;
  };
  std::map<std::pair<std::size_t, Platform>, Shared> prepared;
  // An object given again (same Graph type and id as an earlier one): the earlier copy's
  // number; references resolve to that copy, and this one makes no profile of its own.
  std::unordered_map<std::size_t, std::size_t> copy_of;
  // Later copies whose contents are those of the first (known after prepare_embedded()).
  std::unordered_map<std::size_t, bool> identical;

  // Object i as a Graph object: the one its scan kept (taken, or copied when `take` is
  // false), or else read from `text` (nothing: not given, or not readable, as `diags` says).
  std::optional<read::GraphObject> read_object(std::size_t i, const std::optional<std::string_view>& text, Diagnostics& diags,
                                               bool take) const {
    if (auto it = kept.find(i); it != kept.end() && it->second) {
      if (!take) return it->second->object;
      read::GraphObject out = std::move(it->second->object);
      it->second.reset();
      return out;
    }
    if (!text) return std::nullopt;
    ++texts_parsed;
    return read::read_graph_object(input_name(i), *text, std::string(objects.object(i).pointer), options.graph_type, diags);
  }

  bool is_kept(std::size_t i) const {
    auto it = kept.find(i);
    return it != kept.end() && it->second;
  }
  void let_go(std::size_t i) const {
    if (auto it = kept.find(i); it != kept.end()) it->second.reset();
  }

  // The name of the input object i was read from.
  std::string input_name(std::size_t i) const { return std::string(objects.input_name(objects.input_of(i))); }

  Platform platform_of(std::size_t i) const {
    return options.platform ? *options.platform : pipeline.platform_of(objects.object(i).type);
  }

  msg::Where where(std::size_t i, const std::string& pointer) const { return {input_name(i), pointer}; }

  Embedding embedding(std::size_t i) const {
    Embedding e;
    struct Step {
      std::size_t object;
      std::size_t position;  // in e.objects; npos for object i
      int depth;
    };
    std::vector<Step> queue{{i, std::string::npos, 0}};
    for (std::size_t q = 0; q < queue.size(); ++q) {
      auto [at, position, depth] = queue[q];
      if (depth >= kMaxDepth) continue;
      for (const auto& ref : objects.references(at)) {
        auto m = resolver->resolve({ref.ids, ref.display_names, ref.types}, at, kListed);
        if (m.count == 0) continue;  // compiling reports it (MCC-M010) unless the link is optional
        // Only the object's own references are reported here: an embedded object's own
        // profile reports its references.
        const bool own = at == i;
        if (m.count > 1) {
          if (!own) continue;
          std::vector<std::string> candidates;
          for (std::size_t k : m.first) candidates.push_back(describe(k));
          e.notes.add(msg::link_ambiguous(where(i, ref.pointer), ref.property, m.count, m.by_id, !ref.types.empty(), candidates));
          e.explained.push_back(ref.pointer);
          continue;
        }
        const std::size_t target = m.first.front();
        if (!objects.supported(target)) {
          if (!own) continue;
          e.notes.add(msg::link_target_unsupported(where(i, ref.pointer), ref.property, describe(target)));
          e.explained.push_back(ref.pointer);
          continue;
        }
        if (target == i || std::any_of(e.objects.begin(), e.objects.end(), [&](const Embedded& x) { return x.object == target; }))
          continue;
        e.objects.push_back({target, position, own ? ref.pointer : e.objects[position].via});
        queue.push_back({target, e.objects.size() - 1, depth + 1});
      }
    }
    return e;
  }

  std::string describe(std::size_t i) const {
    const BatchObject o = objects.object(i);
    std::string out(o.type);
    if (!o.display_name.empty()) out.append(" ").append(msg::quote(std::string(o.display_name), '\''));
    out += " (";
    out += objects.input_name(objects.input_of(i));
    if (!o.pointer.empty()) out.append(": ").append(o.pointer);
    out.append(", id ").append(msg::excerpt(std::string(o.id))).append(")");
    return out;
  }
};

BatchPlan::BatchPlan(const Compiler& compiler, CompileOptions options, std::size_t parsed_budget)
    : impl_(std::make_unique<Impl>(compiler, std::move(options), parsed_budget)) {}
BatchPlan::BatchPlan(BatchPlan&&) noexcept = default;
BatchPlan& BatchPlan::operator=(BatchPlan&&) noexcept = default;
BatchPlan::~BatchPlan() = default;

InputScanner BatchPlan::scanner(std::string name) const {
  const auto& I = *impl_;
  return InputScanner(I.compiler, I.options, std::move(name), I.budget);
}

std::size_t BatchPlan::add_input(std::string_view name, std::vector<GraphObjectInfo> objects) {
  return add_input(name, ScannedObjects(std::move(objects)));
}

std::size_t BatchPlan::add_input(std::string_view name, ScannedObjects objects) {
  const std::size_t input = declare_input(name);
  add_objects(input, std::move(objects));
  return input;
}

void BatchPlan::set_parsed_budget(std::size_t bytes) { impl_->budget->left = bytes; }

std::size_t BatchPlan::declare_input(std::string_view name) { return impl_->objects.add_input(name); }

void BatchPlan::add_objects(std::size_t input, ScannedObjects objects) {
  auto& I = *impl_;
  if (input >= I.objects.inputs()) throw std::out_of_range("BatchPlan::add_objects: input " + std::to_string(input) + " was not declared");
  if (!objects.impl_) return;  // moved from: none
  auto& scanned = *objects.impl_;
  const std::string name = I.objects.input_name(input);
  if (I.objects.size() == 0 && scanned.objects.inputs() == 0) {
    // The first objects (a list response is the only input) are taken whole, not copied:
    // 100,000 of them never exist twice. The scanner numbered them from 0, as they are here.
    I.objects.adopt(std::move(scanned.objects), input);
    for (auto& [k, parsed] : scanned.kept) {
      parsed->object.file = name;  // diagnostics name the input as the plan does
      I.kept.emplace(k, std::move(parsed));
    }
    return;
  }
  for (std::size_t k = 0; k < scanned.objects.size(); ++k) {
    const std::size_t i = I.objects.add(input, scanned.objects.object(k), scanned.objects.take_references(k));
    if (auto kept = scanned.kept.find(k); kept != scanned.kept.end()) {
      kept->second->object.file = name;  // diagnostics name the input as the plan does
      I.kept.emplace(i, std::move(kept->second));
    }
  }
}

void BatchPlan::seal() {
  auto& I = *impl_;
  // The same object twice (an export given again, or a file listed twice) is one object: the
  // later copies are not candidates, so a reference to it is not ambiguous.
  I.copy_of.clear();
  // Objects with the same type and id, as Pipeline::identity_key compares them (the type
  // ignoring case), found by sorting their numbers: 4 bytes an object (BatchObjects numbers
  // them in 32 bits), not a hash map node, and no key string. Among equals the first is the
  // one given first: ties are ordered by number, so the sort needs no buffer, as a stable one does.
  auto type_less = [](std::string_view a, std::string_view b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
  };
  std::vector<std::uint32_t> order;
  order.reserve(I.objects.size());
  for (std::size_t i = 0; i < I.objects.size(); ++i)
    if (I.objects.supported(i) && !I.objects.object(i).id.empty()) order.push_back(static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const BatchObject x = I.objects.object(a), y = I.objects.object(b);
    if (x.id != y.id) return x.id < y.id;
    if (type_less(x.type, y.type)) return true;
    if (type_less(y.type, x.type)) return false;
    return a < b;
  });
  for (std::size_t k = 1, first = 0; k < order.size(); ++k) {
    const BatchObject x = I.objects.object(order[first]), y = I.objects.object(order[k]);
    if (x.id == y.id && iequals(x.type, y.type)) I.copy_of.emplace(order[k], order[first]);
    else first = k;
  }
  order = {};
  I.embeddings.clear();
  I.resolver.reset();
  // The index of every object is built only when some object links to another: most
  // batches have no reference to follow.
  if (!I.objects.any_references()) return;
  std::vector<link::Candidate> candidates;
  candidates.reserve(I.objects.size());
  for (std::size_t i = 0; i < I.objects.size(); ++i) {
    const BatchObject o = I.objects.object(i);
    if (I.copy_of.count(i)) candidates.push_back({});  // matches no reference
    else candidates.push_back({o.id, o.display_name, o.type});
  }
  I.resolver.emplace(std::move(candidates));
  for (std::size_t i = 0; i < I.objects.size(); ++i)
    if (I.objects.supported(i) && !I.objects.references(i).empty() && !I.copy_of.count(i))
      if (Embedding e = I.embedding(i); !e.objects.empty() || !e.notes.empty()) I.embeddings.emplace(i, std::move(e));
}

std::size_t BatchPlan::size() const { return impl_->objects.size(); }
BatchObject BatchPlan::object(std::size_t i) const { return impl_->objects.object(i); }
std::size_t BatchPlan::input_of(std::size_t i) const { return impl_->objects.input_of(i); }
std::string BatchPlan::input_name(std::size_t input) const { return impl_->objects.input_name(input); }
std::string BatchPlan::describe(std::size_t i) const { return impl_->describe(i); }
bool BatchPlan::parsed(std::size_t i) const { return impl_->is_kept(i); }
std::size_t BatchPlan::texts_parsed() const { return impl_->texts_parsed; }

std::vector<std::size_t> BatchPlan::embedded(std::size_t i) const {
  std::vector<std::size_t> out;
  if (auto it = impl_->embeddings.find(i); it != impl_->embeddings.end())
    for (const auto& e : it->second.objects) out.push_back(e.object);
  return out;
}

void BatchPlan::prepare_embedded(const std::function<std::optional<std::string>(std::size_t object)>& text_of) {
  auto& I = *impl_;
  // Copies: the same contents is a note, different contents an error (compile() says which).
  // A copy that cannot be read is compiled as an object of its own, which reports why.
  std::map<std::size_t, std::optional<nlohmann::json>> firsts;
  auto parsed = [&](std::size_t object) -> std::optional<nlohmann::json> {
    Diagnostics ignored;  // the object's own job reports what reading it finds
    auto read = I.read_object(object, I.is_kept(object) ? std::nullopt : text_of(object), ignored, /*take=*/false);
    if (!read) return std::nullopt;
    return std::move(read->json);
  };
  for (const auto& [copy, first] : I.copy_of) {
    auto f = firsts.find(first);
    if (f == firsts.end()) f = firsts.emplace(first, parsed(first)).first;
    auto mine = parsed(copy);
    if (f->second && mine) I.identical.emplace(copy, *f->second == *mine);
  }
  for (const auto& [object, embedding] : I.embeddings) {
    const Platform platform = I.platform_of(object);
    for (const auto& e : embedding.objects) {
      if (I.prepared.count({e.object, platform})) continue;
      std::optional<std::string> text;
      if (!I.is_kept(e.object) && !(text = text_of(e.object))) continue;  // its own job reports it; the profiles that embed it leave it out
      Impl::Shared& slot = I.prepared[{e.object, platform}];
      const std::string input = I.input_name(e.object);
      // Copied, not taken: the object's own profile may be for another platform.
      auto read = I.read_object(e.object, text, slot.diags, /*take=*/false);
      if (!read || !I.pipeline.check_options(I.options, input, slot.diags)) continue;
      auto prepared = I.pipeline.prepare(std::move(*read), platform, I.options, 0, slot.diags);
      if (prepared && !slot.diags.has_errors()) slot.prepared = std::move(prepared);
    }
  }
}

std::optional<CompiledProfile> BatchPlan::compile(std::size_t i, std::string_view json, Diagnostics& diags) const {
  const auto& I = *impl_;
  const BatchObject self = I.objects.object(i);
  if (auto copy = I.copy_of.find(i); copy != I.copy_of.end())
    if (auto same = I.identical.find(i); same != I.identical.end()) {
      I.let_go(i);
      diags.add(msg::object_given_twice(I.where(i, std::string(self.pointer)), self.type, self.id, I.input_name(copy->second),
                                        same->second));
      return std::nullopt;
    }
  const Platform platform = I.platform_of(i);
  static const Embedding kNone;
  auto found = I.embeddings.find(i);
  const Embedding& embedding = found != I.embeddings.end() ? found->second : kNone;
  Diagnostics notes = embedding.notes;
  std::vector<std::string> explained = embedding.explained;

  // The object itself: read and mapped here, or already, when another profile embeds it (the
  // same payload then, a lab identity included).
  Diagnostics own;
  std::optional<driver::Prepared> mine;
  const driver::Prepared* prepared = nullptr;
  if (auto shared = I.prepared.find({i, platform}); shared != I.prepared.end()) {
    I.let_go(i);
    own = shared->second.diags;
    if (shared->second.prepared) prepared = &*shared->second.prepared;
  } else {
    auto read = I.read_object(i, json, own, /*take=*/true);
    if (read && I.pipeline.check_options(I.options, I.input_name(i), own))
      mine = I.pipeline.prepare(std::move(*read), platform, I.options, 0, own);
    if (mine) prepared = &*mine;
  }
  if (prepared == nullptr || own.has_errors()) {
    diags.append(notes);
    diags.append(own);
    return std::nullopt;
  }

  // The embedded objects that can be: a left-out parent leaves out what it references.
  const auto& embedded = embedding.objects;
  std::vector<bool> leave_out(embedded.size(), false);
  auto units_now = [&] {
    std::vector<const driver::Prepared*> units{prepared};
    std::vector<std::size_t> positions;  // unit k + 1 is embedded[positions[k]]
    for (std::size_t k = 0; k < embedded.size(); ++k) {
      // Parents come first in `embedded`, so a left-out parent is known before its children.
      if (embedded[k].parent != std::string::npos && leave_out[embedded[k].parent]) leave_out[k] = true;
      if (leave_out[k]) continue;
      units.push_back(&*I.prepared.at({embedded[k].object, platform}).prepared);
      positions.push_back(k);
    }
    return std::pair(units, positions);
  };
  auto note_broken = [&](std::size_t k) {
    leave_out[k] = true;
    if (embedded[k].parent != std::string::npos) return;  // its referrer's own profile explains it
    notes.add(msg::link_target_broken(I.where(i, embedded[k].via), I.describe(embedded[k].object)));
    explained.push_back(embedded[k].via);
  };
  for (std::size_t k = 0; k < embedded.size(); ++k) {
    auto it = I.prepared.find({embedded[k].object, platform});
    if (it == I.prepared.end() || !it->second.prepared) {
      // Unreadable since it was scanned: its own job says so; with errors: say it is left out.
      if (it != I.prepared.end() && (embedded[k].parent == std::string::npos || !leave_out[embedded[k].parent])) note_broken(k);
      else leave_out[k] = true;
    }
  }

  auto [units, positions] = units_now();
  Diagnostics linked;
  auto profile = I.pipeline.link(units, platform, I.options, linked, explained);
  if (!profile) {
    // Errors of embedded objects alone (their payloads in this profile): leave them out and
    // link again — no object is read or mapped again.
    auto about_embedded = [](const Diagnostic& d) { return d.object && *d.object > 0; };
    const bool own_errors = std::any_of(linked.items().begin(), linked.items().end(),
                                        [&](const Diagnostic& d) { return d.severity == Severity::error && !about_embedded(d); });
    bool retry = false;
    for (const auto& d : linked.items())
      if (!own_errors && d.severity == Severity::error && about_embedded(d) && !leave_out[positions[*d.object - 1]]) {
        note_broken(positions[*d.object - 1]);
        retry = true;
      }
    if (retry) {
      std::tie(units, positions) = units_now();
      linked = Diagnostics();
      profile = I.pipeline.link(units, platform, I.options, linked, explained);
    }
  }
  diags.append(notes);
  diags.append(own);
  // Findings about the embedded objects belong to their own profiles.
  for (const auto& d : linked.items())
    if (!d.object || *d.object == 0) diags.add(d);
  return profile;
}

}  // namespace mcc
