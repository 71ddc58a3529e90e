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
#include "loop/queued_session.hpp"
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

// One /session/study connection: on_message(), leave() (the peer stops being present, on
// a worker) and the queue are QueuedSession's; malformed frames as on /session.
class StudySession : public QueuedSession<StudySession> {
 public:
  StudySession(StudyHub& hub, std::weak_ptr<room::Peer> peer, std::shared_ptr<SerialQueue> queue);

  // The peer this connection joined as; empty before study_join.
  std::string peer_id() const;

 private:
  friend class StudyHub;
  friend class QueuedSession<StudySession>;
  void dispatch(const v1::ClientMessage& msg);
  void detach();

  StudyHub& hub_;
  // Set once by the opening job; read after that only on the session's queue, or by the
  // hub for sessions in rooms_ (which the opening job put there).
  Principal p_;
  std::atomic<bool> counted_{false};  // listed in the hub's open_ (set by the opening job)
  mutable std::mutex mu_;  // guards peer_id_
  std::string peer_id_;
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
  std::shared_ptr<StudySession> open(std::string token, const std::shared_ptr<room::Peer>& peer);

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

  // Sends a code run's update (loop/run_service.hpp: queued, a streamed piece, the result)
  // to every joined peer of the room. Any thread.
  void broadcast_run_update(const std::string& study_id, const v1::RunUpdate& update);

 private:
  friend class StudySession;

  void open_now(const std::shared_ptr<StudySession>& s, const std::string& token);
  void leave_now(const Principal& p, const std::string& peer_id);
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

  LoopService& loops_;
  StudyService& study_;
  const SessionHubOptions options_;
  int revoke_listener_ = 0;
  std::atomic<bool> tick_queued_{false};
  JobCounter jobs_;  // this hub's jobs, for wait_idle()
  std::mutex mu_;  // guards rooms_ and open_
  using SessionList = std::vector<std::weak_ptr<StudySession>>;
  std::map<std::string, SessionList> rooms_;  // joined sessions by study id
  std::map<std::string, SessionList> open_;   // authenticated sessions by study id (joined or not)
  // Bumped by close_token() before it looks for the token's sessions: an opening session
  // is in open_ only after authenticate(), so a token ended in between is checked again.
  std::atomic<uint64_t> access_ended_{0};
  // Last member: stop() joins its threads before the members above go away.
  std::unique_ptr<WorkerPool> pool_;
};

}  // namespace mockloop::loop
