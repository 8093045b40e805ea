// SPDX-License-Identifier: Apache-2.0
#pragma once
// The read stage: bytes → Graph objects, each with its file and JSON pointer.

#include <nlohmann/json.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mobileconfigc/diagnostic.hpp"

namespace mcc::read {

struct GraphObject {
  std::string file;     // as named on the command line ("<stdin>" for -)
  std::string pointer;  // where the object sits in the file ("" or "/value/3")
  std::string type;     // short Graph type name, e.g. "iosikEv2VpnConfiguration"
  nlohmann::json json;
};

struct ReadLimits {
  /// Text held at once: an input read whole (refused before parsing when larger), or, when an
  /// input is streamed, the one value of it being read.
  std::size_t max_bytes = std::size_t{64} << 20;
  /// An input streamed (`compile --out-dir` of a regular UTF-8 file: split as it is read, each
  /// object read again at its place) is never held whole, only max_bytes of it at a time, so
  /// it may be larger. Its size still bounds the time and the entries a batch keeps for each
  /// object (0.5 to 1 KB; most objects per byte in a list of minimal ~40-byte objects), and
  /// pass 2 reads it again: 1 GiB, some 450,000 Intune VPN objects in one list response,
  /// where a tenant's export is a few MB and issue 18's 100,000 objects 220 MB.
  std::size_t max_stream_bytes = std::size_t{1} << 30;
  int max_depth = 64;  // Graph objects nest a few levels; deeper is hostile
};

/// Why an input of `size` bytes (or, with `more`, of more than `size`) is refused:
/// "70000000 bytes; at most 67108864 are accepted".
std::string size_limit_reason(std::size_t size, const ReadLimits& limits, bool more = false);
/// The same against another limit (`limit` bytes, such as max_stream_bytes).
std::string size_limit_reason(std::size_t size, std::size_t limit, bool more = false);

/// Parses one input file. `forced_type` (--type) applies to objects without @odata.type.
std::vector<GraphObject> read_graph_objects(const std::string& file, std::string_view bytes,
                                            const std::optional<std::string>& forced_type,
                                            Diagnostics& diags, const ReadLimits& limits = {});

/// Parses one value cut out of a file, which sits there at `pointer`, as one Graph object:
/// the checks of read_graph_objects, without looking for a Graph response around it.
/// Nothing when it is not one (diagnosed); `is_json`, when given, is set to false when the
/// text itself was refused (not JSON, a repeated key, too large or too deep).
std::optional<GraphObject> read_graph_object(const std::string& file, std::string_view bytes, const std::string& pointer,
                                             const std::optional<std::string>& forced_type, Diagnostics& diags,
                                             const ReadLimits& limits = {}, bool* is_json = nullptr);

/// A value of an input's top-level structure that read_graph_objects reads as a Graph object
/// (or reports as not being one): where it sits in the input's UTF-8 text.
struct SplitValue {
  std::string pointer;     // "", "/3", "/value" or "/value/3"
  std::size_t offset = 0;  // of its first byte in the text
  std::size_t length = 0;
};

/// Splits an input's UTF-8 text, fed in pieces, into the values read_graph_objects would read
/// as Graph objects: the elements of a Graph list response ({"value": [...]}) or of a JSON
/// array, or the one object. It reads only the structure around them, so a list of thousands
/// of objects is handed out one object at a time and never held, or parsed, as one document.
///
/// The splitter checks that structure exactly as the JSON parser would (syntax, nesting depth,
/// the keys and other values of a list response); each value's own text is checked by whoever
/// reads it. A text it does not split (finish() returns false) is one read_graph_objects
/// refuses, or, when fed in pieces, a top-level object that proves to be a Graph object only
/// after its "value" list (it has an @odata.type too), or one that would hold more than
/// `limits.max_bytes` at once (see feed()): read such a text whole.
class InputSplitter {
 public:
  /// Called with each value as soon as its text is complete; `text` lives during the call.
  using OnValue = std::function<void(const SplitValue& value, std::string_view text)>;

  /// `whole`: the text comes in one piece (one feed() call), so the values of a top-level
  /// object are decided at its end and every valid text is split.
  /// `limits`: max_depth, and max_bytes, which bounds what is held (see feed()).
  InputSplitter(OnValue on_value, bool whole, const ReadLimits& limits = {});

  /// Scans the next piece of the text. Keeps only what an unfinished value still needs: the
  /// list element being read, or a top-level object until it is known to be a list response.
  /// What it keeps between pieces (that text, and the keys of a top-level object) stays
  /// within `limits.max_bytes`: a text that would need more fails to split.
  void feed(std::string_view piece);
  /// After the last piece: true when the text was split (every value has been handed out).
  [[nodiscard]] bool finish();
  /// True once the text is known not to split: the rest of it need not be fed.
  [[nodiscard]] bool failed() const { return state_ == State::failed; }
  /// After finish(): the pointer of the top-level list when it is empty ("" or "/value"),
  /// which read_graph_objects reports.
  [[nodiscard]] const std::optional<std::string>& empty_list() const { return empty_list_; }

 private:
  // What comes next. key … list_more: inside a top-level object (keep_from() relies on the order).
  enum class State { top, array, array_more, key, colon, member, member_more, list, list_more, end, failed };
  enum class Role { top_value, array_element, key, member_value, list_element };
  struct Member {
    std::string key;  // decoded
    std::size_t key_offset = 0, key_length = 0, value_offset = 0, value_length = 0;
    bool checked = false;  // key and value text found valid
  };

  void scan(std::string_view view);
  void structure(char c, std::size_t at);
  void start_value(char c, std::size_t at, Role role);
  void end_value(std::size_t end);
  void end_top_object(std::size_t end);
  bool check_member(Member& m, bool value_too);
  void emit(std::string pointer, std::size_t offset, std::size_t length);
  bool deeper();
  std::size_t keep_from() const;
  [[nodiscard]] std::string_view text(std::size_t offset, std::size_t length) const;

  OnValue on_value_;
  bool whole_;
  int max_depth_;
  std::size_t max_held_;
  std::string_view view_;  // the text being scanned: the piece, or buffer_ + the piece
  std::string buffer_;     // text kept from earlier pieces
  std::size_t base_ = 0;   // offset of buffer_'s (and view_'s) first byte in the text
  std::size_t pos_ = 0;    // offset of the next byte to scan
  State state_ = State::top;
  bool after_comma_ = false;
  int depth_ = 0;  // brackets open outside strings, as read_graph_objects counts them

  // The value being scanned, if any.
  bool in_value_ = false;
  Role role_ = Role::top_value;
  std::size_t value_start_ = 0;
  int value_depth_ = 0;  // brackets open inside it
  bool in_string_ = false, escaped_ = false, scalar_ = false;

  // A top-level object.
  std::size_t top_start_ = 0;
  std::vector<Member> members_;
  std::optional<std::size_t> member_start_;  // offset of the current member's key
  std::set<std::string> keys_;               // of checked members
  std::size_t members_held_ = 0;             // memory members_ and keys_ take, about
  bool has_type_ = false;                    // an "@odata.type" key: the object is a Graph object
  bool list_ = false;                        // its "value" member is a list, read element by element
  bool streaming_list_ = false;              // ... whose elements are handed out as they come
  std::size_t list_member_ = 0;              // the "value" member's position in members_
  std::vector<SplitValue> deferred_;         // elements waiting for the object's end (whole text)

  std::size_t next_index_ = 0;  // of the next list element
  std::optional<std::string> empty_list_;
};

}  // namespace mcc::read
