// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a property list can carry as text. An XML plist is an XML 1.0 document, whose text
// may not hold C0 control characters other than tab, LF and CR, nor U+FFFE or U+FFFF, and
// must be UTF-8; a profile that holds them is refused by every XML parser, so the library
// neither writes such text nor calls a profile holding it valid.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mobileconfigc/value.hpp"

namespace mcc {

/// Which characters a check lets through: `text` allows tab, LF and CR (a plist string can
/// carry them); `identifier` allows no control character at all (DEL included).
enum class TextRule { text, identifier };

/// The byte offset of the first character of `s` that `rule` does not allow (bytes that are
/// not UTF-8 included); npos when there is none.
std::size_t find_uncarriable(std::string_view s, TextRule rule = TextRule::text);

/// Names the character at `at` (as found by find_uncarriable) without echoing the text:
/// "a control character (U+0001)", "the noncharacter U+FFFF", "bytes that are not utf-8".
std::string describe_uncarriable(std::string_view s, std::size_t at);

/// One string or dictionary key that a property list cannot carry.
struct UncarriableText {
  std::string path;  // key path of the string, or of the dictionary whose key it is ("" for the root)
  bool is_key = false;
  std::string what;  // describe_uncarriable
  /// What holds it: "PayloadContent[0].VPN.AuthName", "a key of PayloadContent[0]".
  [[nodiscard]] std::string subject() const;
};

/// Every such string and key in `root`, in document order (at most `limit` of them).
std::vector<UncarriableText> find_uncarriable_text(const Value& root, std::size_t limit = 64);

}  // namespace mcc
