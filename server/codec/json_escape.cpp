#include "codec/json_escape.hpp"

#include <cstdint>

namespace mockloop::codec {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 with *skip set to the length of the
// maximal invalid subpart to replace (WHATWG "UTF-8 decode": at least 1).
size_t valid_sequence(std::string_view s, size_t i, size_t* skip) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  size_t need;
  uint8_t lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    *skip = 1;
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) {
      *skip = k;
      return 0;
    }
    const auto b = static_cast<uint8_t>(s[i + k]);
    const uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) {
      *skip = k;
      return 0;
    }
  }
  return need + 1;
}

}  // namespace

void append_json_string_body(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the bytes copied as they are
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t skip = 0;
      if (size_t n = valid_sequence(s, i, &skip); n > 0) {
        i += n;
        continue;
      }
      out.append(s.substr(run, i - run));
      out.append(kReplacement);
      i += skip;
      run = i;
      continue;
    }
    out.append(s.substr(run, i - run));
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(esc, sizeof esc);
      }
    }
    ++i;
    run = i;
  }
  out.append(s.substr(run));
}

void append_json_string(std::string_view utf8, std::string& out) {
  out.push_back('"');
  append_json_string_body(utf8, out);
  out.push_back('"');
}

}  // namespace mockloop::codec
