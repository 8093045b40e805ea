// SPDX-License-Identifier: Apache-2.0
// find_uncarriable reads sixteen or eight bytes at a time and its last bytes as one padded word: at
// every length and every position, each kind of character is found exactly where a
// byte-by-byte reading of the rules finds it.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/carriable.hpp"
#include "base/utf8.hpp"

namespace mcc {
namespace {

// The rules, one character at a time (the header's words, not the word-at-a-time code).
std::size_t reference(std::string_view s, TextRule rule) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      const bool control =
          rule == TextRule::identifier ? (c < 0x20 || c == 0x7F) : (c < 0x20 && c != '\t' && c != '\n' && c != '\r');
      if (control) return i;
      ++i;
      continue;
    }
    const std::size_t n = utf8::sequence_length(s.data() + i, s.data() + s.size());
    const bool noncharacter =
        n == 3 && c == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF);
    if (n == 0 || noncharacter) return i;
    i += n;
  }
  return std::string_view::npos;
}

TEST(FindUncarriable, FindsEachKindOfCharacterWhereTheByteRulesDoAtEveryLengthAndPosition) {
  const std::vector<std::string> inserts = {std::string(1, '\0'), "\x01", "\x1F", "\t", "\n", "\r", "\x7F", " ", "~",
                                            "\xC3\xA9",          // é: carried
                                            "\xE2\x82\xAC",      // €: carried
                                            "\xF0\x9F\x94\x92",  // a four-byte character: carried
                                            "\xEF\xBF\xBE",      // U+FFFE
                                            "\xEF\xBF\xBF",      // U+FFFF
                                            // Not UTF-8: a lone continuation byte, two sequences cut short, a byte
                                            // never in UTF-8, an encoded surrogate.
                                            "\x80", "\xC3", "\xE2\x82", "\xFF", "\xED\xA0\x80"};
  int checked = 0;
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (const auto& insert : inserts) {
        std::string s(length, 'a');
        s.insert(at, insert);
        for (TextRule rule : {TextRule::text, TextRule::identifier}) {
          ASSERT_EQ(find_uncarriable(s, rule), reference(s, rule))
              << "length " << length << ", at " << at << ", insert of " << insert.size() << " bytes, rule "
              << (rule == TextRule::text ? "text" : "identifier");
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 861 * 19 * 2);
  // Found, not merely compared: a control character at the very end of a short and a long string.
  EXPECT_EQ(find_uncarriable(std::string("abc\x01")), 3u);
  EXPECT_EQ(find_uncarriable(std::string(17, 'x') + '\x02'), 17u);
  EXPECT_EQ(find_uncarriable("PayloadIdentifier"), std::string_view::npos);
  EXPECT_EQ(find_uncarriable(""), std::string_view::npos);
}

}  // namespace
}  // namespace mcc
