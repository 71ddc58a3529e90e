#include "wire/decode_error.hpp"

namespace mockloop::wire {

std::string_view to_string(DecodeErrc e) {
  switch (e) {
    case DecodeErrc::ok: return "ok";
    case DecodeErrc::empty: return "empty";
    case DecodeErrc::truncated: return "truncated";
    case DecodeErrc::varint_overflow: return "varint_overflow";
    case DecodeErrc::unknown_message_type: return "unknown_message_type";
    case DecodeErrc::unknown_sync_type: return "unknown_sync_type";
    case DecodeErrc::trailing_bytes: return "trailing_bytes";
    case DecodeErrc::invalid_utf8: return "invalid_utf8";
    case DecodeErrc::too_many_entries: return "too_many_entries";
  }
  return "unknown";
}

uint16_t close_code_for(DecodeErrc e) {
  switch (e) {
    case DecodeErrc::unknown_message_type:
    case DecodeErrc::unknown_sync_type:
      return kCloseUnsupportedData;
    default:
      return kCloseInvalidPayload;
  }
}

}  // namespace mockloop::wire
