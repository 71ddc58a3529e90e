// UTF-8 <-> UTF-16 conversion with the WHATWG replacement semantics that Yjs inherits from
// TextDecoder/TextEncoder: invalid UTF-8 and lone surrogates become U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mockloop::crdt {

void append_utf8_as_utf16(std::string_view utf8, std::u16string* out);
std::u16string utf8_to_utf16(std::string_view utf8);
void append_utf16_as_utf8(std::u16string_view utf16, std::string* out);
std::string utf16_to_utf8(std::u16string_view utf16);
// Number of UTF-16 code units the (valid) UTF-8 string occupies.
size_t utf16_length(std::string_view utf8);
bool is_valid_utf8(std::string_view s);
// Returns s unchanged when valid, else with invalid sequences replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s);

}  // namespace mockloop::crdt
