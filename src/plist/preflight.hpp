// SPDX-License-Identifier: Apache-2.0
#pragma once
// What may be given to libplist 2.2. Its parsers trust their input further than a file from
// somewhere else deserves: the binary parser recurses once per level (100,000 nested arrays
// overflow the stack, after a quadratic check for cycles) and copies an object again for every
// reference to it (a DAG of 733 bytes expands to gigabytes); the XML parser frees its tree
// recursively and unescapes a string's character references in quadratic time; both assert
// on a NUL inside a string. This pass reads the bytes without building anything, in linear
// time and without recursion, and says whether libplist may parse them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcc::plist {

/// Nesting: the top object is at depth 0; nothing may be deeper than this.
inline constexpr int kMaxDepth = 64;
/// Nodes libplist would build (dictionary keys included; in a binary plist, every
/// reference to a shared object counts, as libplist copies it). Also the most objects a
/// binary plist may declare.
inline constexpr std::uint64_t kMaxNodes = 1'000'000;
/// Bytes of binary-plist objects the tree expands to, every copy counted: what a tree-shaped
/// file of the largest accepted size (64 MiB) holds at most.
inline constexpr std::uint64_t kMaxExpandedBytes = std::uint64_t{64} << 20;
/// Bytes libplist's XML parser may move while it unescapes character references: it moves
/// the rest of a string once per reference.
inline constexpr std::uint64_t kMaxUnescapeWork = std::uint64_t{1} << 30;

/// The shape of the tree libplist would build from bytes that passed.
struct Shape {
  int depth = 0;            // of the deepest node (the top object is at 0; dictionary keys are not counted)
  std::uint64_t nodes = 0;  // nodes built, dictionary keys included
};

enum class Verdict {
  accepted,
  malformed,    // libplist would refuse the bytes too
  unsupported,  // libplist might read them, but no profile looks like this
  nul,          // a NUL inside a string (libplist 2.2 would abort)
  too_deep,     // nesting deeper than kMaxDepth
  cycle,        // an array or dictionary that contains itself
  too_large,    // over kMaxNodes, kMaxExpandedBytes or kMaxUnescapeWork
};

struct Preflight {
  Verdict verdict = Verdict::accepted;
  std::string reason;  // when refused: why, lowercase, for MCC-P001
  Shape shape;         // when accepted: an upper bound of what libplist builds
};

/// Checks binary ("bplist00") or XML plist bytes before libplist parses them.
Preflight preflight(std::string_view bytes);

}  // namespace mcc::plist
