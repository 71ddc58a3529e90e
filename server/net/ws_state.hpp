// The protocol state of one WebSocket connection (RFC 6455 4 and 7.1): the handshake, the
// open connection, the closing handshake begun by either side, and the end. No I/O: each
// event returns what the session must do. Owned by the session; its thread only.
#pragma once

#include <cstdint>

namespace mockloop::net {

class WsState {
 public:
  enum class Phase : uint8_t {
    handshake,         // the 101 (or a refusal) is being written
    refused,           // the handshake was refused (400): finish once it is written
    open,              // messages flow
    closing,           // our close frame is queued, not written; the peer's not seen
    closing_received,  // the peer's close frame was seen; ours (an echo or our own) is queued
    closing_sent,      // ours is written; waiting for the peer's
    closed,            // the socket is closed and the handler told
  };
  enum class Do : uint8_t {
    nothing,
    send_close,     // queue a close frame (our own, or the echo of the peer's code)
    finish,         // close the socket and tell the handler
    wait_for_peer,  // arm the close timeout: the peer's close frame should follow
  };

  Phase phase() const { return phase_; }
  bool open() const { return phase_ == Phase::open; }
  bool closed() const { return phase_ == Phase::closed; }
  // Handshake or close deadline passed: true when that ends the connection.
  bool deadline_ends_it() const {
    return phase_ == Phase::handshake || phase_ == Phase::refused || phase_ == Phase::closing_sent;
  }

  void refuse_handshake() { phase_ = Phase::refused; }
  // The 101 is written. False when the handshake was refused (finish).
  bool handshake_written() {
    if (phase_ != Phase::handshake) return false;
    phase_ = Phase::open;
    return true;
  }

  // The server (or a protocol error) closes: its close frame goes once, before the socket
  // is open nothing is sent.
  Do close_requested() {
    switch (phase_) {
      case Phase::handshake:
      case Phase::refused: return Do::finish;
      case Phase::open: phase_ = Phase::closing; return Do::send_close;
      default: return Do::nothing;
    }
  }

  // The peer's close frame arrived.
  Do peer_closed() {
    switch (phase_) {
      case Phase::open: phase_ = Phase::closing_received; return Do::send_close;  // the echo
      case Phase::closing: phase_ = Phase::closing_received; return Do::nothing;  // ours is queued
      case Phase::closing_sent: return Do::finish;
      default: return Do::nothing;
    }
  }

  // Our close frame is written. `reader_failed`: the peer's bytes can no longer be parsed,
  // so its close frame will never be seen.
  Do close_written(bool reader_failed) {
    if (phase_ == Phase::closing_received || reader_failed) return Do::finish;
    phase_ = Phase::closing_sent;
    return Do::wait_for_peer;
  }

  // False when already closed.
  bool finish() {
    if (phase_ == Phase::closed) return false;
    phase_ = Phase::closed;
    return true;
  }

 private:
  Phase phase_ = Phase::handshake;
};

}  // namespace mockloop::net
