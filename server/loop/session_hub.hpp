// SessionHub and Session: the session protocol on /session?token=... (session.proto).
// The transport opens a Session per WebSocket connection with the invite token and its
// room::Peer, feeds it every binary frame (Session::on_message) and calls leave() when the
// connection ends. The hub groups sessions by round room, broadcasts timer changes and
// question selections, builds every message for its receiver's role (a candidate or
// observer never receives rubric, hints, notes or scores), applies auto-advance on tick(),
// and closes the sessions of a revoked invite (close code 4401).
// Where the loop is (LoopProgress, MoveLoop): a session opens on the loop's current round;
// a move is sent to every session of the loop, and the sessions that were in the round the
// loop left, and every candidate session, are moved into the new round (a fresh snapshot).
// Staff looking at another round (JoinRound) stay where they are. tick() also ends breaks
// (LoopService::end_break_if_due) and broadcasts the change and the timer it started.
//
// Where the work runs: LoopService blocks on SQLite, so nothing that calls it runs on the
// caller's (io) thread. open() and on_message() only check sizes and parse, then queue the
// work on the session's SerialQueue over the hub's WorkerPool: one session's messages run
// one at a time, in arrival order (opening first), and reply (Peer::send, thread-safe) from
// a worker; different sessions run in parallel. tick() queues one tick on the pool too.
// Limits (SessionHubOptions): a session whose queue holds pause_reads_at messages has its
// reads paused until the queue empties; one past max_queued_per_session, or a pool whose
// queue is full, closes it with close_code(Errc::busy) (1013).
//
// Ownership: the transport owns each Session (shared_ptr); the hub holds weak references
// and the Session holds a weak reference to its Peer, as in Beast's chat-multi example.
// Queued work holds its Session. Thread-safety: every method may be called from any thread;
// the transport must not call one Session's on_message concurrently with itself.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "loop/call_hub.hpp"
#include "loop/call_limits.hpp"
#include "loop/loop_service.hpp"
#include "loop/queued_session.hpp"
#include "loop/serial_queue.hpp"
#include "loop/session_hub_options.hpp"
#include "loop/worker_pool.hpp"
#include "room/peer.hpp"
#include "room/token_bucket.hpp"
#include "session.pb.h"

namespace mockloop::loop {

class SessionHub;

// One /session connection: on_message(), leave() and the queue are QueuedSession's.
class Session : public QueuedSession<Session> {
 public:
  Session(SessionHub& hub, std::weak_ptr<room::Peer> peer, std::shared_ptr<SerialQueue> queue);

  // REQUIRES: the session has opened (it is in a room, or this runs on its queue).
  const Principal& principal() const { return p_; }
  uint32_t round() const { return round_.load(); }

 private:
  friend class SessionHub;
  friend class CallHub;
  friend class QueuedSession<Session>;
  void dispatch(const v1::ClientMessage& msg);
  void detach();
  // Call signals past kCallSignalsPerSecond pause reads (QueuedSession's hook, io thread).
  std::chrono::steady_clock::duration admit(const v1::ClientMessage& msg);

  SessionHub& hub_;
  // Set once by the opening job, before the session joins a room; read after that only
  // (on the session's queue, or by the hub under its mutex for sessions in rooms_).
  Principal p_;
  std::atomic<uint32_t> round_{0};
  room::TokenBucket signal_bucket_{kCallSignalsPerSecond, kCallSignalBurst};  // only admit() touches it
};

class SessionHub {
 public:
  // `service` must outlive the hub; the hub registers for revocations.
  // `calls`: ICE servers and the TURN secret handed to the rounds' calls (loop/call_hub.hpp).
  explicit SessionHub(LoopService& service, SessionHubOptions options = {}, CallOptions calls = {});
  ~SessionHub();
  SessionHub(const SessionHub&) = delete;
  SessionHub& operator=(const SessionHub&) = delete;

  // Returns the connection's Session at once and queues its opening: authenticate `token`,
  // pick the participant's current round, send the StateSnapshot and join the room. A
  // refusal closes the peer with close_code(error): Errc::unauthenticated 4401,
  // Errc::forbidden 4403 (a database error 1011). Messages that arrive meanwhile wait.
  std::shared_ptr<Session> open(std::string token, const std::shared_ptr<room::Peer>& peer);

  // Queues, on a worker, timer auto-advance at `now` in every room with sessions and the
  // broadcast of the changes, and the close of the sessions of invites that expired since
  // the last tick (4401, LoopService::expire_due, which also tells the app's /yjs
  // listener). Call about every 250 ms; a call while the last tick is still queued or
  // running is skipped.
  void tick(std::chrono::system_clock::time_point now);

  // Blocks until every job queued before the call (and those they queued) has run or been
  // dropped. For tests and shutdown; never call it from a worker.
  void wait_idle();
  // Finishes the running jobs, drops the queued ones and joins the workers; later messages
  // and ticks are dropped (their sessions close with 1013). Idempotent; the destructor calls it.
  void stop();

  // Sends a RunUpdate to every session in round `round` of `loop_id`; `view(staff)` gives
  // the JSON for a receiver who is (not) staff of the round. Any thread.
  void broadcast_run(const std::string& loop_id, uint32_t round, const std::string& run_id,
                     const std::function<std::string(bool staff)>& view);
  // Sends `update` to every session in the round, or to its staff only when `staff_only`
  // (a hidden test's output while it streams). Any thread.
  void broadcast_run_update(const std::string& loop_id, uint32_t round, const v1::RunUpdate& update, bool staff_only);

  // Live sessions (for metrics and tests).
  std::size_t session_count();
  // Round rooms with at least one live session (for metrics).
  std::size_t room_count();
  // Members of every round's call (for metrics and tests).
  std::size_t call_member_count() { return calls_->member_count(); }

 private:
  friend class Session;
  friend class CallHub;
  using RoomKey = std::pair<std::string, uint32_t>;

  // Runs on the session's queue; the one dispatch over ClientMessage cases.
  void handle(Session& s, const v1::ClientMessage& msg);
  void open_now(const std::shared_ptr<Session>& s, const std::string& token);
  void tick_now(int64_t now_ms);
  void join(const std::shared_ptr<Session>& s, uint32_t round);
  void remove(Session& s);
  std::vector<std::shared_ptr<Session>> members(const RoomKey& room);
  void broadcast_timer(const RoomKey& room, const v1::TimerState& timer, Session* origin, uint64_t request_id);
  void broadcast_question(const RoomKey& room, const QuestionSelection& q, Session* origin, uint64_t request_id);
  // Tells the round's staff that a scorecard was submitted (LoopService::on_panel_changed,
  // REST or session; no content: each re-reads what the service lets them see).
  void broadcast_panel_changed(const RoomKey& room);
  void close_token(const std::string& token_id, const std::string& reason, uint16_t code);
  // Sends `progress` to every session of `loop_id`; with `follow`, the sessions in round
  // `follow->first` and every candidate session then join round `follow->second` (a job on
  // each session's queue sends its new snapshot).
  void broadcast_progress(const std::string& loop_id, const v1::LoopProgress& progress,
                          std::optional<std::pair<uint32_t, uint32_t>> follow, Session* origin, uint64_t request_id);

  LoopService& service_;
  const SessionHubOptions options_;
  int revoke_listener_ = 0;
  int panel_listener_ = 0;
  std::atomic<bool> tick_queued_{false};
  // Bumped by close_token() before it looks for the token's sessions. An opening session
  // is in no room between authenticate() and join(), so close_token() cannot find it; the
  // opening job compares this before and after and, if it moved, authenticates again.
  std::atomic<uint64_t> access_ended_{0};
  JobCounter jobs_;  // this hub's jobs, for wait_idle()
  std::unique_ptr<CallHub> calls_;
  // Last member: stop() joins its threads before the members above go away.
  std::unique_ptr<WorkerPool> pool_;
  std::mutex mu_;  // guards rooms_
  std::map<RoomKey, std::vector<std::weak_ptr<Session>>> rooms_;
};

}  // namespace mockloop::loop
