#include "codec/json_escape.hpp"

#include <cstdint>

#include "codec/utf8.hpp"

namespace mockloop::codec {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(char32_t cp, std::string& out) {
  const char esc[] = {'\\', 'u', kHex[(cp >> 12) & 15], kHex[(cp >> 8) & 15], kHex[(cp >> 4) & 15], kHex[cp & 15]};
  out.append(esc, sizeof esc);
}

bool escaped_beyond_c0(char32_t cp) { return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

}  // namespace

void append_json_string_body(std::string_view s, std::string& out, JsonControls controls) {
  const bool all = controls == JsonControls::all;
  size_t run = 0;  // start of the bytes copied as they are
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
      ++i;
      continue;
    }
    if (c >= 0x7F) {
      const Utf8Step step = c == 0x7F ? Utf8Step{1, 0x7F, true} : utf8_decode(s, i);
      if (step.valid && !(all && escaped_beyond_c0(step.cp))) {
        i += step.len;
        continue;
      }
      out.append(s.substr(run, i - run));
      if (step.valid) {
        append_u_escape(step.cp, out);
      } else {
        out.append(kReplacement);
      }
      i += step.len;
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
      default: append_u_escape(c, out);
    }
    ++i;
    run = i;
  }
  out.append(s.substr(run));
}

void append_json_string(std::string_view utf8, std::string& out, JsonControls controls) {
  out.push_back('"');
  append_json_string_body(utf8, out, controls);
  out.push_back('"');
}

}  // namespace mockloop::codec
