// SPDX-License-Identifier: Apache-2.0
// Why one region: a fresh process spends more of its time in the kernel than in its own code,
// and much of that is zeroing the memory it first touches. mimalloc gives each size class its
// own 64 KiB page (512 KiB for the medium ones), so the ~1.1 MB a single compile allocates, in
// some fifty size classes, is spread over three 2 MiB huge pages: 6 MiB to zero, or ~220 more
// faults in 4 KiB pages. Carved one after the other from one region, the same allocations fit
// in one huge page. Nothing is given back: what a one-shot command frees it would not have
// reused for long, and the region is small. A full region hands every later allocation to
// mimalloc, as before, so a command that allocates more only loses the region's use.
#include "cli/startup_arena.hpp"

#include <mimalloc.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <new>

namespace mcc::cli {
namespace {

constexpr std::size_t kLargePage = std::size_t{2} << 20;
constexpr std::size_t kAlignment = __STDCPP_DEFAULT_NEW_ALIGNMENT__;

// Set once by open_startup_arena, before any other thread exists; read-only afterwards.
char* region_begin = nullptr;
char* region_end = nullptr;
std::atomic<std::size_t> region_used{0};

// Every block a multiple of the alignment (and at least one), so each starts aligned and is
// distinct from every other. A block that would pass the end is refused; the region then counts
// as full, whatever is left of it.
void* take(std::size_t n) noexcept {
  if (region_begin == nullptr || n > kStartupArenaBytes) return nullptr;
  if (region_used.load(std::memory_order_relaxed) >= kStartupArenaBytes) return nullptr;
  const std::size_t size = n == 0 ? kAlignment : (n + kAlignment - 1) & ~(kAlignment - 1);
  const std::size_t at = region_used.fetch_add(size, std::memory_order_relaxed);
  if (at + size > kStartupArenaBytes) {
    region_used.store(kStartupArenaBytes, std::memory_order_relaxed);
    return nullptr;
  }
  return region_begin + at;
}

bool holds(void* p) noexcept {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  return at >= reinterpret_cast<std::uintptr_t>(region_begin) && at < reinterpret_cast<std::uintptr_t>(region_end);
}

void give_back(void* p) noexcept {
  if (!holds(p)) mi_free(p);
}

}  // namespace

bool open_startup_arena() noexcept {
  if (region_begin != nullptr) return true;
  // One page more than the region, so that a 2 MiB boundary can start it; the rest is unmapped.
  const std::size_t mapped = kStartupArenaBytes + kLargePage;
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return false;
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kLargePage - 1) & ~(std::uintptr_t{kLargePage} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t tail = start + mapped - (aligned + kStartupArenaBytes);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + kStartupArenaBytes), tail);
  // Where the kernel offers no transparent huge pages this fails, and 4 KiB pages serve.
  madvise(reinterpret_cast<void*>(aligned), kStartupArenaBytes, MADV_HUGEPAGE);
  region_begin = reinterpret_cast<char*>(aligned);
  region_end = region_begin + kStartupArenaBytes;
  return true;
}

}  // namespace mcc::cli

// The replaceable global allocation functions ([new.delete]). The aligned forms are left to
// mimalloc, and so are their deletes, which only ever see its blocks. mi_new ends the process on
// exhaustion, as the operator new mimalloc exports (and this executable used) does.
void* operator new(std::size_t n) {
  if (void* p = mcc::cli::take(n)) return p;
  return mi_new(n);
}
void* operator new[](std::size_t n) {
  if (void* p = mcc::cli::take(n)) return p;
  return mi_new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (void* p = mcc::cli::take(n)) return p;
  return mi_new_nothrow(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  if (void* p = mcc::cli::take(n)) return p;
  return mi_new_nothrow(n);
}
void operator delete(void* p) noexcept { mcc::cli::give_back(p); }
void operator delete[](void* p) noexcept { mcc::cli::give_back(p); }
void operator delete(void* p, std::size_t) noexcept { mcc::cli::give_back(p); }
void operator delete[](void* p, std::size_t) noexcept { mcc::cli::give_back(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { mcc::cli::give_back(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { mcc::cli::give_back(p); }
