#include "crdt/utf.hpp"

#include "codec/utf8.hpp"

namespace mockloop::crdt {
namespace {

// Decodes one code point at s[i]; returns the number of bytes consumed (>=1) and sets *cp
// (U+FFFD on an invalid sequence, consuming the maximal invalid subpart as WHATWG does).
size_t decode_one(std::string_view s, size_t i, char32_t* cp) {
  const codec::Utf8Step step = codec::utf8_decode(s, i);
  *cp = step.cp;
  return step.len;
}

void put_utf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  }
}

}  // namespace

void append_utf8_as_utf16(std::string_view s, std::u16string* out) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<uint8_t>(s[i]);
    if (b < 0x80) {
      out->push_back(b);
      ++i;
      continue;
    }
    char32_t cp;
    i += decode_one(s, i, &cp);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out->push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
      out->push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
    } else {
      out->push_back(static_cast<char16_t>(cp));
    }
  }
}

std::u16string utf8_to_utf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  append_utf8_as_utf16(utf8, &out);
  return out;
}

void append_utf16_as_utf8(std::u16string_view s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 < s.size() && s[i + 1] >= 0xdc00 && s[i + 1] <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (s[i + 1] - 0xdc00);
        ++i;
      } else {
        c = 0xfffd;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      c = 0xfffd;
    }
    put_utf8(c, out);
  }
}

std::string utf16_to_utf8(std::u16string_view utf16) {
  std::string out;
  out.reserve(utf16.size());
  append_utf16_as_utf8(utf16, &out);
  return out;
}

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (char ch : s) {
    auto b = static_cast<uint8_t>(ch);
    if ((b & 0xc0) != 0x80) n += (b >= 0xf0) ? 2 : 1;
  }
  return n;
}

bool is_valid_utf8(std::string_view s) { return codec::utf8_valid(s); }

std::string sanitize_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  return utf16_to_utf8(utf8_to_utf16(s));
}

}  // namespace mockloop::crdt
