// One collaborative document held in memory: its CRDT state, the connections joined to it,
// their awareness states, and its persistence bookkeeping. Created and unloaded by the
// DocRegistry; used by DocConnections (io threads), store::Writer completions (on the
// committing thread: the writer's own, or with commit_on_caller the io thread that drains
// the queue after its update) and tick() (the lead's timer).
//
// Thread-safety: every member below `mu_` is guarded by it. The lock is held for apply +
// encode and for handing frames to Peer::send (non-blocking), so broadcasts leave in commit
// order; it is never held while calling Peer::close. Lock order: registry, then doc.
//
// Durability: with a writer, an update is appended to the store before any other client
// sees it (broadcast happens in the writer's completion), and a step 2 that may contain
// uncommitted updates is held back behind a writer barrier. So every byte a client
// receives from the server is committed first. Without a writer (persistence off) updates
// are broadcast at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "room/awareness.hpp"
#include "room/crdt_doc.hpp"
#include "room/history_options.hpp"
#include "room/limits.hpp"
#include "room/peer.hpp"
#include "store/writer.hpp"

namespace mockloop::room {

// What a LiveDoc needs from its registry; outlives every LiveDoc.
struct RoomContext {
  Limits limits;
  store::Writer* writer = nullptr;  // null: persistence off
  CrdtDocFactory make_doc;
  std::function<std::chrono::steady_clock::time_point()> clock;  // awareness and idle times
  HistoryOptions history;  // which docs keep history (with a writer only), checkpoints
};

using Frame = std::shared_ptr<const std::vector<uint8_t>>;
using Clock = std::chrono::steady_clock;

class LiveDoc : public std::enable_shared_from_this<LiveDoc> {
 public:
  LiveDoc(std::string name, const RoomContext& ctx);
  ~LiveDoc();
  const std::string& name() const { return name_; }

  // Loading, by the registry: exactly one joiner loads, the others wait.
  // `logged_updates`/`logged_bytes`: the store's log after the snapshot of `snapshot_bytes`.
  void finish_load(std::unique_ptr<CrdtDoc> doc, size_t logged_updates, size_t logged_bytes, size_t snapshot_bytes);
  void fail_load(const Error& error);
  Result<void> wait_loaded();

  // Adds a connection and sends it the server's sync step 1 and the present awareness
  // states. Fails with "closed" (unloaded meanwhile: retry with a fresh doc) or "doc_full".
  Result<void> add_member(const std::shared_ptr<Peer>& peer);
  // Removes a connection and broadcasts the removal of the awareness states it announced.
  void remove_member(uint64_t peer_id);

  // Protocol actions of one member. Errors carry the close code to use in `code`:
  // "invalid_update"/"invalid_state_vector" (1007), "too_big" (1009: over max_update_bytes,
  // max_type_depth or max_map_keys; nothing applied), "busy" (1013),
  // "closed" (nothing to do).
  // With persistence an applied update (and a step 2 that includes uncommitted ones) goes
  // out only once committed: call commit() after one or more of these.
  Result<void> sync_step1(const std::shared_ptr<Peer>& peer, ByteView state_vector);
  // `frame` owns `update`; when `frame_is_update` it is a complete sync-update message and
  // is broadcast as is, otherwise a new one is encoded.
  // `actor`: the participant id recorded beside the update in the history (a doc that keeps
  // history, HistoryOptions::keeps), with the server's time (never earlier than the doc's
  // previous history row).
  Result<void> apply_update(uint64_t sender, Frame frame, ByteView update, bool frame_is_update,
                            std::string_view actor = {});
  // A change made by the server itself (a snapshot restored, loop/snapshot_restore.hpp):
  // `make_update` gets the doc's present state (a v1 update from an empty doc), without the
  // lock, and returns the update to apply (empty: nothing to do). That update then takes the
  // normal path: apply_update with sender 0 (no connection's id: everyone receives it),
  // stored with `actor` in the history, committed, broadcast. Returns whether it changed
  // anything. Errors: apply_update's, and make_update's own.
  using MakeUpdate = std::function<Result<Bytes>(ByteView state)>;
  Result<bool> server_edit(const MakeUpdate& make_update, std::string_view actor);
  // Commits everything submitted so far (with commit_on_caller, in one transaction on this
  // thread, as the Writer's group-commit leader) and sends what waited for it.
  // REQUIRES: the caller holds no document lock.
  void commit();
  // Relays `frame` (an awareness message) to the other members after applying `entries`.
  // Fails with "too_many_clients" when the sender would control more ids than allowed, and
  // "awareness_too_large" (nothing applied) when its states would pass `max_sender_bytes`.
  // A message that would pass Limits::max_awareness_bytes_per_doc is dropped (not applied,
  // not relayed, counted) and succeeds: the sender is not at fault.
  Result<void> awareness(uint64_t sender, const Frame& frame, std::span<const wire::AwarenessEntry> entries,
                         size_t max_sender_bytes);
  void query_awareness(const std::shared_ptr<Peer>& peer);

  // Expires awareness states, compacts a long log, and decides about unloading. Returns
  // true when the doc is closed and the registry should drop it.
  bool tick(Clock::time_point now);
  // Queues a history checkpoint (labelled, e.g. "phase 2 started") when the doc keeps history
  // and changed since its last one. Encodes the state here: call off the io threads. The
  // caller (or the next tick) drains the writer.
  void checkpoint(std::string label);
  bool keeps_history() const { return keeps_history_; }

  bool closed() const;
  // Closes the doc for good because its document is being deleted: every member is closed
  // with `code` and `reason`, and nothing more is written for it (no checkpoint or compaction
  // at unload). Updates already submitted still commit first (the writer keeps order).
  void close_removed(uint16_t code, const std::string& reason);
  // Closes the doc when no one uses it (no member, no join waiting for its load, nothing
  // uncommitted): the registry then forgets it. Its log holds every committed update, so
  // nothing is encoded here. Returns true when it closed it (or it was closed).
  bool close_if_unused();
  // Stored bytes: update log since the last snapshot + that snapshot (Limits::max_doc_bytes).
  size_t stored_bytes() const;
  size_t member_count() const;

  // Runs `fn` once loading has ended (loaded or failed): at once on this thread if it has,
  // otherwise on the thread that ends it (finish_load/fail_load), without the lock.
  void when_loaded(std::function<void()> fn);

 private:
  enum class State { loading, ready, closed };
  struct Member {
    uint64_t id;
    std::weak_ptr<Peer> peer;
  };

  void run_load_waiters();
  void broadcast_locked(const Frame& frame, uint64_t except);
  void on_committed(const Result<uint64_t>& r, uint64_t sender, const Frame& frame, Clock::time_point applied_at);
  // Closes every member with 1011; REQUIRES: mu_ held. Returns the peers to close once
  // the lock is released.
  std::vector<std::shared_ptr<Peer>> fail_locked(const std::string& reason);
  void submit_compaction_locked();
  void submit_checkpoint_locked(std::string label);

  const std::string name_;
  const RoomContext& ctx_;
  const bool keeps_history_;  // a writer, a positive retention and HistoryOptions::keeps(name_)

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable loaded_cv_;
  State state_ = State::loading;
  std::optional<Error> load_error_;  // set when the load failed or the doc was failed
  std::vector<std::function<void()>> load_waiters_;  // joins waiting for the load (bounded by the connections)
  std::unique_ptr<CrdtDoc> doc_;
  std::vector<Member> members_;
  Awareness awareness_;
  size_t uncommitted_ = 0;   // appends submitted to the writer and not completed
  size_t logged_ = 0;        // updates in the store's log since the last compaction
  size_t logged_bytes_ = 0;  // their bytes
  size_t snapshot_bytes_ = 0;  // size of the last snapshot written or loaded
  bool compacting_ = false;  // a compaction is queued
  Clock::time_point idle_since_;
  Frame full_state_;  // step 2 for an empty state vector; null when the doc changed since
  int64_t last_history_ms_ = 0;  // at_ms of the last history row submitted (kept monotonic)
  size_t since_checkpoint_ = 0;  // history rows submitted since the last checkpoint
};

}  // namespace mockloop::room
