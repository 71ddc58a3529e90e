// The write path of one WebSocket connection, without I/O: its bounded send queue, the
// batch of frames one socket write carries, that batch's buffers, and what a (possibly
// short) write leaves to write. The session (ws_session.cpp) does the system calls; this
// class decides what they carry. Split from the session so the queueing rules can be
// tested without sockets (tests/net/ws_writer_test.cpp).
//
// Every frame counts against the limits: binary messages, pongs, pings and the close
// frame. Pongs are coalesced: while one waits to be written, a newer ping's pong replaces
// it (RFC 6455 5.5.3 allows answering only the latest ping), so a ping flood queues at
// most one pong. The close frame is the last frame: nothing queued after it is written.
//
// Threads: push_*(), over_high_water() and shut() may be called from any thread (they
// take `mu_`); take_batch(), buffers(), advance() and finish_batch() only on the
// connection's thread, one batch at a time (the write in flight).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "net/ws_frame.hpp"

namespace mockloop::net {

class WsWriter {
 public:
  using Frame = std::shared_ptr<const std::vector<uint8_t>>;

  struct Limits {
    std::size_t max_frames = 4096;                  // queued or in flight; over -> overflow
    std::size_t max_bytes = 32 * 1024 * 1024;       // their payload bytes; over -> overflow
    std::size_t high_water_frames = 1024;           // over -> over_high_water()
    std::size_t high_water_bytes = 4 * 1024 * 1024; // over -> over_high_water()
  };

  enum class Push {
    queued,    // queued behind a write already scheduled
    schedule,  // queued, and the caller must schedule a flush (the writer was idle)
    dropped,   // the writer is shut or a close frame is queued: nothing more is sent
    overflow,  // over a hard limit: nothing was queued and the writer is now shut; close 1013
  };

  explicit WsWriter(Limits limits) : limits_(limits) {}
  WsWriter(const WsWriter&) = delete;
  WsWriter& operator=(const WsWriter&) = delete;

  // Queues a binary message.
  Push push_message(Frame payload);
  // Queues the answer to a ping, replacing a pong not yet taken into a batch.
  Push push_pong(std::span<const uint8_t> payload);
  // Queues a ping (keep-alive).
  Push push_ping();
  // Queues the close frame; everything pushed later is dropped. Dropped when one is queued.
  Push push_close(std::vector<uint8_t> payload);

  // True while more is queued or in flight than the high-water marks allow: the session
  // stops reading its client until this turns false (after a write).
  bool over_high_water() const;
  // The connection is gone: drops everything queued; later pushes (the close frame too)
  // are dropped and take_batch() finds nothing. Idempotent.
  void shut();

  // Moves what is queued (a pending pong first, then up to kMaxFramesPerWrite frames in
  // order) into the batch and lays out its buffers. False when nothing is queued: the
  // writer is then idle (the next push returns `schedule`). REQUIRES: no batch in flight.
  bool take_batch();
  // The batch's buffers not yet written: valid until the next advance(), finish_batch()
  // or take_batch().
  std::span<const iovec> buffers() const { return {iov_.data() + iov_first_, iov_.size() - iov_first_}; }
  // Total bytes of the batch (headers and payloads).
  std::size_t batch_bytes() const { return batch_bytes_; }
  // `n` more bytes of the batch were written. True when the batch is now written whole.
  bool advance(std::size_t n);

  struct Written {
    std::size_t messages = 0;  // binary messages in the batch
    std::size_t bytes = 0;     // bytes written (the batch's)
    bool had_close = false;    // the close frame was in it
  };
  // The batch is written: releases it and its share of the queue limits.
  Written finish_batch();

  static constexpr std::size_t kMaxFramesPerWrite = 256;     // frames gathered into one write
  static constexpr std::size_t kCopyBelowBytes = 4 * 1024;   // smaller payloads are copied into one buffer
  static constexpr std::size_t kKeepBufferBytes = 64 * 1024; // larger idle buffers are released

 private:
  struct OutFrame {
    Frame payload;
    ws::Opcode opcode;
  };
  // REQUIRES: mu_ held. Counts a frame of `bytes` payload; on overflow drops the queue
  // and refuses every later frame but the close frame.
  Push admit(std::size_t bytes);
  // REQUIRES: mu_ held. Drops pending_ and pong_ and their counts.
  void drop_queued();
  void layout();

  const Limits limits_;

  mutable std::mutex mu_;           // guards the fields up to armed_
  std::vector<OutFrame> pending_;   // bounded by limits_.max_frames / max_bytes
  std::optional<Frame> pong_;       // the latest ping's answer, not yet in a batch
  std::size_t frames_ = 0;          // frames pending, pong_ and in flight
  std::size_t bytes_ = 0;           // their payload bytes
  std::size_t inflight_frames_ = 0;  // of frames_: the batch in flight
  std::size_t inflight_bytes_ = 0;   // of bytes_: the batch in flight
  bool refusing_ = false;           // overflowed or shut: later frames but a close are dropped
  bool shut_ = false;               // the connection is gone: everything is dropped
  bool close_queued_ = false;
  bool armed_ = false;              // a flush is scheduled or a write is in flight

  // The batch in flight (connection's thread only).
  std::vector<OutFrame> batch_;
  std::vector<uint8_t> wbuf_;       // headers and copied small payloads
  std::vector<iovec> iov_;
  std::size_t iov_first_ = 0;       // buffers before this one are written
  std::size_t batch_bytes_ = 0;
};

}  // namespace mockloop::net
