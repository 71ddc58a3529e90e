// UTF-8 decoding by one rule for the whole server (the WebSocket transport's text checks,
// the wire codec's strings, the CRDT engine, log lines and JSON strings): well-formed UTF-8
// per RFC 3629 (no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF), and for
// bytes that are not, the "maximal subpart" that the WHATWG decoder and TextDecoder replace
// with one U+FFFD. A leaf: header-only, standard library only (the fuzz targets compile
// single files against it); no state, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mockloop::codec {

// One step of decoding: `len` bytes consumed (>= 1). When `valid`, `cp` is the code point;
// otherwise those bytes are one maximal invalid subpart (one U+FFFD) and cp is U+FFFD.
struct Utf8Step {
  size_t len = 1;
  char32_t cp = 0xFFFD;
  bool valid = false;
};

// REQUIRES: i < s.size().
inline Utf8Step utf8_decode(std::string_view s, size_t i) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  if (b0 < 0x80) return {1, b0, true};
  size_t need;
  char32_t c;
  uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    c = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    c = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    return {};  // a continuation byte, C0, C1 or F5..FF
  }
  size_t n = 1;
  for (size_t k = 0; k < need; ++k, ++n) {
    if (i + n >= s.size()) return {n, 0xFFFD, false};
    const auto b = static_cast<uint8_t>(s[i + n]);
    if (b < lo || b > hi) return {n, 0xFFFD, false};
    lo = 0x80;
    hi = 0xBF;
    c = (c << 6) | (b & 0x3F);
  }
  return {n, c, true};
}

// Whether all of `s` is well-formed UTF-8.
inline bool utf8_valid(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<uint8_t>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const Utf8Step step = utf8_decode(s, i);
    if (!step.valid) return false;
    i += step.len;
  }
  return true;
}

}  // namespace mockloop::codec
