// The y-protocols messages exchanged on a y-websocket connection, as typed values, and their
// codec. One WebSocket binary frame carries exactly one message:
//   varuint type; type 0 (sync): varuint sub-type (0 step 1, 1 step 2, 2 update) + varbytes
//   type 1 (awareness): varbytes(awareness update)    type 2 (auth): varuint 0 + varstring
//   type 3 (query awareness): nothing
// Decoding borrows from the frame (payload views stay valid while the frame does), checks
// every bound and refuses trailing bytes. No I/O, no state; safe from any thread.
#pragma once

#include <string_view>
#include <variant>

#include "wire/decode_error.hpp"
#include "wire/lib0.hpp"

namespace mockloop::wire {

enum class MessageType : uint8_t { sync = 0, awareness = 1, auth = 2, query_awareness = 3 };
enum class SyncType : uint8_t { step1 = 0, step2 = 1, update = 2 };

struct SyncStep1 {
  ByteView state_vector;
};
struct SyncStep2 {
  ByteView update;
};
struct SyncUpdate {
  ByteView update;
};
struct AwarenessMessage {
  ByteView update;  // an encoded awareness update; see awareness_update.hpp
};
struct QueryAwareness {};
// Sent by servers only; decoded so a client frame of this type is well-formed but ignorable.
struct AuthMessage {
  static constexpr uint64_t kPermissionDenied = 0;
  uint64_t kind = kPermissionDenied;
  std::string_view reason;
};

using Message = std::variant<SyncStep1, SyncStep2, SyncUpdate, AwarenessMessage, QueryAwareness, AuthMessage>;

// Decodes one frame into `out`. Returns DecodeErrc::ok or why not (see close_code_for).
DecodeErrc decode_message(ByteView frame, Message& out);

// Encoders: each returns one complete frame.
Bytes encode_sync_step1(ByteView state_vector);
Bytes encode_sync_step2(ByteView update);
Bytes encode_sync_update(ByteView update);
Bytes encode_awareness(ByteView awareness_update);
Bytes encode_query_awareness();
Bytes encode_permission_denied(std::string_view reason);

}  // namespace mockloop::wire
