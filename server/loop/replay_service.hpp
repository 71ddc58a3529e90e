// ReplayService: a round watched afterwards (issue 19). Answers
//   GET /api/loops/{id}/rounds/{r}/timeline -> the round's events (loop/replay_timeline.hpp)
//   GET /api/loops/{id}/rounds/{r}/state?at=<ms> -> the board (docs/board-model.md JSON),
//       the code pad's text and language, the timer and the question at that moment
// Who may watch and what they see is LoopService::replay_facts (the policy's replay and
// replay_staff_events cells). Documents are rebuilt with the crdt engine from the nearest
// history checkpoint and the updates after it (store/doc_history.hpp), on the caller's
// thread: the REST router's workers, never an io thread.
//
// Thread-safety: every method from any thread; mu_ guards the history reader's connection
// (reads only; the rebuild itself runs outside the lock).
#pragma once

#include <memory>
#include <mutex>
#include <string>

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

 private:
  ReplayService(LoopService& loops, std::unique_ptr<store::DocHistory> history)
      : loops_(loops), history_(std::move(history)) {}
  Result<store::HistorySlice> slice(const std::string& doc, int64_t at_ms);

  LoopService& loops_;
  std::mutex mu_;  // guards history_ (its Database connection)
  std::unique_ptr<store::DocHistory> history_;
};

}  // namespace mockloop::loop
