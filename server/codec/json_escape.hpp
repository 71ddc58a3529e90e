// The server's one JSON string writer (log lines, HTTP error bodies, the CRDT engine's JSON
// rendering). Whatever the input bytes, the output is a valid JSON string literal: invalid
// UTF-8 becomes U+FFFD (one per maximal invalid subpart, codec/utf8.hpp, as the WHATWG
// decoder and TextDecoder do), '"' and '\' are escaped, control characters become \b \f \n
// \r \t or \u00XX (lowercase hex). With JsonControls::standard the output for valid UTF-8 is
// byte-identical to JavaScript's JSON.stringify of the same string; JsonControls::all also
// escapes DEL, the C1 controls and U+2028/U+2029, so that nothing in a log line can pass
// for a line break or hide text. A leaf: standard library only; no state, any thread.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::codec {

enum class JsonControls {
  standard,  // C0 controls only (JSON.stringify)
  all,       // also DEL, U+0080..U+009F, U+2028, U+2029 (log lines)
};

// Appends `utf8` as a quoted JSON string literal.
void append_json_string(std::string_view utf8, std::string& out, JsonControls controls = JsonControls::standard);
// As append_json_string, without the surrounding quotes.
void append_json_string_body(std::string_view utf8, std::string& out, JsonControls controls = JsonControls::standard);

}  // namespace mockloop::codec
