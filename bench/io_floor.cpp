// SPDX-License-Identifier: Apache-2.0
// The file-system floor of a batch, for bench/compare.sh: reads every input file the way
// mobileconfigc does and writes one output of a given size per input, without compiling
// anything. No converter that reads N files and writes N files can be faster than this on
// the same machine, so it bounds the throughput ratios the comparison can reach.
//
//   io_floor atomic|plain BYTES OUT_DIR IN_DIR
//
// atomic: mobileconfigc's own write_output (temporary file, then renamed into place
//         without replacing), as `compile --out-dir` writes.
// plain:  open, write, close (what the Python converter's Path.write_bytes does).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/io.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: io_floor atomic|plain BYTES OUT_DIR IN_DIR\n");
    return 2;
  }
  const std::string mode = argv[1];
  const std::string out_dir = argv[3];
  std::vector<std::string> inputs;
  for (const auto& e : fs::directory_iterator(argv[4]))
    if (e.path().extension() == ".json") inputs.push_back(e.path().string());
  std::sort(inputs.begin(), inputs.end());
  std::size_t bytes = std::stoul(argv[2]);
  for (const auto& in : inputs) {
    std::string error;
    auto data = mcc::cli::read_input(in, error);
    if (!data) {
      std::fprintf(stderr, "%s: %s\n", in.c_str(), error.c_str());
      return 1;
    }
    data->resize(bytes, ' ');  // the size of a profile, whatever the input's size
    std::string out = out_dir + "/" + fs::path(in).stem().string() + ".mobileconfig";
    if (mode == "atomic") {
      if (mcc::cli::write_output(out, *data, error, {mcc::cli::Flush::by_caller, mcc::cli::Existing::keep}) !=
          mcc::cli::WriteStatus::ok) {
        std::fprintf(stderr, "%s: %s\n", out.c_str(), error.c_str());
        return 1;
      }
    } else {
      int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0 || ::write(fd, data->data(), data->size()) != static_cast<ssize_t>(data->size()) || ::close(fd) != 0) {
        std::perror(out.c_str());
        return 1;
      }
    }
  }
  return 0;
}
