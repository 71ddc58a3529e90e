// StudyHub and StudySession: the study section of the session protocol on the WebSocket
// /session/study?token=<study token> (study.proto). The transport opens a StudySession per
// connection, feeds it every binary frame and calls leave() when the connection ends. A
// session joins its room with study_join (a name, and the peer id it had before, if any);
// the hub then relays what the StudyService changed to every peer of the room: the
// roster with presence and roles, the timer, the chosen prompt, new feedback. Messages of
// the loop protocol (rounds, scorecards) are refused with "forbidden": a study token has
// none of them.
//
// Where the work runs, as in SessionHub: the services block on SQLite, so nothing that
// calls them runs on the caller's (io) thread. open() and on_message() only check sizes
// and parse, then queue the work on the session's SerialQueue over the hub's own
// WorkerPool (one session's messages in order, sessions in parallel); leave() and tick()
// queue theirs on the pool. The limits are SessionHubOptions' (reads pause, then 1013).
//
// Ownership: the transport owns each session (shared_ptr); the hub holds weak references;
// the session holds its Peer weakly; queued work holds its session. Every method may be
// called from any thread; the transport does not call one session's on_message
// concurrently with itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
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
#include "loop/serial_queue.hpp"
#include "loop/session_hub.hpp"
#include "loop/study_service.hpp"
#include "loop/worker_pool.hpp"
#include "room/peer.hpp"
#include "session.pb.h"

namespace mockloop::loop {

// Live connections per study room: 24; the next is refused (close 4409, conflict).
inline constexpr std::size_t kMaxStudySessions = 24;

class StudyHub;

class StudySession : public std::enable_shared_from_this<StudySession> {
 public:
  StudySession(StudyHub& hub, std::weak_ptr<room::Peer> peer, std::shared_ptr<SerialQueue> queue);

  // Takes one binary frame (a ClientMessage) and queues its handling; never blocks.
  // Malformed frames as on /session.
  void on_message(std::span<const uint8_t> frame);
  // Leaves the room (the peer stops being present, on a worker); idempotent.
  void leave();

  bool closed() const { return closed_.load(); }
  // The peer this connection joined as; empty before study_join.
  std::string peer_id() const;

 private:
  friend class StudyHub;
  void send(const v1::ServerMessage& msg);
  void send_frame(std::shared_ptr<const std::vector<uint8_t>> frame);
  void send_error(uint64_t request_id, const Error& e);
  void close(uint16_t code, std::string reason);
  // Queues `job` on this session's queue; it runs only while the session lives and is open.
  void run(std::function<void(StudySession&)> job);
  void finished_job();

  StudyHub& hub_;
  // Set once by the opening job; read after that only on the session's queue, or by the
  // hub for sessions in rooms_ (which the opening job put there).
  Principal p_;
  std::weak_ptr<room::Peer> peer_;
  std::shared_ptr<SerialQueue> queue_;
  std::atomic<bool> closed_{false};
  std::atomic<bool> counted_{false};  // counts in the hub's open_ (set by the opening job)
  std::atomic<size_t> waiting_{0};    // jobs queued and not yet finished
  std::atomic<bool> reads_paused_{false};
  mutable std::mutex mu_;  // guards peer_id_
  std::string peer_id_;
  int bad_frames_ = 0;  // touched only by on_message
};

class StudyHub {
 public:
  // `loops` (authentication) and `study` must outlive the hub.
  StudyHub(LoopService& loops, StudyService& study, SessionHubOptions options = {});
  ~StudyHub();
  StudyHub(const StudyHub&) = delete;
  StudyHub& operator=(const StudyHub&) = delete;

  // Returns the connection's session at once and queues its opening: authenticate `token`
  // as a token of a study room. A refusal closes the peer with close_code(error) (4401,
  // 4403; 4409 past kMaxStudySessions). Nothing is sent until the client's study_join.
  std::shared_ptr<StudySession> open(std::string token, std::shared_ptr<room::Peer> peer);

  // Queues, on a worker, timer auto-advance (and the block end it may bring) in every room
  // with a present peer and the broadcast of the changes. Call about every 250 ms; a call
  // while the last tick is still queued or running is skipped.
  void tick(std::chrono::system_clock::time_point now);

  // Blocks until every job queued before the call (and those they queued) has run or
  // been dropped. For tests; never call it from a worker.
  void wait_idle();
  // Finishes running jobs, drops queued ones, joins the workers. Idempotent.
  void stop();

  std::size_t session_count();

 private:
  friend class StudySession;

  void open_now(const std::shared_ptr<StudySession>& s, const std::string& token);
  void leave_now(const Principal& p, const std::string& peer_id);
  std::function<void()> counted(std::function<void()> job);
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
  void close_token(const std::string& token_id, const std::string& reason, uint16_t code);

  struct InFlight {
    std::mutex mu;  // guards n
    std::condition_variable idle;
    size_t n = 0;
  };

  LoopService& loops_;
  StudyService& study_;
  const SessionHubOptions options_;
  int revoke_listener_ = 0;
  std::atomic<bool> tick_queued_{false};
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
  std::mutex mu_;  // guards rooms_ and open_
  std::map<std::string, std::vector<std::weak_ptr<StudySession>>> rooms_;  // joined sessions by study id
  std::map<std::string, std::size_t> open_;  // authenticated connections by study id (joined or not)
  // Last member: stop() joins its threads before the members above go away.
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace mockloop::loop
