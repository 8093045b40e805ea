// SPDX-License-Identifier: Apache-2.0
// The executable's replacement of the global operator new and delete (startup_arena.cpp):
// a one-shot command's C++ allocations come from one region of memory, in large pages where
// the kernel offers them, and are never given back. Linked only with mimalloc, which serves
// everything the region does not hold.
#pragma once

#include <cstddef>

namespace mcc::cli {

/// What the region holds: 4 MiB, two 2 MiB pages of which a single compile touches one.
inline constexpr std::size_t kStartupArenaBytes = std::size_t{4} << 20;

/// Maps the region; every operator new from then on is served from it until it is full. Call
/// once, before any thread starts. False (and nothing changes) when the region cannot be mapped.
bool open_startup_arena() noexcept;

}  // namespace mcc::cli
