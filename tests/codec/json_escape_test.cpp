#include "codec/json_escape.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "codec/utf8.hpp"

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

TEST(JsonEscape, AllControlsAlsoEscapesDelC1AndLineSeparators) {
  std::string out;
  append_json_string("a\x7f\xC2\x85\xE2\x80\xA8\xE2\x80\xA9\n\xC3\xA9", out, JsonControls::all);
  EXPECT_EQ(out, "\"a\\u007f\\u0085\\u2028\\u2029\\n\xC3\xA9\"");
  out.clear();
  append_json_string("\xFF", out, JsonControls::all);
  EXPECT_EQ(out, "\"\xEF\xBF\xBD\"");
}

// Every input, in both modes, is one valid JSON string (nlohmann's parser checks UTF-8 and
// control characters) that round-trips valid UTF-8 unchanged.
TEST(JsonEscape, AnyBytesMakeValidJson) {
  std::mt19937 rng(23);
  std::vector<std::string> inputs;
  for (int b = 0; b < 256; ++b) inputs.emplace_back(1, static_cast<char>(b));
  for (int n = 0; n < 20000; ++n) {
    std::string s(rng() % 12, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? 0x80 | (rng() & 0x7f) : rng() & 0xff);
    inputs.push_back(s);
  }
  for (const auto& in : inputs) {
    for (auto mode : {JsonControls::standard, JsonControls::all}) {
      std::string out;
      append_json_string(in, out, mode);
      nlohmann::json parsed;
      ASSERT_NO_THROW(parsed = nlohmann::json::parse(out)) << out;
      ASSERT_TRUE(parsed.is_string());
      if (utf8_valid(in)) {
        EXPECT_EQ(parsed.get<std::string>(), in);
      }
      if (mode == JsonControls::all) {
        EXPECT_EQ(out.find('\n'), std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace mockloop::codec
