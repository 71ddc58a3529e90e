// The room's view of one client connection. Implemented by the transport's WebSocket
// session (server/net); the room only observes it (it holds weak references) and never
// owns it, as in Beast's chat-multi example.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mockloop::room {

// WebSocket close codes the room asks for.
inline constexpr uint16_t kCloseUnsupportedData = 1003;  // unknown message type
inline constexpr uint16_t kCloseInvalidPayload = 1007;   // malformed message or update
inline constexpr uint16_t kClosePolicy = 1008;           // rate limit, access refused
inline constexpr uint16_t kCloseTooBig = 1009;           // an update or state over a room::Limits bound
inline constexpr uint16_t kCloseInternalError = 1011;    // database error
inline constexpr uint16_t kCloseTryAgainLater = 1013;    // server busy (persistence queue full)
inline constexpr uint16_t kCloseRateAbuse = 4429;        // far past the rate limit although paused

class Peer {
 public:
  virtual ~Peer() = default;
  // Unique per process for the lifetime of the connection.
  virtual uint64_t id() const = 0;
  // Queues one binary frame. Thread-safe and non-blocking; the session enforces its own
  // bounded send queue (closing itself with 1013 when exceeded). REQUIRES: does not call
  // back into the room synchronously (the room may hold a document lock while calling it).
  virtual void send(std::shared_ptr<const std::vector<uint8_t>> frame) = 0;
  // Closes the connection with `code` and `reason`. Thread-safe, idempotent, non-blocking;
  // REQUIRES: does not call back into the room synchronously.
  virtual void close(uint16_t code, std::string reason) = 0;
  // Back-pressure: the room asks the transport to stop reading this client until `until`
  // (a rate limit was reached). The transport does the waiting; the room does no I/O.
  // Each call replaces the last one's time; a past time resumes now. Thread-safe (best
  // called from the message being handled, which is then the last one before the pause).
  // Default: ignored (test doubles, peers that are not sockets).
  virtual void pause_reads_until(std::chrono::steady_clock::time_point /*until*/) {}
};

}  // namespace mockloop::room
