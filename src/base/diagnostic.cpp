// SPDX-License-Identifier: Apache-2.0
#include "mobileconfigc/diagnostic.hpp"

#include <algorithm>
#include <cstdint>

#include "base/utf8.hpp"

namespace mcc {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_byte_escape(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

void append_code_point_escape(std::string& out, std::uint32_t cp) {
  std::string digits;
  do {
    digits.insert(digits.begin(), kHex[cp & 15]);
    cp >>= 4;
  } while (cp != 0);
  out += "\\u{" + digits + "}";
}

std::uint32_t decode(const char* p, std::size_t n) {
  auto b = [p](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
  switch (n) {
    case 2: return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
    case 3: return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
    default: return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
  }
}

// Code points a terminal shows as nothing, or that reorder what follows them (the
// "Trojan Source" characters), or that some viewers treat as a line break.
bool invisible_or_reordering(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) ||                         // C1 controls (CSI is U+009B)
         cp == 0x00AD || cp == 0x061C || cp == 0x180E ||      // soft hyphen, Arabic letter mark, Mongolian vowel separator
         (cp >= 0x200B && cp <= 0x200F) ||                     // zero-width space/joiners, LRM, RLM
         (cp >= 0x2028 && cp <= 0x202E) ||                     // line/paragraph separators, bidi embeddings and overrides
         (cp >= 0x2060 && cp <= 0x206F) ||                     // word joiner, invisible operators, bidi isolates
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||     // zero-width no-break space, interlinear annotation
         (cp >= 0xE0000 && cp <= 0xE007F);                     // tag characters
}

bool plain(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c >= 0x7F;
  });
}

void append_escaped(std::string& out, std::string_view text) {
  if (plain(text)) {  // the common case: printable ASCII
    out += text;
    return;
  }
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7F) {
      if (c == '\n') out += "\\n";
      else if (c == '\t') out += "\\t";
      else if (c == '\r') out += "\\r";
      else append_byte_escape(out, c);
      ++p;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++p;
      continue;
    }
    const std::size_t n = utf8::sequence_length(p, end);
    if (n == 0) {
      append_byte_escape(out, c);
      ++p;
      continue;
    }
    const std::uint32_t cp = decode(p, n);
    if (invisible_or_reordering(cp)) append_code_point_escape(out, cp);
    else out.append(p, n);
    p += n;
  }
}

}  // namespace

void Diagnostics::set_object(std::size_t first, std::size_t object) {
  for (std::size_t i = first; i < items_.size(); ++i)
    if (!items_[i].object) items_[i].object = object;
}

void Diagnostics::set_row(std::size_t first, const std::string& row) {
  for (std::size_t i = first; i < items_.size(); ++i)
    if (items_[i].row.empty()) items_[i].row = row;
}

bool Diagnostics::has_errors() const { return count(Severity::error) > 0; }

std::size_t Diagnostics::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

std::string escape_for_display(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  out.reserve(d.file.size() + d.pointer.size() + d.code.size() + d.message.size() + 16);
  if (!d.file.empty()) {
    append_escaped(out, d.file);
    out += ": ";
  }
  if (!d.pointer.empty()) {
    append_escaped(out, d.pointer);
    out += ": ";
  }
  switch (d.severity) {
    case Severity::error: out += "error "; break;
    case Severity::warning: out += "warning "; break;
    case Severity::note: out += "note "; break;
  }
  append_escaped(out, d.code);
  out += ": ";
  append_escaped(out, d.message);
  return out;
}

}  // namespace mcc
