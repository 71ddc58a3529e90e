// RunService: code runs in a round (issue 16). POST .../runs checks who asks (a participant
// of the loop who may join the round), bounds the request, queues it on the RunnerPool and
// answers at once with its id; when the runner replies (on a pool slot thread) the outputs
// are checked against the question's tests (runner/test_catalog.hpp), the run is stored
// (table `runs`, loop_migrations step 7) and `on_done` tells the round's sessions.
//
// What each reader sees (run_view): staff of the round see everything; anyone else sees
// the custom and sample tests in full, and of the hidden tests only how many passed and
// how many there were - never their input, expected output, stdout or stderr. The server
// builds each view; clients are never trusted to hide anything.
//
// Streaming: stdout of a run in progress reaches the round as RunUpdate.chunk pieces (a
// hidden test's pieces to staff only), at most kMaxStreamedBytesPerRun per run; the final
// RunUpdate carries the whole kept output either way. Diagnostics: compile messages and the
// first failing visible test's error, mapped to source lines (runner/diagnostics.hpp), are
// part of the run ("diagnostics"), so everyone in the round sees the same marks in the pad.
//
// Hidden tests: a candidate may run "all" tests only when the round's staff allowed it
// (PUT .../run-settings); the setting lives in memory (a restart turns it off again).
//
// Study rooms (POST /api/study-rooms/{id}/runs): peers run the pad's code on their own
// stdin only ("tests": "none"); a study token never reaches a question's tests, hidden or
// sample, nor a reference solution (403 for "sample" and "all"). Every peer of the room sees
// every run of the room (no staff there); the author's name is the one the peer gives
// ("by", at most kMaxRunAuthorBytes). Study runs are stored in `study_runs`.
//
// Limits: at most kMaxRunsInFlightPerRoom run queued or running per round or study room
// (the next is refused with 429 until it ends); the pool's slots bound concurrent runs
// globally.
// Thread-safety: every method may be called from any thread; mu_ guards the database
// connection and in_flight_.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"
#include "loop/principal.hpp"
#include "runner/pool.hpp"
#include "runner/test_catalog.hpp"
#include "session.pb.h"
#include "store/database.hpp"

namespace mockloop::loop {

class LoopService;

inline constexpr size_t kMaxRunsInFlightPerRoom = 1;  // "one queued run per room"
inline constexpr size_t kMaxRunsListed = 50;          // GET .../runs: the latest ones
inline constexpr size_t kMaxStreamedBytesPerRun = 256 * 1024;  // live stdout pieces; the result has it all
inline constexpr size_t kMaxRunAuthorBytes = 60;  // a study peer's name on its run ("by"), as kMaxStudyNameBytes

// Where a run belongs: a round of a loop, or a study room. Values.
struct RunPlace {
  std::string loop_id;   // empty for a study room
  uint32_t round = 0;
  std::string study_id;  // empty for a round

  static RunPlace of_round(std::string loop_id, uint32_t round) { return {std::move(loop_id), round, {}}; }
  static RunPlace of_study(std::string study_id) { return {{}, 0, std::move(study_id)}; }
  bool study() const { return !study_id.empty(); }
  // One string per place ("loop/<id>/<round>", "study/<id>"): the key of per-room limits.
  std::string key() const;
  // The place a run's JSON names (loopId + round, or studyId).
  static RunPlace of_run(const nlohmann::json& run);
};

class RunService {
 public:
  // `pool` may be null (no runner: every run is refused with the reason). All references
  // must outlive the service; `db` is its own connection.
  RunService(LoopService& loops, runner::RunnerPool* pool, const runner::TestCatalog& tests, store::Database& db,
             std::string runtimes_json, std::string sandbox_problem);

  // GET /api/runtimes: {runtimes: [{id, language, version, available, reason?}], sandbox: {ok, reason?}}
  const std::string& runtimes_json() const { return runtimes_json_; }

  // POST body: {language, code, stdin?, tests: "none"|"sample"|"all", questionId?, by?}.
  // Returns the run id. `by` names a study room's peer (rounds use the participant's name).
  Result<std::string> start(const Principal& p, const RunPlace& place, const std::string& body);
  // The run as `p` may see it (JSON text).
  Result<std::string> get(const Principal& p, const RunPlace& place, const std::string& run_id);
  // {runs: [...]} newest first (at most kMaxRunsListed), as `p` may see them.
  Result<std::string> list(const Principal& p, const RunPlace& place);

  // Called on a pool thread after a run is stored (and once when it is queued), with the
  // full view; the listener redacts per receiver with run_view().
  void set_on_update(std::function<void(const RunPlace& place, const nlohmann::json& full)> f) {
    on_update_ = std::move(f);
  }

  // Streamed pieces and settings changes, on a pool thread (pieces) or the caller's (settings):
  // send `update` to the round or study room, to the round's staff only when `staff_only`.
  void set_on_stream(std::function<void(const RunPlace& place, const v1::RunUpdate& update, bool staff_only)> f) {
    on_stream_ = std::move(f);
  }

  // GET/PUT .../run-settings: {candidateMayRunHidden}. Anyone in the round may read; only
  // its staff may change (403 otherwise); a change is told to the round.
  Result<std::string> settings(const Principal& p, const std::string& loop_id, uint32_t round);
  Result<std::string> put_settings(const Principal& p, const std::string& loop_id, uint32_t round,
                                   const std::string& body);

  // The full view cut down for a reader who is (not) staff of the round.
  static nlohmann::json run_view(const nlohmann::json& full, bool staff);

 private:
  // May `p` run code in `place`? The answer: is `p` staff there (never in a study room).
  Result<bool> may_run(const Principal& p, const RunPlace& place);
  void finish(const RunPlace& place, nlohmann::json run, const runner::QuestionTests* q, runner::Reply reply);
  // REQUIRES: mu_ held.
  void store(const RunPlace& place, const nlohmann::json& run);

  LoopService& loops_;
  runner::RunnerPool* pool_;
  const runner::TestCatalog& tests_;
  const std::string runtimes_json_;
  const std::string sandbox_problem_;
  std::function<void(const RunPlace&, const nlohmann::json&)> on_update_;
  std::function<void(const RunPlace&, const v1::RunUpdate&, bool)> on_stream_;
  std::mutex mu_;  // guards db_, in_flight_, pending_ and hidden_allowed_
  store::Database& db_;
  std::map<std::string, size_t> in_flight_;  // RunPlace::key() -> runs queued or running
  std::map<std::string, nlohmann::json> pending_;  // run id -> queued run (full view)
  std::map<std::pair<std::string, uint32_t>, bool> hidden_allowed_;  // round -> candidate may run hidden
};

}  // namespace mockloop::loop
