#pragma once
// Cross-input references in `compile --out-dir`: which other objects of the whole input
// set one object's profile embeds (a VPN's identity certificate, that certificate's root).

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "mobileconfigc/compile.hpp"

namespace mcc::cli {

/// Where a scanned object is and what a reference to it can match. No JSON: the index of a
/// 10,000-object export stays small, and objects are re-read when a profile needs them.
struct IndexedObject {
  std::size_t file;          // ObjectIndex::path(file): the input path as given
  std::string pointer;       // where the object sits in it
  TextSpan span;             // its text in the input
  std::string type;          // short Graph type, as written
  std::string id;            // stable id (GraphObjectInfo::id)
  std::string display_name;  // empty when it has none
  bool supported = false;    // a mapping table exists for the type
  std::vector<GraphReference> references;
};

/// One object a profile embeds besides its own.
struct Embedded {
  std::size_t object;  // position in the index
  std::size_t parent;  // position in Embedding::objects of the object that references it; npos: the profile's own object
  std::string via;     // the pointer of the profile object's own reference that leads here
};

/// What one object's profile embeds besides the object itself.
struct Embedding {
  std::vector<Embedded> objects;       // compiled after the object, in this order
  Diagnostics diags;                   // references that could not be followed (MCC-M010), and why
  std::vector<std::string> explained;  // pointers of the references `diags` explains
};

/// Every object of a batch, by id and by display name.
class ObjectIndex {
 public:
  /// Adds an input file (its objects name it by the returned number) or an object; call
  /// seal() after the last object and before embedding().
  std::size_t add_file(std::string path);
  /// Makes room for `more` objects (as growing one at a time would, or exactly when more are
  /// added at once).
  void reserve_objects(std::size_t more) {
    if (objects_.capacity() < objects_.size() + more) objects_.reserve(std::max(objects_.size() + more, 2 * objects_.capacity()));
  }
  std::size_t add(IndexedObject object);
  void seal();
  [[nodiscard]] const IndexedObject& operator[](std::size_t i) const { return objects_[i]; }
  [[nodiscard]] std::size_t size() const { return objects_.size(); }
  [[nodiscard]] std::size_t file_count() const { return files_.size(); }
  /// The input path object `i` was read from.
  [[nodiscard]] const std::string& path(std::size_t i) const { return files_[objects_[i].file]; }
  /// True when the diagnostic points into object `i` (its file, at or below its pointer).
  [[nodiscard]] bool located_in(const Diagnostic& d, std::size_t i) const;

  /// The objects object `i`'s references name, then what those name in turn (a VPN's SCEP
  /// profile, then its trusted root). A reference resolves by Graph id first, then by display
  /// name (case-sensitive) and, when the reference names one, type. A reference that matches
  /// several objects embeds none of them and is reported with the first few candidates; a reference that
  /// matches nothing is left to the link stage, which reports it when compiling.
  [[nodiscard]] Embedding embedding(std::size_t i) const;

  /// "iosScepCertificateProfile 'Contoso SCEP' (export.json: /value/1, id 8d3e…)", for diagnostics.
  [[nodiscard]] std::string describe(std::size_t i) const;

 private:
  struct Match {
    std::size_t count = 0;          // objects the reference matches, the referrer aside
    std::vector<std::size_t> first;  // the first few of them, in the order the reference names them
    bool by_id = false;
  };
  [[nodiscard]] Match resolve(const GraphReference& ref, std::size_t from) const;

  std::vector<std::string> files_;
  std::vector<IndexedObject> objects_;
  // Positions sorted by id and by display name: a few bytes per object, where maps of
  // strings would cost a few hundred in a 10,000-object batch.
  std::vector<std::size_t> by_id_;
  std::vector<std::size_t> by_name_;           // objects with a display name
  std::vector<std::size_t> by_name_and_type_;  // the same, by display name and type (ignoring case)
};

}  // namespace mcc::cli
