// RFC 6455 framing for the server side, without I/O: a reader that turns the bytes a client
// sent into messages and control frames, and the encoding of the frames the server sends.
// Owning the framing (instead of Beast's websocket::stream) lets a session write every
// queued message in one system call and read every message a segment holds in one pass.
//
// Not thread-safe; one reader per connection, used on that connection's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mockloop::net::ws {

enum Opcode : uint8_t { kContinuation = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9, kPong = 0xA };

// Close codes the transport itself uses.
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseUnsupportedData = 1003;
inline constexpr uint16_t kCloseNoStatus = 1005;  // never sent: "the close frame had no code"
inline constexpr uint16_t kCloseInvalidPayload = 1007;
inline constexpr uint16_t kCloseTooBig = 1009;

inline constexpr std::size_t kMaxFrameHeaderBytes = 10;  // server frames are never masked
inline constexpr std::size_t kMaxCloseReasonBytes = 123; // a control payload is at most 125 bytes

// Writes the header of one unfragmented, unmasked frame of `payload_size` bytes into `out`
// and returns its length (2, 4 or 10).
std::size_t encode_header(uint8_t* out, Opcode opcode, uint64_t payload_size);

// The payload of a close frame: the code, then `reason` cut to kMaxCloseReasonBytes.
std::vector<uint8_t> close_payload(uint16_t code, std::string_view reason);

// Whether a client may send `code` in a close frame (RFC 6455 7.4 and the IANA registry):
// 1000-1003, 1007-1014 and 3000-4999.
bool valid_close_code(uint16_t code);

// The value of Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string accept_key(std::string_view client_key);

// What the reader reports. Spans point into the caller's buffer (or the reader's own
// message buffer) and are valid only during the callback.
struct ReaderEvents {
  std::function<void(std::span<const uint8_t>)> on_message;  // a complete binary message
  std::function<void(std::span<const uint8_t>)> on_ping;     // its payload, to echo in a pong
  std::function<void(uint16_t code, std::string_view reason)> on_close;  // code 1005 when absent
  // The client broke a rule. After a 1002 the stream cannot be parsed further and the reader
  // stops; after 1003 or 1009 it skips the offending message and goes on reading frames
  // (so the client's close frame is still seen), ignoring every later data message.
  std::function<void(uint16_t code, std::string reason)> on_error;
};

class FrameReader {
 public:
  // `max_message_bytes`: the largest message accepted (over -> 1009).
  FrameReader(std::size_t max_message_bytes, ReaderEvents events);

  // Parses as many whole frames as `data` holds, unmasking payloads in place, and returns
  // how many bytes it consumed; the caller keeps the rest and calls again with more.
  // `bytes_wanted()` then says how many bytes the next frame needs in one piece.
  // A close frame with an invalid code is a 1002, one whose reason is not UTF-8 a 1007.
  std::size_t consume(std::span<uint8_t> data);

  // Called from an event callback: consume() returns right after the frame being
  // reported (the caller paused reading), leaving the later frames unconsumed.
  void stop_after_frame() { stop_ = true; }

  // Bytes the caller should hold contiguously before calling consume() again.
  std::size_t bytes_wanted() const { return wanted_; }
  bool failed() const { return failed_; }  // a 1002: stop reading
  // True once a data message was refused: later data messages are dropped unseen.
  bool refusing() const { return refusing_; }

 private:
  // Returns false on a protocol error (already reported).
  bool handle_frame(uint8_t first, uint8_t opcode, std::span<uint8_t> payload);
  void fail(uint16_t code, std::string reason);

  std::size_t max_message_;
  ReaderEvents ev_;
  std::vector<uint8_t> message_;  // a fragmented message being assembled; bounded by max_message_
  uint8_t message_opcode_ = 0;    // opcode of the message being assembled (0: none)
  uint64_t skip_ = 0;             // payload bytes still to drop (a refused message)
  std::size_t wanted_ = 2;
  bool failed_ = false;
  bool refusing_ = false;
  bool stop_ = false;  // stop_after_frame() was called during this consume()
};

}  // namespace mockloop::net::ws
