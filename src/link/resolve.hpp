// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one reference resolver: which Graph object a reference names (a VPN's identity
// certificate, a SCEP profile's trusted root), among the objects of one profile or of a whole
// batch. Both ask it, so a reference means the same in a single compile and in a batch.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mcc::link {

/// What a reference can match an object by. The views point into storage the caller keeps
/// unchanged while the Resolver lives.
struct Candidate {
  std::string_view id;            // the stable id (Graph id, or derived from the content)
  std::string_view display_name;  // empty when the object has none
  std::string_view type;          // short Graph type
};

/// A reference as an object writes it.
struct ReferenceKeys {
  const std::vector<std::string>& ids;            // Graph ids (@odata.bind, an expanded object, a plain id)
  const std::vector<std::string>& display_names;  // display names (expanded object, IntuneManagement #CustomRef_)
  const std::vector<std::string>& types;          // the target's Graph type, when the reference names it
};

class Resolver {
 public:
  /// Candidates in their order (input order); a match lists them in that order.
  explicit Resolver(std::vector<Candidate> candidates);

  struct Match {
    std::size_t count = 0;           // candidates matched, the referrer aside
    std::vector<std::size_t> first;  // the first `listed` of them: each id's (or name's) in the reference's order
    bool by_id = false;              // matched by id (names were not looked at)
  };

  /// The candidates `ref` names, other than `from`: by id first; only when no id matches, by
  /// display name and — when the reference names types — type, compared ignoring case (Graph
  /// type names are written in either case). Costs a few lookups, whatever the number of matches.
  [[nodiscard]] Match resolve(const ReferenceKeys& ref, std::size_t from, std::size_t listed = 3) const;

  /// Candidates whose id or display name is `what`, in order (`--link FROM=TO`).
  [[nodiscard]] std::vector<std::size_t> named(std::string_view what) const;

 private:
  std::vector<Candidate> candidates_;
  // Positions sorted by id, by display name, and by display name and type (ignoring case):
  // a few bytes per object, where maps of strings would cost a few hundred in a large batch.
  std::vector<std::size_t> by_id_, by_name_, by_name_and_type_;
};

}  // namespace mcc::link
