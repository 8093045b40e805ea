// SPDX-License-Identifier: Apache-2.0
#include "plist/preflight.hpp"

#include <algorithm>
#include <vector>

namespace mcc::plist {
namespace {

using u64 = std::uint64_t;

u64 saturating_add(u64 a, u64 b) { return a + b < a ? UINT64_MAX : a + b; }

Preflight refuse(Verdict verdict, std::string why) { return Preflight{verdict, std::move(why), {}}; }

// ---------------------------------------------------------------------------------------------
// Binary plists ("bplist00"): a trailer at the end names the offset table, the table gives each
// object's offset, and arrays, sets and dictionaries hold object numbers ("references").
// The checks follow libplist 2.2's plist_from_bin, and are stricter where a profile never
// needs its leniency (offset and reference sizes above 8 bytes, length fields of 16 or more
// bytes, null and UID objects).

class BinaryCheck {
 public:
  explicit BinaryCheck(std::string_view b) : b_(b) {}

  Preflight run() {
    if (b_.size() < 40) return damaged("fewer than 40 bytes");
    const u64 trailer = b_.size() - 32;
    offset_size_ = byte(trailer + 6);
    ref_size_ = byte(trailer + 7);
    count_ = be(trailer + 8, 8);
    const u64 top = be(trailer + 16, 8);
    table_ = be(trailer + 24, 8);
    if (offset_size_ < 1 || offset_size_ > 8 || ref_size_ < 1 || ref_size_ > 8)
      return refuse(Verdict::unsupported, "the trailer gives offsets or references of " + std::to_string(offset_size_) + " and " +
                                              std::to_string(ref_size_) + " bytes; 1 to 8 are accepted");
    if (count_ == 0) return damaged("the trailer declares no objects");
    if (count_ > kMaxNodes)
      return refuse(Verdict::too_large, "the binary plist declares " + std::to_string(count_) + " objects; at most " +
                                            std::to_string(kMaxNodes) + " are accepted");
    if (top >= count_) return damaged("the top object is not in the offset table");
    if (table_ < 8 || table_ >= trailer || count_ * offset_size_ > trailer - table_)
      return damaged("the offset table lies outside the file");
    return walk(top);
  }

 private:
  // One object as read from the file.
  struct Object {
    unsigned type = 0;  // the marker's high nibble
    u64 refs_at = 0;    // arrays, sets, dictionaries: where the references start
    u64 refs = 0;       // how many (a dictionary: its keys, then as many values)
    u64 size = 0;       // bytes in the file
  };
  // A container being walked, with what its children added up to so far.
  struct Frame {
    u64 index;
    Object object;
    u64 next = 0;  // the next reference to follow
    int child_height = -1;
    u64 nodes = 0, bytes = 0;
  };

  static constexpr unsigned kString = 0x5, kUtf16 = 0x6, kArray = 0xA, kSet = 0xC, kDict = 0xD;

  [[nodiscard]] unsigned byte(u64 at) const { return static_cast<unsigned char>(b_[at]); }
  [[nodiscard]] u64 be(u64 at, unsigned n) const {
    u64 v = 0;
    for (unsigned i = 0; i < n; ++i) v = (v << 8) | byte(at + i);
    return v;
  }
  static Preflight damaged(const std::string& why) { return refuse(Verdict::malformed, "damaged binary plist: " + why); }
  static bool container(unsigned type) { return type == kArray || type == kSet || type == kDict; }

  [[nodiscard]] u64 offset_of(u64 index) const { return be(table_ + index * offset_size_, offset_size_); }

  // Reads object `index` (its marker, length and bounds); a refusal when it is not one libplist reads.
  std::optional<Preflight> read(u64 index, Object& o) const {
    const auto name = [index] { return "object " + std::to_string(index); };
    const u64 off = offset_of(index), end = table_;  // objects lie before the offset table
    if (off >= end) return damaged(name() + " lies outside the object data");
    const unsigned marker = byte(off), info = marker & 0x0F;
    o.type = marker >> 4;
    u64 pos = off + 1, length = info;
    const bool has_length = o.type == 0x4 || o.type == kString || o.type == kUtf16 || container(o.type);
    if (has_length && info == 0x0F) {
      if (pos >= end || (byte(pos) >> 4) != 0x1) return damaged(name() + " has a malformed length");
      const unsigned n = byte(pos) & 0x0F;
      if (n > 3) return refuse(Verdict::unsupported, name() + " has a length field of " + std::to_string(1u << n) + " bytes");
      if (pos + 1 + (1u << n) > end) return damaged(name() + " has a length beyond the object data");
      length = be(pos + 1, 1u << n);
      pos += 1 + (1u << n);
    }
    const u64 room = end - pos;
    u64 payload = 0;
    switch (o.type) {
      case 0x0:
        if (info != 0x8 && info != 0x9) return refuse(Verdict::unsupported, name() + " is a null or fill object, which a profile cannot hold");
        break;
      case 0x1:  // integer of 1, 2, 4, 8 or 16 bytes
        if (info > 4) return damaged(name() + " is an integer of an invalid size");
        payload = u64{1} << info;
        break;
      case 0x2:  // real of 4 or 8 bytes
        if (info != 2 && info != 3) return damaged(name() + " is a real of an invalid size");
        payload = u64{1} << info;
        break;
      case 0x3:  // date: a real of 8 bytes
        if (info != 3) return damaged(name() + " is a date of an invalid size");
        payload = 8;
        break;
      case 0x4:
      case kString: payload = length; break;
      case kUtf16:
        if (length == 0) return damaged(name() + " is an empty utf-16 string, which libplist cannot read");
        if (length > room / 2) return damaged(name() + " extends beyond the object data");
        payload = length * 2;
        break;
      case kArray:
      case kSet:
      case kDict:
        // libplist bounds the count here and each reference when it follows it (walk()).
        if (length > room) return damaged(name() + " extends beyond the object data");
        o.refs_at = pos;
        o.refs = o.type == kDict ? 2 * length : length;
        o.size = pos - off + o.refs * ref_size_;
        return std::nullopt;
      default:
        return refuse(Verdict::unsupported, name() + " is of type 0x" + std::string(1, "0123456789abcdef"[o.type]) +
                                                ", which a profile cannot hold");
    }
    if (payload > room) return damaged(name() + " extends beyond the object data");
    // libplist 2.2 asserts (aborts the process) on a NUL inside a string or key.
    if (o.type == kString && b_.substr(pos, payload).find('\0') != std::string_view::npos) return nul();
    if (o.type == kUtf16)
      for (u64 i = 0; i < payload; i += 2)
        if (byte(pos + i) == 0 && byte(pos + i + 1) == 0) return nul();
    o.size = pos - off + payload;
    return std::nullopt;
  }

  static Preflight nul() { return refuse(Verdict::nul, "a string or key holds a NUL character"); }
  static Preflight too_deep() {
    return refuse(Verdict::too_deep, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }

  // Depth and expanded size from the top object, without recursion: a depth-first walk whose
  // stack never grows past kMaxDepth + 1 frames, and that finishes each object once, keeping
  // its height, node count and byte count for every further reference (libplist copies a
  // shared object for each one, so the counts add up as libplist's tree would). It follows
  // references in libplist's order (a dictionary's key, then its value) and checks them
  // when libplist does, so where it finds the file damaged libplist would fail too, having
  // built no more than was counted here.
  Preflight walk(u64 top) {
    state_.assign(count_, kNew);
    height_.assign(count_, 0);
    nodes_.assign(count_, 0);
    bytes_.assign(count_, 0);
    std::vector<Frame> stack;
    Object o;
    if (auto refused = read(top, o)) return *refused;
    if (!container(o.type) || o.refs == 0) return accepted(0, 1, o.size);
    state_[top] = kOpen;
    stack.push_back(Frame{top, o});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == f.object.refs) {
        const u64 index = f.index;
        height_[index] = static_cast<std::uint8_t>(f.child_height + 1);
        nodes_[index] = saturating_add(f.nodes, 1);
        bytes_[index] = saturating_add(f.bytes, f.object.size);
        state_[index] = kDone;
        stack.pop_back();
        if (stack.empty()) return accepted(height_[index], nodes_[index], bytes_[index]);
        if (auto refused = add(stack.back(), index, stack.size())) return *refused;
        continue;
      }
      const u64 step = f.next++;
      bool is_key = false;
      u64 at = step;  // which reference: a dictionary's entry e has its key at e, its value at n + e
      if (f.object.type == kDict) {
        const u64 entries = f.object.refs / 2, entry = step / 2;
        is_key = step % 2 == 0;
        at = is_key ? entry : entries + entry;
        if (is_key) {  // libplist checks both references of an entry before it reads the key
          if (auto refused = reference(f, entries + entry)) return *refused;
        }
      }
      if (auto refused = reference(f, at)) return *refused;
      const u64 child = be(f.object.refs_at + at * ref_size_, ref_size_);
      const u64 depth = stack.size();  // of the child: the top object is at 0
      if (state_[child] == kOpen) return refuse(Verdict::cycle, "an array or dictionary contains itself");
      if (state_[child] == kNew) {
        if (depth > static_cast<u64>(kMaxDepth) && !is_key) return too_deep();
        if (auto refused = read(child, o)) return *refused;
        if (is_key && o.type != kString && o.type != kUtf16)  // libplist reads the whole key before it finds this
          return refuse(container(o.type) ? Verdict::unsupported : Verdict::malformed,
                        "damaged binary plist: a key of object " + std::to_string(f.index) + " is not a string");
        if (container(o.type) && o.refs > 0) {
          state_[child] = kOpen;
          stack.push_back(Frame{child, o});  // `f` is not used after this
          continue;
        }
        state_[child] = kDone;
        nodes_[child] = 1;
        bytes_[child] = o.size;
      }
      if (auto refused = add(f, child, depth)) return *refused;
      if (is_key) {
        const unsigned type = byte(offset_of(child)) >> 4;
        if (type != kString && type != kUtf16) return damaged("a key of object " + std::to_string(f.index) + " is not a string");
      }
    }
    return damaged("the walk ended early");  // not reached
  }

  // Reference `at` of a container: within the object data, naming an object that exists.
  std::optional<Preflight> reference(const Frame& f, u64 at) const {
    if (f.object.refs_at + (at + 1) * ref_size_ > table_) return damaged("object " + std::to_string(f.index) + " extends beyond the object data");
    const u64 child = be(f.object.refs_at + at * ref_size_, ref_size_);
    if (child >= count_)
      return damaged("object " + std::to_string(f.index) + " refers to object " + std::to_string(child) + ", which does not exist");
    return std::nullopt;
  }

  // Counts a finished child (at `depth`) into its parent's frame.
  std::optional<Preflight> add(Frame& parent, u64 child, u64 depth) {
    if (depth + height_[child] > static_cast<u64>(kMaxDepth)) return too_deep();
    parent.child_height = std::max<int>(parent.child_height, height_[child]);
    parent.nodes = saturating_add(parent.nodes, nodes_[child]);
    parent.bytes = saturating_add(parent.bytes, bytes_[child]);
    if (parent.nodes >= kMaxNodes) return too_many();
    if (parent.bytes > kMaxExpandedBytes) return too_big();
    return std::nullopt;
  }

  static Preflight too_many() {
    return refuse(Verdict::too_large, "the objects expand to more than " + std::to_string(kMaxNodes) +
                                          " nodes (a shared object counts once for every reference to it)");
  }
  static Preflight too_big() {
    return refuse(Verdict::too_large, "the objects expand to more than " + std::to_string(kMaxExpandedBytes >> 20) +
                                          " MiB (a shared object counts once for every reference to it)");
  }
  static Preflight accepted(int depth, u64 nodes, u64 bytes) {
    if (nodes > kMaxNodes) return too_many();
    if (bytes > kMaxExpandedBytes) return too_big();
    return Preflight{Verdict::accepted, "", Shape{depth, nodes}};
  }

  enum : std::uint8_t { kNew, kOpen, kDone };
  std::string_view b_;
  unsigned offset_size_ = 0, ref_size_ = 0;
  u64 count_ = 0, table_ = 0;
  std::vector<std::uint8_t> state_, height_;
  std::vector<u64> nodes_, bytes_;
};

// ---------------------------------------------------------------------------------------------
// XML plists: the control flow of libplist 2.2's node_from_xml and get_text_parts, step for
// step, keeping only what the tree would look like. Where libplist would fail, the bytes are
// refused here, so libplist never reads further than this pass did.

class XmlCheck {
 public:
  explicit XmlCheck(std::string_view b) : b_(b), end_(static_cast<std::ptrdiff_t>(b.size())) {}

  Preflight run() {
    if (b_.find('\0') != std::string_view::npos) return refuse(Verdict::nul, "a string or key holds a NUL character");
    parse();
    if (refusal_) return *refusal_;
    return Preflight{Verdict::accepted, "", shape_};
  }

 private:
  [[nodiscard]] char at(std::ptrdiff_t i) const { return b_[static_cast<std::size_t>(i)]; }
  [[nodiscard]] bool starts(std::ptrdiff_t i, std::string_view s) const {
    return i >= 0 && i + static_cast<std::ptrdiff_t>(s.size()) <= end_ && b_.substr(static_cast<std::size_t>(i), s.size()) == s;
  }
  bool fail(const char* why) {
    if (!refusal_) refusal_ = refuse(Verdict::malformed, std::string("malformed xml at byte ") + std::to_string(pos_) + ": " + why);
    return false;
  }
  static bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  void skip_ws() {
    while (pos_ < end_ && space(at(pos_))) ++pos_;
  }
  // libplist's find_char, find_str and find_next: stop at `c`, at `s`, or at one of `chars`;
  // with `quotes`, a double-quoted stretch is passed over whole.
  void skip_quoted() {
    ++pos_;
    find_char('"', false);
  }
  void find_char(char c, bool quotes) {
    while (pos_ < end_ && at(pos_) != c) {
      if (quotes && c != '"' && at(pos_) == '"') {
        skip_quoted();
        if (pos_ >= end_) return;
      }
      ++pos_;
    }
  }
  void find_str(std::string_view s, bool quotes) {
    const auto len = static_cast<std::ptrdiff_t>(s.size());
    while (pos_ < end_ - len) {
      if (starts(pos_, s)) break;
      if (quotes && at(pos_) == '"') {
        skip_quoted();
        if (pos_ >= end_) return;
      }
      ++pos_;
    }
  }
  void find_next(std::string_view chars, bool quotes) {
    while (pos_ < end_) {
      if (quotes && at(pos_) == '"') {
        skip_quoted();
        if (pos_ >= end_) return;
      }
      if (chars.find(at(pos_)) != std::string_view::npos) return;
      ++pos_;
    }
  }

  // The text of a non-empty element, through its end tag; false where libplist fails. With
  // `unescapes` (strings and keys), adds what unescaping its character references costs libplist.
  bool text(std::string_view tag, bool skip_leading_ws, bool unescapes) {
    if (skip_leading_ws) skip_ws();
    const std::ptrdiff_t start = pos_;
    while (true) {
      find_char('<', false);
      if (pos_ >= end_) return fail("an element is not closed");
      if (++pos_ >= end_) return fail("an element is not closed");
      if (at(pos_) == '!') {
        ++pos_;
        if (pos_ >= end_ - 1) return fail("an element is not closed");
        if (at(pos_) == '-' && at(pos_ + 1) == '-') {
          pos_ += 2;
          find_str("-->", false);
          if (pos_ > end_ - 3 || !starts(pos_, "-->")) return fail("a comment is not closed");
          pos_ += 3;
        } else if (at(pos_) == '[') {
          ++pos_;
          if (pos_ >= end_ - 8) return fail("an element is not closed");
          if (!starts(pos_, "CDATA[")) return fail("an unexpected <![ inside an element");
          pos_ += 6;
          find_str("]]>", false);
          if (pos_ > end_ - 3 || !starts(pos_, "]]>")) return fail("a CDATA section is not closed");
          pos_ += 3;
        } else {
          return fail("an unexpected <! inside an element");
        }
      } else if (at(pos_) == '/') {
        break;
      } else {
        return fail("an unexpected tag inside an element");
      }
    }
    // libplist moves the rest of a text part once for every character reference in it.
    if (unescapes) {
      const std::string_view content = b_.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(pos_ - 1 - start));
      const auto references = static_cast<u64>(std::count(content.begin(), content.end(), '&'));
      unescape_work_ = saturating_add(unescape_work_, references * content.size());
      if (unescape_work_ > kMaxUnescapeWork)
        return refusal_ = refuse(Verdict::too_large, "strings hold too many character references (&...;) for their length"), false;
    }
    ++pos_;
    const auto len = static_cast<std::ptrdiff_t>(tag.size());
    if (pos_ >= end_ - len || !starts(pos_, tag)) return fail("an end tag does not match");
    pos_ += len;
    skip_ws();
    if (pos_ >= end_ || at(pos_) != '>') return fail("an end tag does not match");
    ++pos_;
    return true;
  }

  bool doctype() {
    pos_ += 8;
    bool internal_subset = false;
    while (pos_ < end_) {
      find_next(" \t\r\n[>", true);
      if (pos_ >= end_) return fail("a DOCTYPE is not closed");
      if (at(pos_) == '[') {
        internal_subset = true;
        break;
      }
      if (at(pos_) == '>') {
        ++pos_;
        break;
      }
      skip_ws();
    }
    if (internal_subset) {
      find_str("]>", true);
      if (pos_ > end_ - 2 || !starts(pos_, "]>")) return fail("a DOCTYPE is not closed");
      pos_ += 2;
    }
    return true;
  }

  // A node is made below the current parent (a dictionary key is not a level of its own).
  bool node(bool counts_as_level) {
    const int depth = counts_as_level ? static_cast<int>(parents_.size()) : 0;
    if (depth > kMaxDepth) return refusal_ = refuse(Verdict::too_deep, "nesting deeper than " + std::to_string(kMaxDepth) + " levels"), false;
    shape_.depth = std::max(shape_.depth, depth);
    if (++shape_.nodes > kMaxNodes)
      return refusal_ = refuse(Verdict::too_large, "more than " + std::to_string(kMaxNodes) + " elements"), false;
    return true;
  }

  void parse() {
    std::vector<char> path;  // open <plist>, <dict> and <array> elements: 'p', 'd', 'a'
    bool root = false, has_content = false, keyname = false, seen_tag = false;
    while (pos_ < end_ && !refusal_) {
      skip_ws();
      if (pos_ >= end_) break;
      if (at(pos_) != '<') {
        if (!seen_tag) refusal_ = refuse(Verdict::malformed, "neither xml nor a binary plist");
        return (void)fail("text outside an element");
      }
      seen_tag = true;
      if (++pos_ >= end_) return (void)fail("the document ends inside a tag");
      if (at(pos_) == '?') {
        find_str("?>", true);
        if (pos_ > end_ - 2 || !starts(pos_, "?>")) return (void)fail("a processing instruction is not closed");
        pos_ += 2;
        continue;
      }
      if (at(pos_) == '!') {
        if (end_ - pos_ > 3 && starts(pos_, "!--")) {
          pos_ += 3;
          find_str("-->", false);
          if (pos_ > end_ - 3 || !starts(pos_, "-->")) return (void)fail("a comment is not closed");
          pos_ += 3;
        } else if (end_ - pos_ > 8 && starts(pos_, "!DOCTYPE")) {
          if (!doctype()) return;
        } else {
          return (void)fail("an unexpected <!");
        }
        continue;
      }
      const std::ptrdiff_t name = pos_;
      find_next(" \r\n\t<>", false);
      if (pos_ >= end_) return (void)fail("the document ends inside a tag");
      std::string tag(b_.substr(static_cast<std::size_t>(name), static_cast<std::size_t>(pos_ - name)));
      if (at(pos_) != '>') find_next("<>", true);
      if (pos_ >= end_ || at(pos_) != '>') return (void)fail("a tag is not closed");
      bool empty = false;
      if (at(pos_ - 1) == '/') {
        const auto idx = static_cast<std::size_t>(pos_ - name - 1);
        if (idx < tag.size()) tag.resize(idx);
        empty = true;
      }
      ++pos_;
      if (tag == "plist") {
        has_content = false;
        if (path.empty() && root) return;  // libplist stops at a second top-level <plist>
        if (empty) return (void)fail("an empty <plist/>");
        path.push_back('p');
        continue;
      }
      if (tag == "/plist") {
        if (!has_content || path.empty() || path.back() != 'p') return (void)fail("a </plist> does not match");
        path.pop_back();
        continue;
      }
      has_content = true;
      const bool is_container = tag == "dict" || tag == "array";
      if (tag == "integer" || tag == "real" || tag == "data" || tag == "date") {
        if (!empty && !text(tag, true, false)) return;
      } else if (tag == "true" || tag == "false") {
        if (!empty && !text(tag, true, false)) return;
      } else if (tag == "string" || tag == "key") {
        if (!empty && !text(tag, false, true)) return;
        if (tag == "key" && !empty && !keyname && !parents_.empty() && parents_.back() == 'd') {
          keyname = true;  // the name of the next value; libplist makes its key node then
          if (!node(false)) return;
          continue;
        }
      } else if (!is_container && (tag.empty() || tag[0] != '/')) {
        return (void)fail("an unexpected tag");
      }
      if (tag[0] == '/') {
        const char want = tag == "/dict" ? 'd' : tag == "/array" ? 'a' : '?';
        if (path.empty() || path.back() != want) return (void)fail("an end tag does not match");
        path.pop_back();
        parents_.pop_back();
        if (parents_.empty()) return;  // the top dictionary or array is complete
      } else if (!root) {
        if (!node(true)) return;
        root = true;
        if (!is_container) return;  // a lone value is the whole plist
        parents_.push_back(tag[0]);  // libplist makes the top node the parent, even when empty
        if (!empty) path.push_back(tag[0]);
      } else {
        if (parents_.back() == 'd' && !keyname) return (void)fail("a dictionary value without a key");
        if (!node(true)) return;
        if (!empty && is_container) {
          path.push_back(tag[0]);
          parents_.push_back(tag[0]);
        }
      }
      keyname = false;
    }
    if (!refusal_ && !path.empty()) fail("the document ends before its elements are closed");
  }

  std::string_view b_;
  std::ptrdiff_t pos_ = 0, end_;
  std::vector<char> parents_;  // the current parent and its ancestors: 'd' or 'a'
  Shape shape_;
  u64 unescape_work_ = 0;
  std::optional<Preflight> refusal_;
};

}  // namespace

Preflight preflight(std::string_view bytes) {
  if (bytes.substr(0, 8) == "bplist00") return BinaryCheck(bytes).run();
  return XmlCheck(bytes).run();
}

}  // namespace mcc::plist
