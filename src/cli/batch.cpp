#include "cli/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "cli/batch_inputs.hpp"
#include "cli/batch_links.hpp"
#include "cli/diagnostics_printer.hpp"
#include "cli/io.hpp"
#include "mobileconfigc/secrets.hpp"
#include "base/messages.hpp"

namespace mcc::cli {
namespace {

namespace fs = std::filesystem;

struct Job {
  std::size_t object;  // position in the ObjectIndex
  std::string output;  // file name inside out_dir
};

// Object → the other objects its profile embeds; only objects with references have an entry.
using Embeddings = std::unordered_map<std::size_t, Embedding>;
const Embedding kNoEmbedding;

// Compiles the job's object together with the objects it references. Diagnostics about the
// embedded objects are left to their own profiles; an embedded object with errors is left
// out (with what it references) rather than failing this profile.
std::optional<CompiledProfile> compile_with_references(const Compiler& compiler, const CompileOptions& options,
                                                       const ObjectIndex& index, std::size_t object, const Embedding& embedding,
                                                       std::string json, const std::map<std::size_t, std::string>& embedded_json,
                                                       Diagnostics& out) {
  const IndexedObject& self = index[object];
  const std::string self_name = display_name(index.path(object));
  const auto& embedded = embedding.objects;
  Diagnostics notes = embedding.diags;
  std::vector<std::string> explained = embedding.explained;
  std::vector<bool> leave_out(embedded.size(), false);
  for (std::size_t k = 0; k < embedded.size(); ++k)  // a file that vanished since pass 1
    if (!embedded_json.count(embedded[k].object)) leave_out[k] = true;

  auto inputs_now = [&] {
    std::vector<InputFile> inputs{{self_name, json, self.pointer}};
    for (std::size_t k = 0; k < embedded.size(); ++k) {
      // Parents come first in `embedded`, so a left-out parent is known before its children.
      if (embedded[k].parent != std::string::npos && leave_out[embedded[k].parent]) leave_out[k] = true;
      if (leave_out[k]) continue;
      const IndexedObject& o = index[embedded[k].object];
      inputs.push_back({display_name(index.path(embedded[k].object)), embedded_json.at(embedded[k].object), o.pointer});
    }
    return inputs;
  };

  Diagnostics diags;
  auto profile = compiler.compile(inputs_now(), options, diags);
  if (!profile) {
    bool own_errors = std::any_of(diags.items().begin(), diags.items().end(), [&](const Diagnostic& d) {
      return d.severity == Severity::error &&
             std::none_of(embedded.begin(), embedded.end(), [&](const Embedded& e) { return index.located_in(d, e.object); });
    });
    bool retry = false;
    for (std::size_t k = 0; k < embedded.size() && !own_errors; ++k) {
      if (leave_out[k]) continue;
      bool broken = std::any_of(diags.items().begin(), diags.items().end(), [&](const Diagnostic& d) {
        return d.severity == Severity::error && index.located_in(d, embedded[k].object);
      });
      if (!broken) continue;
      leave_out[k] = retry = true;
      if (embedded[k].parent != std::string::npos) continue;  // its referrer's own profile explains it
      notes.add(msg::link_unresolved({self_name, embedded[k].via},
                                     "the reference names " + index.describe(embedded[k].object) +
                                         ", which has errors (reported with its own profile); it is not embedded"));
      explained.push_back(embedded[k].via);
    }
    if (retry) {
      diags = Diagnostics();
      profile = compiler.compile(inputs_now(), options, diags);
    }
  }
  out.append(notes);
  for (const auto& d : diags.items()) {
    bool about_embedded = std::any_of(embedded.begin(), embedded.end(), [&](const Embedded& e) { return index.located_in(d, e.object); });
    bool already_explained = d.code == msg::code::link_unresolved && d.file == self_name &&
                             std::find(explained.begin(), explained.end(), d.pointer) != explained.end();
    if (!about_embedded && !already_explained) out.add(d);
  }
  return profile;
}

struct InputPath {
  std::string path;
  bool found_in_directory;  // not named by the user: a file that is not a Graph object is skipped, not an error
};

std::vector<InputPath> expand_inputs(const std::vector<std::string>& inputs, Diagnostics& diags) {
  std::vector<InputPath> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec) && it->path().extension() == ".json") found.push_back(it->path().string());
      }
      if (ec) diags.add(msg::cannot_read(in, ec.message()));
      std::sort(found.begin(), found.end());
      for (auto& f : found) files.push_back({std::move(f), true});
    } else {
      files.push_back({in, false});
    }
  }
  return files;
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

std::string output_stem(const std::string& display_name, const std::string& type, const std::string& id) {
  std::string base = display_name.empty() ? type : display_name;
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
  if (auto problem = output_directory_problem(args.out_dir)) {
    setup.add(msg::cannot_write(args.out_dir, *problem));
    print_diagnostics(std::cerr, setup);
    return kInputError;
  }
  std::vector<InputPath> files = expand_inputs(args.inputs, setup);

  // Pass 1: list every object, so names are stable and collision-free before anything is
  // written, and so a reference can name an object in any input. Each input is read once;
  // only identities, references and where each object's text is are kept.
  ObjectIndex index;
  std::vector<Job> jobs;
  std::vector<InputSource> sources;  // by file id
  InputFiles own_inputs;
  InputFiles& inputs = args.read_files ? *args.read_files : own_inputs;  // no output may replace one of them
  std::size_t skipped = 0, failed = 0;
  std::unordered_set<std::string> used;                 // output names taken
  std::unordered_map<std::string, int> last_suffix;      // stem → the last "-N" it got (stems used more than once)
  unsigned threads = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Takes what pass 1 found in input i into the index, in input order.
  auto take = [&](std::size_t i, ScannedInput& input) {
    const auto& [file, found_in_directory] = files[i];
    auto& [read_error, scan_diags, objects, source] = input;
    if (read_error) {
      inputs.add_path(file);  // not opened: compared by its spelling
      setup.add(msg::cannot_read(display_name(file), *read_error));
      ++failed;
      return;
    }
    bool untyped_only = !scan_diags.empty() && std::all_of(scan_diags.items().begin(), scan_diags.items().end(),
                                                           [](const Diagnostic& d) { return d.code == msg::code::missing_type; });
    if (found_in_directory && untyped_only) {
      std::cerr << file << ": skipped: not a graph object (no @odata.type)\n";
      ++skipped;
      return;
    }
    if (scan_diags.has_errors()) ++failed;
    setup.append(scan_diags);
    std::size_t file_id = index.add_file(file);
    sources.push_back(std::move(source));
    // A list response of 10,000 objects is taken at once: room for exactly those.
    index.reserve_objects(objects.size());
    if (jobs.capacity() < jobs.size() + objects.size()) jobs.reserve(std::max(jobs.size() + objects.size(), 2 * jobs.capacity()));
    for (auto& o : objects) {
      bool supported = o.supported;
      if (!supported) {
        std::cerr << display_name(file) << (o.pointer.empty() ? "" : ": " + o.pointer) << ": skipped: "
                  << o.type << " is not a supported graph type\n";
        ++skipped;
      }
      std::string stem = output_stem(o.display_name, o.type, o.id);
      std::size_t at = index.add({file_id, std::move(o.pointer), o.span, std::move(o.type), std::move(o.id),
                                  std::move(o.display_name), supported, std::move(o.references)});
      if (!supported) continue;
      std::string name = stem + ".mobileconfig";
      if (used.count(name)) {
        // Numbering resumes after the last number this stem got: names are never freed, so
        // the name is the same as counting from 2, without counting again for each namesake.
        int& last = last_suffix[stem];
        for (int n = std::max(last, 1) + 1; used.count(name); ++n) {
          name = stem + "-" + std::to_string(n) + ".mobileconfig";
          last = n;
        }
      }
      used.insert(name);
      jobs.push_back({at, name});
    }
  };
  // Reading and scanning run in parallel; each input is taken as soon as those before it are,
  // so pass 1 holds what the inputs in flight found, and names, messages and the index are the
  // same whatever the number of jobs.
  std::vector<std::unique_ptr<ScannedInput>> scanned(files.size());
  std::size_t taken = 0;
  std::mutex take_mutex;
  std::mutex stdin_mutex;  // "-" given twice: one reader of standard input at a time (the second gets nothing)
  parallel_for(threads, files.size(), [&](std::size_t i) {
    const std::string& file = files[i].path;
    std::unique_lock stdin_lock(stdin_mutex, std::defer_lock);
    if (file == "-") stdin_lock.lock();
    auto found = std::make_unique<ScannedInput>(scan_input(compiler, options, file, inputs));
    if (stdin_lock.owns_lock()) stdin_lock.unlock();
    std::lock_guard lock(take_mutex);
    scanned[i] = std::move(found);
    for (; taken < files.size() && scanned[taken]; ++taken) {
      take(taken, *scanned[taken]);
      scanned[taken].reset();
    }
  });
  scanned.clear();
  used = {};
  last_suffix = {};
  index.seal();
  Embeddings embeddings;
  for (const auto& job : jobs)
    if (!index[job.object].references.empty())
      if (Embedding e = index.embedding(job.object); !e.objects.empty() || !e.diags.empty())
        embeddings.emplace(job.object, std::move(e));
  print_diagnostics(std::cerr, setup);

  std::vector<std::size_t> jobs_by_file(index.file_count(), 0);
  for (const auto& job : jobs) ++jobs_by_file[index[job.object].file];
  ObjectTexts texts(std::move(sources), std::move(jobs_by_file));
  auto text_of = [&](std::size_t object, std::string& error) {
    return texts.text(index[object].file, index.path(object), index[object].span, error);
  };

  // The objects other profiles embed, read once up front: few, and needed by several workers.
  std::map<std::size_t, std::string> embedded_json;
  for (const auto& [object, embedding] : embeddings)
    for (const auto& e : embedding.objects) {
      if (embedded_json.count(e.object)) continue;
      std::string error;  // its own job reports it
      if (auto text = text_of(e.object, error)) embedded_json.emplace(e.object, std::move(*text));
    }

  // Pass 2: compile and write, in parallel.
  std::mutex io;
  std::atomic<std::size_t> written{0}, failures{0}, warnings{0};
  Progress progress(jobs.size(), args.progress);
  parallel_for(threads, jobs.size(), [&](std::size_t i) {
    const Job& job = jobs[i];
    Diagnostics diags;
    std::string error;
    bool ok = false;
    fs::path target = fs::path(args.out_dir) / job.output;
    if (inputs.is_input(target.string())) {
      diags.add(msg::output_is_input(target.string()));
    } else if (auto json = text_of(job.object, error)) {
      auto found = embeddings.find(job.object);
      const Embedding& embedding = found != embeddings.end() ? found->second : kNoEmbedding;
      auto profile = compile_with_references(compiler, options, index, job.object, embedding, std::move(*json), embedded_json, diags);
      if (profile) {
        std::optional<std::string> bytes = serialize_plist(profile->root, args.format);
        if (args.signer) bytes = args.signer->sign(*bytes, target.string(), diags);
        if (!bytes) {
          // the signer said why
        } else if (WriteStatus status = write_output(target.string(), *bytes, error,
                                                     {Flush::by_caller, args.force ? Existing::replace : Existing::keep,
                                                      holds_secret(profile->root), &inputs});
                   status != WriteStatus::ok) {
          if (status == WriteStatus::is_input) diags.add(msg::output_is_input(target.string()));
          else diags.add(msg::cannot_write(target.string(), status == WriteStatus::exists ? "file exists (use --force to overwrite)" : error));
        } else {
          ok = true;
        }
      }
    } else {
      diags.add(msg::cannot_read(display_name(index.path(job.object)), error));
    }
    texts.done(index[job.object].file);
    (ok ? written : failures)++;
    warnings += diags.count(Severity::warning);
    if (!diags.empty()) {
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
  std::cerr << written << " written, " << skipped << " skipped, " << failed << " failed, "
            << warnings + setup.count(Severity::warning) << " warnings\n";
  return failed ? kInputError : kOk;
}

}  // namespace mcc::cli
