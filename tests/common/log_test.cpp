// log::format_line: a logged field cannot forge a line or a field, in text or JSON, whatever
// its bytes (a doc name arrives percent-decoded from the request path: "%0A" is a newline).
#include "common/log.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mockloop::log {
namespace {

// The line after its timestamp ("2026-...Z "), for text lines.
std::string after_ts(const std::string& line) { return line.substr(line.find(' ') + 1); }

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

size_t newlines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

// True when `s` has no raw control byte (C0, DEL) and is valid UTF-8 without C1 controls.
bool clean_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) return false;  // C1
    i += len;
  }
  return true;
}

TEST(Log, TextEscapesNewlinesSoADocNameCannotForgeALine) {
  std::string doc = "a\n2026-12-04T00:00:00.000Z ERROR auth: admin logged in";
  auto line = format_line(Level::info, "yjs", "refused", {{"doc", doc}, {"reason", "bad"}}, false);
  EXPECT_EQ(newlines(line), 1u);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(after_ts(line),
            "INFO yjs: refused doc=\"a\\n2026-12-04T00:00:00.000Z ERROR auth: admin logged in\" reason=bad\n");
}

TEST(Log, TextEscapesEveryControlBackslashAndInvalidUtf8) {
  std::string v = std::string("t\tr\rz") + '\0' + "e\x1b[31m" + "d\x7f" + "c1\xc2\x85" + "ls\xe2\x80\xa8" +
                  "bad\xff\xc3" + "back\\n" + "ok\xc3\xa9";
  auto line = format_line(Level::warn, "c\nx", "m\r", {{"k\n", v}}, false);
  EXPECT_EQ(after_ts(line),
            "WARN c\\nx: m\\r k\\n=t\\tr\\rz\\x00e\\x1b[31md\\x7fc1\\u0085ls\\u2028bad\\xff\\xc3back\\\\nok\xc3\xa9\n");
  EXPECT_TRUE(clean_utf8(line.substr(0, line.size() - 1)));
}

TEST(Log, TextQuotesValuesThatWouldLookLikeMoreFields) {
  auto line = format_line(Level::info, "a", "m", {{"doc", "x level=error"}, {"e", ""}, {"q", "say \"hi\""}}, false);
  EXPECT_EQ(after_ts(line), "INFO a: m doc=\"x level=error\" e=\"\" q=\"say \\\"hi\\\"\"\n");
}

TEST(Log, JsonIsOneValidLineForAnyBytes) {
  std::string v = std::string("q\"b\\n\n\r\t") + '\0' + "\x1f\x7f\xc2\x85\xe2\x80\xa9" + "\xff\xc0\xaf\xed\xa0\x80" +
                  "\xf4\x90\x80\x80" + "\xe2\x82" + "\xf0\x9f\x98\x80";
  auto line = format_line(Level::error, "store", v, {{v, v}}, true);
  EXPECT_EQ(newlines(line), 1u);
  EXPECT_TRUE(clean_utf8(line.substr(0, line.size() - 1)));
  const std::string esc =
      std::string("\"q\\\"b\\\\n\\n\\r\\t\\u0000\\u001f\\u007f\\u0085\\u2029") +
      // One U+FFFD per maximal invalid subpart (codec/utf8.hpp): ff | c0 | af | ed a0 80 (3) |
      // f4 90 80 80 (4) | e2 82 (1).
      repeat("\xef\xbf\xbd", 11) + "\xf0\x9f\x98\x80\"";
  EXPECT_NE(line.find(",\"msg\":" + esc + "," + esc + ":" + esc + "}\n"), std::string::npos) << line;
}

TEST(Log, EveryByteValueStaysOnOneLine) {
  for (int b = 0; b < 256; ++b) {
    std::string v(1, static_cast<char>(b));
    for (bool json : {false, true}) {
      auto line = format_line(Level::info, "c", v, {{"k", v}}, json);
      EXPECT_EQ(newlines(line), 1u) << b;
      EXPECT_TRUE(clean_utf8(line.substr(0, line.size() - 1))) << b << " " << line;
    }
  }
}

TEST(Log, JournalLinesCarryAPriorityAndNoTimestamp) {
  std::string info = format_line(Level::info, "net", "listening", {{"addr", "127.0.0.1:1"}}, false, true);
  EXPECT_EQ(info, "<6>INFO net: listening addr=127.0.0.1:1\n");
  EXPECT_EQ(format_line(Level::error, "app", "x", {}, false, true).substr(0, 3), "<3>");
  EXPECT_EQ(format_line(Level::warn, "app", "x", {}, false, true).substr(0, 3), "<4>");
}

}  // namespace
}  // namespace mockloop::log
