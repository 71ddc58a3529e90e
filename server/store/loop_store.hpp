// LoopStore: the SQLite tables of interview loops (see loop_migrations.cpp). Rows carry
// protobuf-encoded messages as opaque bytes so this layer stays free of the schema; the
// loop service (server/loop/) owns their meaning. Invite tokens are stored as SHA-256.
//
// Not thread-safe: like its Database, used by one thread at a time (the LoopService
// serialises all calls under its mutex). The Database must outlive the LoopStore.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

// SHA-256 of a raw token, 32 raw bytes.
std::string hash_token(std::string_view token);

struct TokenRecord {
  std::string id;
  std::string hash;            // 32 bytes
  std::string loop_id;         // empty for a study-room token
  std::string study_id;        // empty for a loop token
  std::string participant_id;
  int role = 0;                // mockloop.v1.Role
  std::vector<int> rounds;     // interviewer's assigned rounds; empty = every round
  bool revoked = false;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;   // 0 = never
  int64_t joined_at_ms = 0;    // first session opened with it; 0 = never
};

struct RoomRef {
  std::string loop_id;
  int round_index = 0;
};

struct RoomRow {
  std::string room_id;
  int round_index = 0;
};

struct ScorecardRow {
  std::string loop_id;
  int round_index = 0;
  std::string author_id;
  int version = 0;
  int status = 0;              // mockloop.v1.ScorecardStatus
  std::string data;            // mockloop.v1.Scorecard bytes
  int64_t updated_at_ms = 0;
  int64_t submitted_at_ms = 0;
};

struct LoopRow {
  std::string id;
  int64_t created_at_ms = 0;
  std::string data;            // mockloop.v1.Loop bytes
};

struct StudyRoomRow {
  std::string id;
  std::string title;
  int64_t created_at_ms = 0;
};

// The study room `id` (nullopt: no such room), read on `db`: the one query behind
// LoopStore::find_study_room and StudyStore::find_room. Same threading rule as `db`.
Result<std::optional<StudyRoomRow>> read_study_room(Database& db, std::string_view id);

class LoopStore {
 public:
  // Applies the "loop" migrations.
  static Result<std::unique_ptr<LoopStore>> open(Database& db);

  // Writes the loop, its rooms, its tokens and its initial round timers (`timers[i]` for
  // round i) in one transaction.
  Result<void> create_loop(std::string_view id, int64_t created_at_ms, bool everyone_edits, std::string_view data,
                           const std::vector<RoomRow>& rooms, const std::vector<TokenRecord>& tokens,
                           const std::vector<std::string>& timers);
  Result<std::optional<std::string>> load_loop(std::string_view id);
  // Every loop, newest first, at most `limit` (the operator's list; not for requests).
  Result<std::vector<LoopRow>> all_loops(int64_t limit);
  // Code runs of a loop (table runs, issue 16), oldest first: one row per run.
  struct RunRow {
    int64_t round_index = 0;
    std::string author, language, tests_mode, verdict;
    int64_t passed = 0, total = 0;
  };
  Result<std::vector<RunRow>> runs_of_loop(std::string_view loop_id);
  Result<void> update_loop(std::string_view id, std::string_view data);
  // Whether observers may edit the loop's shared docs (peer sessions); nullopt if no loop.
  Result<std::optional<bool>> loop_everyone_edits(std::string_view id);

  Result<std::optional<TokenRecord>> find_token_by_hash(std::string_view hash);
  Result<std::vector<TokenRecord>> tokens_of_loop(std::string_view loop_id);
  // Returns false when the token is not in the loop.
  Result<bool> revoke_token(std::string_view loop_id, std::string_view token_id);
  // Adds one token of an existing loop (a person added or a link reissued).
  Result<void> add_token(const TokenRecord& t);
  // Revokes every unrevoked token of the participant; returns their ids.
  Result<std::vector<std::string>> revoke_participant_tokens(std::string_view loop_id,
                                                             std::string_view participant_id);
  // Rewrites role and rounds on every token of the participant (the loop's copy is the
  // one authentication uses; this keeps the rows telling the same story).
  Result<void> set_participant_tokens(std::string_view loop_id, std::string_view participant_id, int role,
                                      const std::vector<int>& rounds);
  // Remembers the first session opened with the token (no-op after the first time).
  Result<void> mark_joined(std::string_view token_id, int64_t at_ms);
  // Runs `body` in one transaction (BEGIN IMMEDIATE .. COMMIT; rollback on error).
  Result<void> transaction(const std::function<Result<void>()>& body);
  // Ids of unrevoked tokens whose expiry is in (after_ms, until_ms].
  Result<std::vector<std::string>> tokens_expiring(int64_t after_ms, int64_t until_ms);

  Result<std::optional<RoomRef>> find_room(std::string_view room_id);

  // Every version of every author's scorecards, ordered by round, author, version.
  Result<std::vector<ScorecardRow>> scorecards(std::string_view loop_id);
  Result<std::vector<ScorecardRow>> scorecards(std::string_view loop_id, int round_index, std::string_view author_id);
  Result<void> insert_scorecard(const ScorecardRow& row);
  // Replaces a draft (status 1) in place; fails with "conflict" if the row is submitted.
  Result<void> update_scorecard(const ScorecardRow& row);

  // Remembers that `viewer_id` read the round's other submitted scorecards at `at_ms`;
  // the first time is kept.
  Result<void> record_panel_view(std::string_view loop_id, int round_index, std::string_view viewer_id,
                                 int64_t at_ms);
  // When `viewer_id` first read them; nullopt if never.
  Result<std::optional<int64_t>> panel_viewed_at(std::string_view loop_id, int round_index,
                                                 std::string_view viewer_id);

  Result<std::optional<std::string>> load_timer(std::string_view loop_id, int round_index);
  Result<void> save_timer(std::string_view loop_id, int round_index, std::string_view data);

  // The loop's LoopProgress bytes; nullopt before the loop first moved.
  Result<std::optional<std::string>> load_progress(std::string_view loop_id);
  Result<void> save_progress(std::string_view loop_id, std::string_view data);

  Result<void> create_study_room(const StudyRoomRow& room, const TokenRecord& token);
  Result<std::optional<StudyRoomRow>> find_study_room(std::string_view id);

  Database& database() { return db_; }

 private:
  explicit LoopStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace mockloop::store
