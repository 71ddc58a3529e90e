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
// Limits: at most kMaxRunsInFlightPerRoom run queued or running per round (the next is
// refused with 429 until it ends); the pool's slots bound concurrent runs globally.
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

class RunService {
 public:
  // `pool` may be null (no runner: every run is refused with the reason). All references
  // must outlive the service; `db` is its own connection.
  RunService(LoopService& loops, runner::RunnerPool* pool, const runner::TestCatalog& tests, store::Database& db,
             std::string runtimes_json, std::string sandbox_problem);

  // GET /api/runtimes: {runtimes: [{id, language, version, available, reason?}], sandbox: {ok, reason?}}
  const std::string& runtimes_json() const { return runtimes_json_; }

  // POST body: {language, code, stdin?, tests: "none"|"sample"|"all", questionId?}. Returns the run id.
  Result<std::string> start(const Principal& p, const std::string& loop_id, uint32_t round, const std::string& body);
  // The run as `p` may see it (JSON text).
  Result<std::string> get(const Principal& p, const std::string& loop_id, uint32_t round, const std::string& run_id);
  // {runs: [...]} newest first, as `p` may see them.
  Result<std::string> list(const Principal& p, const std::string& loop_id, uint32_t round);

  // Called on a pool thread after a run is stored (and once when it is queued), with the
  // full view; the listener redacts per receiver with run_view().
  void set_on_update(std::function<void(const std::string& loop_id, uint32_t round, const nlohmann::json& full)> f) {
    on_update_ = std::move(f);
  }

  // Streamed pieces and settings changes, on a pool thread (pieces) or the caller's (settings):
  // send `update` to the round, to its staff only when `staff_only`.
  void set_on_stream(std::function<void(const std::string& loop_id, uint32_t round, const v1::RunUpdate& update,
                                        bool staff_only)> f) {
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
  Result<void> may_run(const Principal& p, const std::string& loop_id, uint32_t round);
  void finish(nlohmann::json run, const runner::QuestionTests* q, runner::Reply reply);

  LoopService& loops_;
  runner::RunnerPool* pool_;
  const runner::TestCatalog& tests_;
  const std::string runtimes_json_;
  const std::string sandbox_problem_;
  std::function<void(const std::string&, uint32_t, const nlohmann::json&)> on_update_;
  std::function<void(const std::string&, uint32_t, const v1::RunUpdate&, bool)> on_stream_;
  std::mutex mu_;  // guards db_, in_flight_, pending_ and hidden_allowed_
  store::Database& db_;
  std::map<std::pair<std::string, uint32_t>, size_t> in_flight_;
  std::map<std::string, nlohmann::json> pending_;  // run id -> queued run (full view)
  std::map<std::pair<std::string, uint32_t>, bool> hidden_allowed_;  // round -> candidate may run hidden
};

}  // namespace mockloop::loop
