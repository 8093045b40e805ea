// SPDX-License-Identifier: Apache-2.0
// mimalloc's settings for this process, made before its first allocation. Linked into the
// executable only when it is linked with mimalloc (CMakeLists.txt).
//
// A fresh process is dominated by page faults, which cost ~15 us each on the VMs this was
// measured on (bench/RESULTS.md): a single compile touches some 250 pages of heap, 4 KiB at a
// time. In large OS pages (2 MiB, transparent huge pages where the kernel offers them for
// madvise) its heap takes a few faults instead: 539 -> 277 faults, ~30 % of the wall time.
// A batch (--out-dir) keeps 4 KiB pages: its heap grows to tens of megabytes and a 2 MiB page
// counts whole in its resident memory, which has to stay under 32 MB at 100,000 files.
// MIMALLOC_LARGE_OS_PAGES in the environment still decides, either way.
#include <mimalloc.h>

#include <cstring>

namespace {

bool writes_a_batch(int argc, char** argv) {
  for (int i = 1; i < argc && argv[i] != nullptr; ++i)
    if (std::strncmp(argv[i], "--out-dir", 9) == 0) return true;
  return false;
}

// glibc passes the main program's arguments to its constructors; priority 101 runs this
// before the C++ runtime's and the program's own, which allocate.
__attribute__((constructor(101))) void set_up_allocator(int argc, char** argv, char** /*envp*/) {
  if (argv != nullptr && !writes_a_batch(argc, argv)) mi_option_set_default(mi_option_large_os_pages, 1);
}

}  // namespace
