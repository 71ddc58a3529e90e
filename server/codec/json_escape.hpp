// The JSON string writer of the CRDT engine's JSON rendering, meant as the server's one.
// (Not yet used by net/endpoints.cpp, which keeps its own; log lines keep common/log.cpp's
// stricter one, which also escapes DEL, C1 controls and U+2028/9.) Whatever the input bytes, the output is a valid JSON string literal:
// invalid UTF-8 becomes U+FFFD (one per maximal invalid subsequence, as the WHATWG decoder
// and TextDecoder do), '"' and '\' are escaped, control characters become \b \f \n \r \t
// or \u00XX (lowercase hex). For valid UTF-8 the output is byte-identical to JavaScript's
// JSON.stringify of the same string. A leaf: standard library only; no state, any thread.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::codec {

// Appends `utf8` as a quoted JSON string literal.
void append_json_string(std::string_view utf8, std::string& out);
// As append_json_string, without the surrounding quotes.
void append_json_string_body(std::string_view utf8, std::string& out);

}  // namespace mockloop::codec
