// SPDX-License-Identifier: Apache-2.0
#include "cli/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/batch_inputs.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/io.hpp"
#include "cli/json_report.hpp"
#include "cli/output_names.hpp"
#include "mobileconfigc/batch.hpp"
#include "mobileconfigc/secrets.hpp"
#include "base/messages.hpp"

namespace mcc::cli {
namespace {

namespace fs = std::filesystem;

struct Job {
  std::uint32_t object;  // its number in the BatchPlan (32 bits, as the plan keeps it); its file in out_dir is named by OutputNames
};

// --json's manifest, one row per input that made no object (unreadable, skipped) and per object.
struct ManifestRow {
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::string file;                 // as diagnostics name it
  std::size_t object = kNone;       // its number in the BatchPlan
  std::size_t job = kNone;          // its job: the outcome and the output file
  const char* status = "failed";    // until the job says otherwise
  std::string reason;               // why it was skipped
};

enum class Outcome : unsigned char { failed, written, copy };

// Jobs and manifest rows are deques: a batch of 100,000 objects grows them without ever
// holding an old and a new copy at once.
using Jobs = std::deque<Job>;

// How every profile of the batch is written: the same for all of them, as the options say.
struct ProfileForm {
  bool encrypted;
  bool signed_;
};

// The manifest's entries, each written as the document writes it: 10,000 entries held as
// JSON values took several times the memory of their text.
std::vector<std::string> manifest_json(const std::deque<ManifestRow>& rows, const BatchPlan& plan, const OutputNames& names,
                                       const std::vector<Outcome>& outcomes, const std::string& out_dir, ProfileForm form) {
  std::vector<std::string> objects;
  objects.reserve(rows.size());
  for (const auto& row : rows) {
    Json entry{{"file", escape_for_display(row.file)}};
    if (row.object != ManifestRow::kNone) {
      const BatchObject o = plan.object(row.object);
      entry["pointer"] = escape_for_display(o.pointer);
      entry["type"] = o.type;
      entry["id"] = o.id;
      entry["display_name"] = o.display_name;
    } else {
      entry["pointer"] = entry["type"] = entry["id"] = entry["display_name"] = nullptr;
    }
    const char* status = row.status;
    std::string reason = row.reason;
    if (row.job != ManifestRow::kNone) {
      const Outcome outcome = outcomes[row.job];
      status = outcome == Outcome::written ? "written" : outcome == Outcome::copy ? "copy" : "failed";
      if (outcome == Outcome::copy) reason = "given again: compiled once, where it was first given";
    }
    const bool written = std::string_view(status) == "written";
    entry["status"] = status;
    entry["output"] = written ? Json(escape_for_display((fs::path(out_dir) / names.name(row.job)).string())) : Json(nullptr);
    entry["reason"] = reason.empty() ? Json(nullptr) : Json(reason);
    entry["encrypted"] = written ? Json(form.encrypted) : Json(nullptr);
    entry["signed"] = written ? Json(form.signed_) : Json(nullptr);
    objects.push_back(json_text(entry));
  }
  return objects;
}

// What a batch knows of an input besides its name, which the plan keeps (declared before
// pass 1, so that 100,000 paths are held once): one byte.
enum InputFlags : std::uint8_t {
  kFoundInDirectory = 1,  // not named by the user: a file that is not a Graph object is skipped, not an error
  kStandardInput = 2,     // "-", which the plan names "<stdin>"
};

// Declares each input in `plan`, a directory's *.json files (found recursively) in sorted
// order; returns each input's flags, by its number in the plan.
std::vector<std::uint8_t> declare_inputs(const std::vector<std::string>& inputs, BatchPlan& plan, Diagnostics& diags) {
  std::vector<std::uint8_t> flags;
  auto declare = [&](const std::string& path, std::uint8_t f) {
    plan.declare_input(display_name(path));
    flags.push_back(f);
  };
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      std::vector<std::string> found;  // one directory's: sorted before they are declared
      for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec) && it->path().extension() == ".json") found.push_back(it->path().string());
      }
      if (ec) diags.add(msg::cannot_read(in, ec.message()));
      std::sort(found.begin(), found.end());
      for (const auto& f : found) declare(f, kFoundInDirectory);
    } else {
      declare(in, in == "-" ? kStandardInput : 0);
    }
  }
  flags.shrink_to_fit();
  return flags;
}

// What the plan's scanners may keep parsed for a batch of `inputs`: the library's budget, less
// past 10,000 inputs. Kept objects are compiled without a second parse, which saves up to 40 %
// of the parses of 1,000 files, but under 1 % of 100,000, while their ~4 MB are held through
// all of pass 1 beside the plan's records of every object.
std::size_t parsed_budget(std::size_t inputs) {
  constexpr std::size_t kFull = 10'000;
  return inputs <= kFull ? BatchPlan::kParsedBudget : BatchPlan::kParsedBudget / inputs * kFull;
}

// Calls body(0) ... body(count - 1), on up to `threads` threads (this one among them).
template <class Body>
void parallel_for(unsigned threads, std::size_t count, Body body) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < count;) body(i);
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min<std::size_t>(threads, count); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

// A progress bar on stderr, only when stderr is a terminal: redrawn when the shown
// figure changes (at most 1000 times a batch) and erased when the batch ends, so
// diagnostics and the summary line are never mixed with it.
class Progress {
 public:
  Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled && total > 0 && ::isatty(STDERR_FILENO)) {}
  void step(std::mutex& io) {
    ++done_;
    if (!enabled_) return;
    std::lock_guard lock(io);
    // Read under the lock, the count only grows from one drawing to the next: with several
    // jobs the bar never steps back, nor reappears once the last step has erased it.
    std::size_t done = done_.load();
    std::size_t permille = done * 1000 / total_;
    if (permille == shown_) return;
    shown_ = permille;
    if (done == total_) {
      std::cerr << "\r\033[K" << std::flush;
      return;
    }
    constexpr std::size_t kWidth = 30;
    std::size_t filled = done * kWidth / total_;
    std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] " << done << "/" << total_
              << " (" << done * 100 / total_ << "%)" << std::flush;
  }
  // Erases the bar before a diagnostic is printed (call with the io mutex held); the next
  // step draws it again below the diagnostic.
  void clear_line() {
    if (enabled_ && done_ < total_) {
      std::cerr << "\r\033[K";
      shown_ = kNothingShown;
    }
  }

 private:
  static constexpr std::size_t kNothingShown = static_cast<std::size_t>(-1);
  std::size_t total_;
  bool enabled_;
  std::atomic<std::size_t> done_{0};
  std::size_t shown_ = kNothingShown;  // permille last drawn (guarded by the io mutex)
};

}  // namespace

std::string output_stem(std::string_view display_name, std::string_view type, std::string_view id) {
  std::string_view base = display_name.empty() ? type : display_name;
  std::string out;
  for (unsigned char c : base) {
    bool keep = std::isalnum(c) || c == '-' || c == '_' || c == '.';
    if (keep) out += static_cast<char>(c);
    else if (!out.empty() && out.back() != '-') out += '-';
    if (out.size() >= 60) break;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  while (!out.empty() && (out.front() == '-' || out.front() == '.')) out.erase(0, 1);
  if (out.empty()) out = "profile";
  std::string short_id;
  for (char c : id)
    if (std::isalnum(static_cast<unsigned char>(c)) && short_id.size() < 8) short_id += c;
  return out + "-" + short_id;
}

int run_batch(const Compiler& compiler, const CompileOptions& options, const BatchArgs& args) {
  Diagnostics setup;
  if (auto problem = make_output_directory(args.out_dir)) {  // as mkdir -p
    setup.add(msg::cannot_write(args.out_dir, *problem));
    print_diagnostics(std::cerr, setup);
    return kInputError;
  }
  // Pass 1: list every object, so names are stable and collision-free before anything is
  // written, and so a reference can name an object in any input. Each input is read once;
  // identities, references, where each object's text is, and (up to the plan's budget) the
  // parsed objects are kept.
  BatchPlan plan(compiler, options);
  const std::vector<std::uint8_t> flags = declare_inputs(args.inputs, plan, setup);
  plan.set_parsed_budget(parsed_budget(flags.size()));
  // The path to open: the plan's name for it but for standard input.
  auto path_of = [&](std::size_t input) { return flags[input] & kStandardInput ? std::string("-") : plan.input_name(input); };
  Jobs jobs;
  ObjectTexts texts;  // where pass 2 finds each input's objects, by the plan's input number
  InputFiles own_inputs;
  InputFiles& inputs = args.read_files ? *args.read_files : own_inputs;  // no output may replace one of them
  inputs.reserve(flags.size());
  std::size_t skipped = 0, failed = 0;
  const bool manifest = report_policy().json;
  std::deque<ManifestRow> rows;  // with --json
  OutputNames names([&](std::size_t job) {
    const BatchObject o = plan.object(jobs[job].object);
    return output_stem(o.display_name, o.type, o.id);
  });
  unsigned threads = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Lists what pass 1 found in an input: its objects into the plan, its jobs, and what it reported.
  auto list = [&](std::size_t input, ScannedInput& scanned) {
    const std::string name = plan.input_name(input);  // as diagnostics name it: the path as given, or "<stdin>"
    auto& [read_error, scan_diags, objects, source, text] = scanned;
    if (read_error) {
      inputs.add_path(path_of(input));  // not opened: compared by its spelling
      setup.add(msg::cannot_read(name, *read_error));
      ++failed;
      if (manifest) rows.push_back({name, ManifestRow::kNone, ManifestRow::kNone, "failed", ""});
      return;
    }
    bool untyped_only = !scan_diags.empty() && std::all_of(scan_diags.items().begin(), scan_diags.items().end(),
                                                           [](const Diagnostic& d) { return d.code == msg::code::missing_type; });
    if ((flags[input] & kFoundInDirectory) && untyped_only) {
      status_stream() << name << ": skipped: not a graph object (no @odata.type)\n";
      ++skipped;
      if (manifest) rows.push_back({name, ManifestRow::kNone, ManifestRow::kNone, "skipped", "not a graph object"});
      return;
    }
    if (scan_diags.has_errors()) ++failed;
    if (manifest && scan_diags.has_errors() && objects.empty())  // not JSON, or nothing in it could be listed
      rows.push_back({name, ManifestRow::kNone, ManifestRow::kNone, "failed", ""});
    setup.append(scan_diags);
    const std::size_t first = plan.size();
    plan.add_objects(input, std::move(objects));
    for (std::size_t k = 0; first + k < plan.size(); ++k) {
      const BatchObject o = plan.object(first + k);
      if (!o.supported) {
        status_stream() << name << (o.pointer.empty() ? "" : ": ") << o.pointer << ": skipped: " << o.type
                        << " is not a supported graph type\n";
        ++skipped;
        if (manifest) rows.push_back({name, first + k, ManifestRow::kNone, "skipped", "not a supported graph type"});
        continue;
      }
      if (manifest) rows.push_back({name, first + k, jobs.size(), "failed", ""});
      jobs.push_back(Job{static_cast<std::uint32_t>(first + k)});
      names.add(output_stem(o.display_name, o.type, o.id));
    }
  };
  // Takes an input, in input order: each has its place in `texts`, even one with no job.
  auto take = [&](std::size_t input, ScannedInput& scanned) {
    const std::size_t first_job = jobs.size();
    list(input, scanned);
    texts.add(scanned.source, std::move(scanned.text), jobs.size() - first_job);
  };
  // Reading and scanning run in parallel; each input is taken as soon as those before it are,
  // so pass 1 holds what the inputs in flight found, and names, messages and the plan are the
  // same whatever the number of jobs.
  // What the inputs in flight found, until each is taken (under take_mutex).
  std::map<std::size_t, std::unique_ptr<ScannedInput>> scanned;
  std::size_t taken = 0;
  std::mutex take_mutex;
  std::mutex stdin_mutex;  // "-" given twice: one reader of standard input at a time (the second gets nothing)
  parallel_for(threads, flags.size(), [&](std::size_t i) {
    // The plan changes as inputs are taken, but not its input names: read without the lock.
    const std::string file = path_of(i);
    std::unique_lock stdin_lock(stdin_mutex, std::defer_lock);
    if (file == "-") stdin_lock.lock();
    auto found = std::make_unique<ScannedInput>(scan_input(compiler, plan, options, file, inputs));
    if (stdin_lock.owns_lock()) stdin_lock.unlock();
    std::lock_guard lock(take_mutex);
    scanned.emplace(i, std::move(found));
    for (auto next = scanned.begin(); next != scanned.end() && next->first == taken; next = scanned.erase(next), ++taken)
      take(taken, *next->second);
  });
  names.seal();
  plan.seal();
  print_diagnostics(std::cerr, setup);

  auto text_of = [&](std::size_t object, std::string& error) {
    const std::size_t input = plan.input_of(object);
    // The plan's name for an input is its path as given (display_name), but for standard
    // input, which is held in memory and never opened again: no second copy of every path.
    return texts.text(input, plan.input_name(input), plan.object(object).span, error);
  };
  // The objects other profiles embed, read and mapped once up front: few, and needed by several workers.
  plan.prepare_embedded([&](std::size_t object) {
    std::string error;  // its own job reports it
    return text_of(object, error);
  });

  // Pass 2: compile and write, in parallel.
  std::mutex io;
  std::atomic<std::size_t> written{0}, failures{0}, warnings{0}, copies{0};
  Progress progress(jobs.size(), args.progress && !report_policy().quiet && !manifest);
  std::vector<Outcome> outcomes(manifest ? jobs.size() : 0);
  // With --json, findings are taken in job order, not as jobs end: those of jobs that ended
  // before an earlier one wait here (under `io`) until it has.
  std::map<std::size_t, Diagnostics> waiting;
  std::size_t taken_diags = 0;
  parallel_for(threads, jobs.size(), [&](std::size_t i) {
    const Job& job = jobs[i];
    Diagnostics diags;
    std::string error;
    bool ok = false, copy = false;
    fs::path target = fs::path(args.out_dir) / names.name(i);
    std::optional<std::string> json;
    if (inputs.is_input(target.string())) {
      diags.add(msg::output_is_input(target.string()));
    } else if (plan.parsed(job.object) || (json = text_of(job.object, error))) {
      auto profile = plan.compile(job.object, json ? *json : std::string_view(), diags);
      copy = !profile && !diags.has_errors();  // an object given again: its first copy's profile is it
      if (profile) {
        const bool secret = holds_secret(profile->root);  // of the payloads, encrypted or not: the mode stays narrow
        std::optional<std::string> bytes;
        if (!args.encryptor) {
          bytes = serialize_plist(profile->root, args.format);
        } else if (auto encrypted = encrypt_profile(profile->root, *args.encryptor, target.string(), diags)) {
          bytes = serialize_plist(*encrypted, args.format);  // encrypted first, then signed, as with -o
        }
        if (bytes && args.signer) bytes = args.signer->sign(*bytes, target.string(), diags);
        if (!bytes) {
          // the encryptor or the signer said why
        } else if (WriteStatus status = write_output(target.string(), *bytes, error,
                                                     {Flush::by_caller, args.force ? Existing::replace : Existing::keep,
                                                      secret, &inputs});
                   status != WriteStatus::ok) {
          if (status == WriteStatus::is_input) diags.add(msg::output_is_input(target.string()));
          else diags.add(msg::cannot_write(target.string(), status == WriteStatus::exists ? "file exists (use --force to overwrite)" : error));
        } else {
          ok = true;
        }
      }
    } else {
      diags.add(msg::cannot_read(plan.input_name(plan.input_of(job.object)), error));
    }
    texts.done(plan.input_of(job.object));
    (ok ? written : copy ? copies : failures)++;
    if (manifest) outcomes[i] = ok ? Outcome::written : copy ? Outcome::copy : Outcome::failed;
    warnings += diags.count(Severity::warning);
    if (manifest) {
      std::lock_guard lock(io);
      waiting.emplace(i, std::move(diags));
      for (auto next = waiting.begin(); next != waiting.end() && next->first == taken_diags; next = waiting.erase(next), ++taken_diags)
        print_diagnostics(std::cerr, next->second);
    } else if (!diags.empty()) {
      std::lock_guard lock(io);
      progress.clear_line();
      print_diagnostics(std::cerr, diags);
    }
    progress.step(io);
  });

  // One flush for the whole batch instead of one wait per file: each file is already
  // complete under its final name (written, then renamed), so only a power loss before
  // this point could lose one.
  if (written > 0) {
    std::string error;
    if (!sync_directory(args.out_dir, error)) {
      Diagnostics d;
      d.add(msg::cannot_write(args.out_dir, "cannot flush the written profiles to disk: " + error));
      print_diagnostics(std::cerr, d);
      ++failed;
    }
  }
  failed += failures;
  skipped += copies;
  status_stream() << written << " written, " << skipped << " skipped, " << failed << " failed, "
                  << warnings + setup.count(Severity::warning) << " warnings\n";
  if (manifest) {
    json_report()["out_dir"] = escape_for_display(args.out_dir);
    const ProfileForm form{static_cast<bool>(args.encryptor), static_cast<bool>(args.signer)};
    set_json_array_text("objects", manifest_json(rows, plan, names, outcomes, args.out_dir, form));
    json_report()["summary"] = Json{{"written", written.load()},
                                    {"skipped", skipped},
                                    {"failed", failed},
                                    {"warnings", warnings + setup.count(Severity::warning)}};
  }
  return failed ? kInputError : kOk;
}

}  // namespace mcc::cli
