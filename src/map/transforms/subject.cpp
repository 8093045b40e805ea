// SPDX-License-Identifier: Apache-2.0
#include "map/transforms/subject.hpp"

#include <cctype>

#include "base/carriable.hpp"
#include "base/utf8.hpp"

namespace mcc::map::transforms {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (std::tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}


// A keyword (RFC 4512 descr) or a dotted OID; "OID." / "oid." prefixes are RFC 1779's.
bool valid_type(std::string& type) {
  if (type.size() > 4 && (type.compare(0, 4, "OID.") == 0 || type.compare(0, 4, "oid.") == 0)) type.erase(0, 4);
  if (type.empty()) return false;
  if (std::isdigit(static_cast<unsigned char>(type[0]))) {
    bool dot_ok = false;
    for (char c : type) {
      if (c == '.') {
        if (!dot_ok) return false;
        dot_ok = false;
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        dot_ok = true;
      } else {
        return false;
      }
    }
    return dot_ok && type.find('.') != std::string::npos;
  }
  if (!std::isalpha(static_cast<unsigned char>(type[0]))) return false;
  for (char c : type)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  ParsedSubject run() {
    ParsedSubject out;
    skip_spaces();
    if (i_ == s_.size()) return fail(out, "the subject is empty");
    Rdn rdn;
    while (true) {
      SubjectAttribute attr;
      if (!type(attr.type, out) || !value(attr.value, out)) return out;
      rdn.push_back(std::move(attr));
      skip_spaces();
      if (i_ == s_.size()) break;
      char sep = s_[i_++];
      if (sep == ',' || sep == ';') {
        out.rdns.push_back(std::move(rdn));
        rdn.clear();
      } else if (sep != '+') {
        --i_;
        return fail(out, std::string("expected ',' or '+' after a value, found '") + sep + "'");
      }
      skip_spaces();
      if (i_ == s_.size()) return fail(out, std::string("the subject ends with '") + sep + "'");
    }
    out.rdns.push_back(std::move(rdn));
    return out;
  }

 private:
  ParsedSubject& fail(ParsedSubject& out, std::string why) {
    out.rdns.clear();
    out.error = std::move(why);
    out.error_offset = i_;
    return out;
  }

  void skip_spaces() {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }

  bool type(std::string& t, ParsedSubject& out) {
    std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != '=' && s_[i_] != ',' && s_[i_] != '+' && s_[i_] != ';') ++i_;
    std::string_view raw = s_.substr(start, i_ - start);
    while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
    if (i_ == s_.size() || s_[i_] != '=') {
      i_ = start;
      return fail(out, "expected TYPE=value, found '" + std::string(raw) + "' without '='"), false;
    }
    t = std::string(raw);
    if (!valid_type(t)) {
      i_ = start;
      return fail(out, "'" + std::string(raw) + "' is not an attribute type (a name such as CN, or a dotted OID)"), false;
    }
    ++i_;  // '='
    skip_spaces();
    return true;
  }

  // One escape after '\': a special character or two hex digits (one UTF-8 byte).
  bool escape(std::string& v, ParsedSubject& out) {
    if (i_ + 1 >= s_.size()) return fail(out, "the subject ends with a lone '\\'"), false;
    char c = s_[i_ + 1];
    if (is_hex(c)) {
      if (i_ + 2 >= s_.size() || !is_hex(s_[i_ + 2]))
        return fail(out, "'\\' must be followed by a special character or two hex digits"), false;
      v += static_cast<char>(hex_value(c) * 16 + hex_value(s_[i_ + 2]));
      i_ += 3;
      return true;
    }
    static constexpr std::string_view kSpecial = "\"+,;<>\\ #=";
    if (kSpecial.find(c) == std::string_view::npos)
      return fail(out, std::string("'\\") + c + "' is not a valid escape"), false;
    v += c;
    i_ += 2;
    return true;
  }

  bool value(std::string& v, ParsedSubject& out) {
    std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '#') return fail(out, "hex-encoded (#...) attribute values are not supported"), false;
    if (i_ < s_.size() && s_[i_] == '"') {
      ++i_;
      while (true) {
        if (i_ == s_.size()) {
          i_ = start;
          return fail(out, "a quoted value is not closed"), false;
        }
        char c = s_[i_];
        if (c == '"') break;
        if (c == '\\') {
          if (!escape(v, out)) return false;
          continue;
        }
        v += c;
        ++i_;
      }
      ++i_;  // closing quote
    } else {
      std::size_t keep = 0;  // length of v up to the last character that is not an unescaped trailing space
      while (i_ < s_.size()) {
        char c = s_[i_];
        if (c == ',' || c == '+' || c == ';') break;
        if (c == '\\') {
          if (!escape(v, out)) return false;
          keep = v.size();
          continue;
        }
        if (c == '"') return fail(out, "'\"' inside a value must be escaped as '\\\"' or the value quoted"), false;
        v += c;
        ++i_;
        if (!is_space(c)) keep = v.size();
      }
      v.resize(keep);
    }
    if (v.empty()) {
      i_ = start;
      return fail(out, "an attribute has an empty value"), false;
    }
    if (!utf8::valid(v)) {
      i_ = start;
      return fail(out, "a value is not valid UTF-8"), false;
    }
    // An escape such as \01 yields a byte that no plist can carry.
    if (auto at = find_uncarriable(v); at != std::string::npos) {
      i_ = start;
      return fail(out, "a value holding " + describe_uncarriable(v, at) + ", which no property list can carry,"), false;
    }
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

ParsedSubject parse_subject(std::string_view text) { return Parser(text).run(); }

}  // namespace mcc::map::transforms
