// ReplayService: a round watched afterwards (issue 19). Answers
//   GET /api/loops/{id}/rounds/{r}/timeline -> the round's events (loop/replay_timeline.hpp)
//   GET /api/loops/{id}/rounds/{r}/state?at=<ms> -> the board (docs/board-model.md JSON),
//       the code pad's text and language, the timer and the question at that moment
//   GET  .../snapshots, POST .../snapshots {name, atMs}, POST .../snapshots/{id}/restore
//       {target: "board" | "code"} (loop/replay_snapshots.hpp; staff only)
// Who may watch and what they see is LoopService::replay_facts (the policy's replay,
// replay_staff_events and replay_snapshots cells). A restore is a new change on the live doc:
// the update comes from loop/snapshot_restore.hpp and goes through the DocEditor (the app's
// DocRegistry::server_edit: applied, stored, kept in the history, broadcast). Documents are rebuilt with the crdt engine from the nearest
// history checkpoint and the updates after it (store/doc_history.hpp), on the caller's
// thread: the REST router's workers, never an io thread.
//
// Thread-safety: every method from any thread; mu_ guards the history reader's connection
// (reads only; the rebuild itself runs outside the lock).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "loop/loop_service.hpp"
#include "store/database.hpp"
#include "store/doc_history.hpp"

namespace mockloop::loop {

// state?at= accepts moments in [0, kMaxReplayMoment] (ms since the Unix epoch, year 2286).
inline constexpr int64_t kMaxReplayMoment = 9'999'999'999'999;

class ReplayService {
 public:
  // `db`: a connection of its own (the "docs" migrations ran on the file). Both must outlive it.
  static Result<std::unique_ptr<ReplayService>> open(LoopService& loops, store::Database& db);

  Result<std::string> timeline(const Principal& p, const std::string& loop_id, uint32_t round);
  Result<std::string> state(const Principal& p, const std::string& loop_id, uint32_t round, int64_t at_ms);

  // {snapshots: [{id, name, atMs, kind, by}], maxPerRound}; Errc::forbidden but for staff.
  Result<std::string> snapshots(const Principal& p, const std::string& loop_id, uint32_t round);
  // Takes a snapshot (body {name?, atMs?}); answers it as listed.
  Result<std::string> create_snapshot(const Principal& p, const std::string& loop_id, uint32_t round,
                                      const std::string& body);
  // Restores the live board or code pad (body {target}) to the snapshot as a new change;
  // answers {snapshot, target, changed, restoredAtMs}. Errc::conflict without a DocEditor.
  Result<std::string> restore(const Principal& p, const std::string& loop_id, uint32_t round,
                              const std::string& snapshot_id, const std::string& body);

  // Applies a server-made change to a live doc: `make_update` gets the doc's present state
  // (a v1 update) and returns the update to apply (empty: none). `actor` is the participant
  // id recorded in the history. Returns whether anything changed. Set once, before use.
  using MakeUpdate = std::function<Result<std::vector<uint8_t>>(std::span<const uint8_t> state)>;
  using DocEditor = std::function<Result<bool>(const std::string& doc_name, const std::string& actor,
                                               const MakeUpdate& make_update)>;
  void set_doc_editor(DocEditor editor) { editor_ = std::move(editor); }

 private:
  ReplayService(LoopService& loops, std::unique_ptr<store::DocHistory> history)
      : loops_(loops), history_(std::move(history)) {}
  Result<store::HistorySlice> slice(const std::string& doc, int64_t at_ms);

  LoopService& loops_;
  DocEditor editor_;
  std::mutex mu_;  // guards history_ (its Database connection)
  std::unique_ptr<store::DocHistory> history_;
};

}  // namespace mockloop::loop
