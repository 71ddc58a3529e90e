// StudyHub and StudySession: the study section of the session protocol on the WebSocket
// /session/study?token=<study token> (study.proto). The transport opens a StudySession per
// connection, feeds it every binary frame and calls leave() when the connection ends. A
// session joins its room with study_join (a name, and the peer id it had before, if any);
// the hub then relays what the StudyService changed to every peer of the room: the
// roster with presence and roles, the timer, the chosen prompt, new feedback. Messages of
// the loop protocol (rounds, scorecards) are refused with "forbidden": a study token has
// none of them.
//
// Ownership and threads as in SessionHub: the transport owns each session (shared_ptr);
// the hub holds weak references; the session holds its Peer weakly. open(), tick() and the
// session methods may be called from any thread; the transport does not call one
// session's on_message concurrently with itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "loop/loop_service.hpp"
#include "loop/study_service.hpp"
#include "room/peer.hpp"
#include "session.pb.h"

namespace mockloop::loop {

// Live connections per study room: 24; the next is refused (close 4409, conflict).
inline constexpr std::size_t kMaxStudySessions = 24;

class StudyHub;

class StudySession : public std::enable_shared_from_this<StudySession> {
 public:
  StudySession(StudyHub& hub, Principal principal, std::weak_ptr<room::Peer> peer);

  // Handles one binary frame (a ClientMessage); malformed frames as on /session.
  void on_message(std::span<const uint8_t> frame);
  // Leaves the room (the peer stops being present); idempotent.
  void leave();

  const Principal& principal() const { return p_; }
  bool closed() const { return closed_.load(); }
  // The peer this connection joined as; empty before study_join.
  std::string peer_id() const;

 private:
  friend class StudyHub;
  void send(const v1::ServerMessage& msg);
  void send_frame(std::shared_ptr<const std::vector<uint8_t>> frame);
  void send_error(uint64_t request_id, const Error& e);
  void close(uint16_t code, std::string reason);

  StudyHub& hub_;
  const Principal p_;
  std::weak_ptr<room::Peer> peer_;
  std::atomic<bool> closed_{false};
  mutable std::mutex mu_;  // guards peer_id_
  std::string peer_id_;
  int bad_frames_ = 0;  // touched only by on_message
};

class StudyHub {
 public:
  // `loops` (authentication) and `study` must outlive the hub.
  StudyHub(LoopService& loops, StudyService& study);
  ~StudyHub();
  StudyHub(const StudyHub&) = delete;
  StudyHub& operator=(const StudyHub&) = delete;

  // Authenticates `token` as a token of a study room (else unauthenticated / forbidden)
  // and accepts the connection; nothing is sent until the client's study_join.
  Result<std::shared_ptr<StudySession>> open(std::string_view token, std::shared_ptr<room::Peer> peer);

  // Applies timer auto-advance (and the block end it may bring) in every room with a
  // present peer and broadcasts the changes. Call about every 250 ms.
  void tick(std::chrono::system_clock::time_point now);

  std::size_t session_count();

 private:
  friend class StudySession;

  void handle(StudySession& s, const v1::ClientMessage& msg);
  void join(StudySession& s, const v1::ClientMessage& msg);
  void remove(StudySession& s);
  std::vector<std::shared_ptr<StudySession>> members(const std::string& study_id);
  // Sends `msg` to every joined peer of the room; `origin` (if any) gets it with
  // `request_id`, or not at all when !reply.
  void broadcast(const std::string& study_id, v1::ServerMessage msg, StudySession* origin, uint64_t request_id,
                 bool reply = true);
  void broadcast_change(const std::string& study_id, const StudyService::Change& c, StudySession* origin,
                        uint64_t request_id);
  void close_token(const std::string& token_id, const std::string& reason);

  LoopService& loops_;
  StudyService& study_;
  int revoke_listener_ = 0;
  std::mutex mu_;  // guards rooms_ and open_
  std::map<std::string, std::vector<std::weak_ptr<StudySession>>> rooms_;  // joined sessions by study id
  std::map<std::string, std::size_t> open_;  // open connections by study id (joined or not)
};

}  // namespace mockloop::loop
