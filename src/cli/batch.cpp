#include "cli/batch.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli/diagnostics_printer.hpp"
#include "cli/io.hpp"
#include "core/messages.hpp"

namespace mcc::cli {
namespace {

namespace fs = std::filesystem;

struct Job {
  std::string file;
  std::string pointer;
  std::string output;  // file name inside out_dir
};

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

class Progress {
 public:
  Progress(std::size_t total, bool enabled) : total_(total), enabled_(enabled && ::isatty(STDERR_FILENO)) {}
  void step(std::mutex& io) {
    std::size_t done = ++done_;
    if (!enabled_) return;
    std::lock_guard lock(io);
    std::cerr << "\r[" << done << "/" << total_ << "] " << (done * 100 / std::max<std::size_t>(total_, 1)) << "%" << std::flush;
    if (done == total_) std::cerr << "\r\033[K" << std::flush;
  }
  void clear_line() const {
    if (enabled_ && done_ < total_) std::cerr << "\r\033[K";
  }

 private:
  std::size_t total_;
  bool enabled_;
  std::atomic<std::size_t> done_{0};
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
  std::error_code ec;
  if (!fs::is_directory(args.out_dir, ec)) {
    setup.add(msg::cannot_write(args.out_dir, "output directory does not exist"));
    print_diagnostics(std::cerr, setup);
    return kInputError;
  }
  std::vector<InputPath> files = expand_inputs(args.inputs, setup);

  // Pass 1: list every object, so names are stable and collision-free before anything is written.
  std::vector<Job> jobs;
  std::size_t skipped = 0, failed = 0;
  std::set<std::string> used;
  for (const auto& [file, found_in_directory] : files) {
    std::string error;
    auto bytes = read_input(file, error);
    if (!bytes) {
      setup.add(msg::cannot_read(display_name(file), error));
      ++failed;
      continue;
    }
    Diagnostics scan_diags;
    auto objects = compiler.scan({display_name(file), std::move(*bytes), ""}, options, scan_diags);
    bool untyped_only = !scan_diags.empty() && std::all_of(scan_diags.items().begin(), scan_diags.items().end(),
                                                           [](const Diagnostic& d) { return d.code == "MCC-R005"; });
    if (found_in_directory && untyped_only) {
      std::cerr << file << ": skipped: not a graph object (no @odata.type)\n";
      ++skipped;
      continue;
    }
    if (scan_diags.has_errors()) ++failed;
    setup.append(scan_diags);
    for (const auto& o : objects) {
      if (!o.supported) {
        std::cerr << display_name(file) << (o.pointer.empty() ? "" : ": " + o.pointer) << ": skipped: "
                  << o.type << " is not a supported graph type\n";
        ++skipped;
        continue;
      }
      std::string stem = output_stem(o.display_name, o.type, o.id);
      std::string name = stem + ".mobileconfig";
      for (int n = 2; used.count(name); ++n) name = stem + "-" + std::to_string(n) + ".mobileconfig";
      used.insert(name);
      jobs.push_back({file, o.pointer, name});
    }
  }
  print_diagnostics(std::cerr, setup);

  // Pass 2: compile and write, in parallel. Each worker re-reads the file it needs.
  std::mutex io;
  std::atomic<std::size_t> next{0}, written{0}, failures{0}, warnings{0};
  Progress progress(jobs.size(), args.progress);
  auto worker = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      const Job& job = jobs[i];
      Diagnostics diags;
      std::string error;
      bool ok = false;
      fs::path target = fs::path(args.out_dir) / job.output;
      if (auto bytes = read_input(job.file, error)) {
        auto objects = compiler.scan({display_name(job.file), std::move(*bytes), ""}, options, diags);
        auto it = std::find_if(objects.begin(), objects.end(), [&](const auto& o) { return o.pointer == job.pointer; });
        if (it != objects.end()) {
          auto profile = compiler.compile({InputFile{display_name(job.file), it->json, job.pointer}}, options, diags);
          if (profile) {
            if (!args.force && fs::exists(target)) {
              diags.add(msg::cannot_write(target.string(), "file exists (use --force to overwrite)"));
            } else {
              std::optional<std::string> bytes = serialize_plist(profile->root, args.format);
              if (args.signer) bytes = args.signer->sign(*bytes, target.string(), diags);
              if (!bytes) {
                // the signer said why
              } else if (!write_atomic(target.string(), *bytes, error)) {
                diags.add(msg::cannot_write(target.string(), error));
              } else {
                ok = true;
              }
            }
          }
        }
      } else {
        diags.add(msg::cannot_read(display_name(job.file), error));
      }
      (ok ? written : failures)++;
      warnings += diags.count(Severity::warning);
      if (!diags.empty()) {
        std::lock_guard lock(io);
        progress.clear_line();
        print_diagnostics(std::cerr, diags);
      }
      progress.step(io);
    }
  };
  unsigned n = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(jobs.size(), 1)));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  failed += failures;
  std::cerr << written << " written, " << skipped << " skipped, " << failed << " failed, "
            << warnings + setup.count(Severity::warning) << " warnings\n";
  return failed ? kInputError : kOk;
}

}  // namespace mcc::cli
