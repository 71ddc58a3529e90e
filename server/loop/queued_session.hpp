// QueuedSession<Derived>: what a session of the session protocol (SessionHub's Session,
// StudyHub's StudySession) does between its transport and its hub: frame size and parse
// checks, the queue that runs its messages one at a time off the io threads (a SerialQueue
// over the hub's WorkerPool), read pausing over the limit, and sending/closing through its
// weak room::Peer. The hub decides what a message does.
//
// Derived (CRTP) provides, as private members with this class a friend:
//   void dispatch(const v1::ClientMessage& msg);  // on the queue: hand `msg` to the hub
//   void detach();                                 // on close/leave: the hub forgets it
// and may provide (else no per-kind rate):
//   std::chrono::steady_clock::duration admit(const v1::ClientMessage& msg);  // io thread:
//       how long to pause reads after `msg` (a rate of one message kind; zero: none)
// Limits: a frame over kMaxSessionFrameBytes closes with 1009; the kMaxBadFrames-th
// malformed frame closes with 1007 (earlier ones get an ErrorMessage); `pause_reads_at`
// waiting jobs pause the peer's reads until the queue empties; a full queue closes with
// close_code(Errc::busy) (1013).
// Ownership: the transport owns the session (shared_ptr); queued work holds it; the
// session holds its Peer weakly and its JobCounter by reference (the hub's, which outlives
// the hub's pool and so every job). Thread-safety: every method may be called from any
// thread; the transport must not call on_message concurrently with itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/result.hpp"
#include "loop/job_counter.hpp"
#include "loop/limits.hpp"
#include "loop/serial_queue.hpp"
#include "room/peer.hpp"
#include "session.pb.h"

namespace mockloop::loop {

// Close code for a session whose invite was revoked or expired (common/error.hpp's table).
inline const uint16_t kCloseRevoked = close_code(Errc::unauthenticated);  // 4401
// Close code for a frame larger than kMaxSessionFrameBytes.
inline const uint16_t kCloseTooBig = close_code(Errc::payload_too_large);  // 1009

// One ServerMessage serialised once, to send to one or many peers.
std::shared_ptr<const std::vector<uint8_t>> encode_frame(const v1::ServerMessage& msg);

template <class Derived>
class QueuedSession : public std::enable_shared_from_this<Derived> {
 public:
  // Takes one binary frame (a ClientMessage) and queues its handling; never blocks.
  void on_message(std::span<const uint8_t> frame) {
    if (closed_) return;
    // Everything, refusals included, goes through the queue: replies leave in message order.
    if (frame.size() > kMaxSessionFrameBytes)
      return run([](Derived& s) { s.close(kCloseTooBig, "message too big"); });
    auto msg = std::make_shared<v1::ClientMessage>();
    if (!msg->ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
      if (++bad_frames_ >= kMaxBadFrames)
        return run([](Derived& s) { s.close(room::kCloseInvalidPayload, "malformed messages"); });
      return run([](Derived& s) { s.send_error(0, make_error(Errc::invalid_argument, "malformed ClientMessage")); });
    }
    const auto now = std::chrono::steady_clock::now();
    if (auto wait = self().admit(*msg); wait > std::chrono::steady_clock::duration::zero())
      if (auto peer = peer_.lock()) peer->pause_reads_until(now + wait);
    run([msg](Derived& s) { s.dispatch(*msg); });
  }
  // Leaves the hub; idempotent. Later messages are ignored, queued ones dropped unrun.
  void leave() {
    if (closed_.exchange(true)) return;
    self().detach();
  }
  bool closed() const { return closed_.load(); }

 protected:
  QueuedSession(std::weak_ptr<room::Peer> peer, std::shared_ptr<SerialQueue> queue, JobCounter& jobs,
                size_t pause_reads_at)
      : peer_(std::move(peer)), queue_(std::move(queue)), jobs_(jobs), pause_reads_at_(pause_reads_at) {}

  void send_frame(std::shared_ptr<const std::vector<uint8_t>> frame) {
    if (closed_) return;
    if (auto peer = peer_.lock()) peer->send(std::move(frame));
  }
  void send(const v1::ServerMessage& msg) { send_frame(encode_frame(msg)); }
  // No per-kind rate unless Derived hides this.
  std::chrono::steady_clock::duration admit(const v1::ClientMessage&) { return {}; }
  void send_error(uint64_t request_id, const Error& e) {
    v1::ServerMessage out;
    out.set_request_id(request_id);
    out.mutable_error()->set_code(std::string(info(e.code).wire_code));
    out.mutable_error()->set_message(exposed_to_client(e.code) ? e.message : "internal error");
    send(out);
  }
  void close(uint16_t code, std::string reason) {
    if (closed_.exchange(true)) return;
    self().detach();
    if (auto peer = peer_.lock()) peer->close(code, std::move(reason));
  }
  // Queues `job` on this session's queue (see the limits above); never runs it inline. It
  // runs only if the session is still alive (someone holds it) and not closed.
  void run(std::function<void(Derived&)> job) {
    const size_t waiting = ++waiting_;
    auto posted = queue_->post(jobs_.counted([weak = this->weak_from_this(), job = std::move(job)] {
      auto s = weak.lock();
      if (!s) return;
      if (!s->closed()) job(*s);
      s->finished_job();
    }));
    if (!posted) {
      --waiting_;
      close(close_code(posted.error().code), posted.error().message);
      return;
    }
    if (waiting >= pause_reads_at_) {
      // Slow the client down rather than close it; finished_job() resumes. Re-armed by every
      // message over the mark, so a resume that raced with this pause cannot leave reads on.
      reads_paused_ = true;
      if (auto peer = peer_.lock()) peer->pause_reads_until(std::chrono::steady_clock::now() + std::chrono::seconds(30));
    }
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  void finished_job() {
    if (--waiting_ != 0 || !reads_paused_.exchange(false)) return;
    if (auto peer = peer_.lock()) peer->pause_reads_until({});
  }

  std::weak_ptr<room::Peer> peer_;
  std::shared_ptr<SerialQueue> queue_;
  JobCounter& jobs_;
  const size_t pause_reads_at_;
  std::atomic<bool> closed_{false};
  std::atomic<size_t> waiting_{0};  // jobs queued and not yet finished
  std::atomic<bool> reads_paused_{false};
  int bad_frames_ = 0;  // touched only by on_message
};

}  // namespace mockloop::loop
