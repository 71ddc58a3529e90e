// Why a y-protocols message could not be decoded, and which WebSocket close code the
// transport should answer with: 1003 (unsupported data) for message kinds we do not speak,
// 1007 (invalid payload) for bytes that violate the framing. Plain values, no state.
#pragma once

#include <cstdint>
#include <string_view>

namespace mockloop::wire {

enum class DecodeErrc : uint8_t {
  ok = 0,
  empty,                 // zero-length frame
  truncated,             // a varint, length or payload runs past the end
  varint_overflow,       // a varint longer than 10 bytes or above 2^64-1
  unknown_message_type,  // top-level type not 0 (sync), 1 (awareness), 2 (auth), 3 (query)
  unknown_sync_type,     // sync sub-type not 0, 1 or 2
  trailing_bytes,        // bytes left after a complete message
  invalid_utf8,          // a varstring that is not valid UTF-8
  too_many_entries,      // awareness update claiming more entries than could fit
};

// Stable snake_case token for logs, metrics labels and Error::code.
std::string_view to_string(DecodeErrc e);

// WebSocket close code for a frame that failed with `e` (REQUIRES: e != ok).
inline constexpr uint16_t kCloseUnsupportedData = 1003;
inline constexpr uint16_t kCloseInvalidPayload = 1007;
uint16_t close_code_for(DecodeErrc e);

}  // namespace mockloop::wire
