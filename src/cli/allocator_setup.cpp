// SPDX-License-Identifier: Apache-2.0
// The allocator's settings for this process, made before its first allocation. Linked into
// the executable only when it is linked with mimalloc (CMakeLists.txt).
//
// A fresh process is dominated by page faults and by the kernel zeroing the pages it touches
// (bench/RESULTS.md). A one-shot command therefore takes its C++ allocations from the start-up
// arena (startup_arena.cpp), one 2 MiB large page for a single compile's ~1.1 MB, and leaves
// mimalloc the C libraries' few blocks, in 4 KiB pages. Should the arena not map, mimalloc
// takes large OS pages for the whole heap instead (539 -> 277 faults; the arena makes it 295
// faults and one large page rather than three). A batch (--out-dir) keeps neither: its heap
// grows to tens of megabytes and a 2 MiB page counts whole in its resident memory, which has
// to stay under 32 MB at 100,000 files. MIMALLOC_LARGE_OS_PAGES in the environment still
// decides mimalloc's pages, either way.
#include <mimalloc.h>

#include <cstring>

#include "cli/startup_arena.hpp"

namespace {

bool writes_a_batch(int argc, char** argv) {
  for (int i = 1; i < argc && argv[i] != nullptr; ++i)
    if (std::strncmp(argv[i], "--out-dir", 9) == 0) return true;
  return false;
}

// glibc passes the main program's arguments to its constructors; priority 101 runs this
// before the C++ runtime's and the program's own, which allocate.
__attribute__((constructor(101))) void set_up_allocator(int argc, char** argv, char** /*envp*/) {
  if (argv == nullptr || writes_a_batch(argc, argv)) return;
  if (!mcc::cli::open_startup_arena()) mi_option_set_default(mi_option_large_os_pages, 1);
}

}  // namespace
