// codec/utf8.hpp: RFC 3629 validity and the WHATWG maximal-subpart rule, checked against
// every code point and against the Unicode standard's own example.
#include "codec/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mockloop::codec {
namespace {

std::string encode(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// The lengths of the steps decoding `s` takes, with 0 for an invalid step.
std::vector<size_t> steps(std::string_view s) {
  std::vector<size_t> out;
  for (size_t i = 0; i < s.size();) {
    auto st = utf8_decode(s, i);
    out.push_back(st.valid ? st.len : 0);
    i += st.len;
  }
  return out;
}

TEST(Utf8, EveryScalarValueDecodesAndNoSurrogateDoes) {
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    const std::string s = encode(c);
    const auto st = utf8_decode(s, 0);
    const bool surrogate = c >= 0xD800 && c <= 0xDFFF;
    ASSERT_EQ(st.valid, !surrogate) << std::hex << static_cast<uint32_t>(c);
    ASSERT_EQ(utf8_valid(s), !surrogate) << std::hex << static_cast<uint32_t>(c);
    if (!surrogate) {
      ASSERT_EQ(static_cast<uint32_t>(st.cp), static_cast<uint32_t>(c));
      ASSERT_EQ(st.len, s.size());
    }
  }
}

TEST(Utf8, OverlongTruncatedAndOutOfRangeFormsAreInvalid) {
  for (const char* s : {"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
                        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\x80", "\xE2\x82", "\xF0\x9F\x98", "a\xC3"})
    EXPECT_FALSE(utf8_valid(s)) << s;
  EXPECT_TRUE(utf8_valid(""));
  EXPECT_TRUE(utf8_valid("plain \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD"));
}

// The Unicode Standard, chapter 3, "U+FFFD Substitution of Maximal Subparts" (table 3-8):
// 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 -> a FFFD FFFD FFFD b FFFD c FFFD FFFD d.
TEST(Utf8, InvalidBytesAreConsumedByMaximalSubpart) {
  EXPECT_EQ(steps("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            (std::vector<size_t>{1, 0, 0, 0, 1, 0, 1, 0, 0, 1}));
  auto st = utf8_decode("\xF1\x80\x80", 0);
  EXPECT_FALSE(st.valid);
  EXPECT_EQ(st.len, 3u);
  EXPECT_EQ(static_cast<uint32_t>(st.cp), 0xFFFDu);
  EXPECT_EQ(steps("\xED\xA0\x80"), (std::vector<size_t>{0, 0, 0}));  // a surrogate: three
}

}  // namespace
}  // namespace mockloop::codec
