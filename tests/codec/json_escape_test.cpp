#include "codec/json_escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mockloop::codec {
namespace {

std::string js(std::string_view s) {
  std::string out;
  append_json_string(s, out);
  return out;
}

TEST(JsonEscape, MatchesJsonStringifyOnValidUtf8) {
  // JSON.stringify("a\"b\\c\b\f\n\r\t\u0001\u001f\u007fé😀")
  EXPECT_EQ(js("a\"b\\c\b\f\n\r\t\x01\x1f\x7f\xC3\xA9\xF0\x9F\x98\x80"),
            "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xC3\xA9\xF0\x9F\x98\x80\"");
  EXPECT_EQ(js(std::string_view("\0", 1)), "\"\\u0000\"");
  EXPECT_EQ(js(""), "\"\"");
}

TEST(JsonEscape, InvalidUtf8BecomesOneReplacementPerMaximalSubpart) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(js("\xFF"), "\"" + r + "\"");
  EXPECT_EQ(js("a\x80z"), "\"a" + r + "z\"");
  EXPECT_EQ(js("\xE2\x82"), "\"" + r + "\"");           // truncated 3-byte sequence: one
  EXPECT_EQ(js("\xE2\x82z"), "\"" + r + "z\"");
  EXPECT_EQ(js("\xED\xA0\x80"), "\"" + r + r + r + "\"");  // a UTF-16 surrogate: three
  EXPECT_EQ(js("\xC0\xAF"), "\"" + r + r + "\"");          // overlong: two
  EXPECT_EQ(js("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // past U+10FFFF
  EXPECT_EQ(js("\xF0\x9F\x98"), "\"" + r + "\"");
}

TEST(JsonEscape, BodyHasNoQuotes) {
  std::string out = "x";
  append_json_string_body("a\"\n", out);
  EXPECT_EQ(out, "xa\\\"\\n");
}

}  // namespace
}  // namespace mockloop::codec
