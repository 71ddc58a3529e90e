// SessionHub and Session: the session protocol on /session?token=... (session.proto).
// The transport opens a Session per WebSocket connection with the invite token and its
// room::Peer, feeds it every binary frame (Session::on_message) and calls leave() when the
// connection ends. The hub groups sessions by round room, broadcasts timer changes and
// question selections, builds every message for its receiver's role (a candidate or
// observer never receives rubric, hints, notes or scores), applies auto-advance on tick(),
// and closes the sessions of a revoked invite (close code 4401).
//
// Ownership: the transport owns each Session (shared_ptr); the hub holds weak references
// and the Session holds a weak reference to its Peer, as in Beast's chat-multi example.
// Thread-safety: open(), tick() and the Session methods may be called from any thread;
// the transport must not call one Session's on_message concurrently with itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "loop/loop_service.hpp"
#include "room/peer.hpp"
#include "session.pb.h"

namespace mockloop::loop {

// Close code for a session whose invite was revoked or expired (common/error.hpp's table).
inline const uint16_t kCloseRevoked = close_code(Errc::unauthenticated);  // 4401
// Close code for a frame larger than kMaxSessionFrameBytes.
inline const uint16_t kCloseTooBig = close_code(Errc::payload_too_large);  // 1009

class SessionHub;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(SessionHub& hub, Principal principal, std::weak_ptr<room::Peer> peer, uint32_t round);

  // Handles one binary frame (a ClientMessage). Malformed frames get an ErrorMessage; the
  // kMaxBadFrames-th closes the connection with 1007.
  void on_message(std::span<const uint8_t> frame);
  // Leaves the room; idempotent. Later messages are ignored.
  void leave();

  const Principal& principal() const { return p_; }
  uint32_t round() const { return round_.load(); }
  bool closed() const { return closed_.load(); }

 private:
  friend class SessionHub;
  void send(const v1::ServerMessage& msg);
  void send_frame(std::shared_ptr<const std::vector<uint8_t>> frame);
  void send_error(uint64_t request_id, const Error& e);
  void close(uint16_t code, std::string reason);

  SessionHub& hub_;
  const Principal p_;
  std::weak_ptr<room::Peer> peer_;
  std::atomic<uint32_t> round_;
  std::atomic<bool> closed_{false};
  int bad_frames_ = 0;  // touched only by on_message
};

class SessionHub {
 public:
  // `service` must outlive the hub; the hub registers for revocations.
  explicit SessionHub(LoopService& service);
  ~SessionHub();
  SessionHub(const SessionHub&) = delete;
  SessionHub& operator=(const SessionHub&) = delete;

  // Authenticates `token`, picks the participant's current round, sends the StateSnapshot
  // and joins the room. Errors: Errc::unauthenticated (close 4401), Errc::forbidden (4403).
  Result<std::shared_ptr<Session>> open(std::string_view token, std::shared_ptr<room::Peer> peer);

  // Applies timer auto-advance at `now` in every room with sessions and broadcasts the
  // changes; closes the sessions of invites that expired since the last tick (4401,
  // LoopService::expire_due, which also tells the app's /yjs listener). Call about every 250 ms.
  void tick(std::chrono::system_clock::time_point now);

  // Live sessions (for metrics and tests).
  std::size_t session_count();
  // Round rooms with at least one live session (for metrics).
  std::size_t room_count();

 private:
  friend class Session;
  using RoomKey = std::pair<std::string, uint32_t>;

  void handle(Session& s, const v1::ClientMessage& msg);
  void join(const std::shared_ptr<Session>& s, uint32_t round);
  void remove(Session& s);
  std::vector<std::shared_ptr<Session>> members(const RoomKey& room);
  void broadcast_timer(const RoomKey& room, const v1::TimerState& timer, Session* origin, uint64_t request_id);
  void broadcast_question(const RoomKey& room, const QuestionSelection& q, Session* origin, uint64_t request_id);
  void close_token(const std::string& token_id, const std::string& reason);

  LoopService& service_;
  int revoke_listener_ = 0;
  std::mutex mu_;  // guards rooms_
  std::map<RoomKey, std::vector<std::weak_ptr<Session>>> rooms_;
};

}  // namespace mockloop::loop
