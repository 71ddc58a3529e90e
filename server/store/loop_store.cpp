#include "store/loop_store.hpp"

#include <openssl/sha.h>

#include "store/blob_rows.hpp"
#include "store/loop_migrations.hpp"

namespace mockloop::store {
namespace {

TokenRecord read_token(const Statement& st) {
  TokenRecord t;
  t.id = std::string(st.column_text(0));
  t.hash = column_blob_string(st, 1);
  t.loop_id = st.column_is_null(2) ? "" : std::string(st.column_text(2));
  t.study_id = st.column_is_null(3) ? "" : std::string(st.column_text(3));
  t.participant_id = std::string(st.column_text(4));
  t.role = static_cast<int>(st.column_int64(5));
  t.revoked = st.column_int64(6) != 0;
  t.created_at_ms = st.column_int64(7);
  t.expires_at_ms = st.column_int64(9);
  t.joined_at_ms = st.column_int64(10);
  std::string_view rounds = st.column_text(8);
  while (!rounds.empty()) {
    auto comma = rounds.find(',');
    t.rounds.push_back(std::stoi(std::string(rounds.substr(0, comma))));
    rounds = comma == std::string_view::npos ? std::string_view() : rounds.substr(comma + 1);
  }
  return t;
}

constexpr std::string_view kTokenColumns =
    "id, hash, loop_id, study_id, participant_id, role, revoked, created_at_ms, rounds, expires_at_ms, joined_at_ms";

Result<void> insert_token(Database& db, const TokenRecord& t) {
  auto st = db.prepare(
      "INSERT INTO loop_tokens(id, hash, loop_id, study_id, participant_id, role, revoked, created_at_ms, rounds,"
      " expires_at_ms) VALUES (?1, ?2, NULLIF(?3, ''), NULLIF(?4, ''), ?5, ?6, 0, ?7, ?8, ?9)");
  if (!st) return st.error();
  std::string rounds;
  for (int r : t.rounds) rounds += (rounds.empty() ? "" : ",") + std::to_string(r);
  st->bind_text(8, rounds).bind_int64(9, t.expires_at_ms);
  st->bind_text(1, t.id).bind_blob_static(2, blob_bytes(t.hash)).bind_text(3, t.loop_id).bind_text(4, t.study_id);
  st->bind_text(5, t.participant_id).bind_int64(6, t.role).bind_int64(7, t.created_at_ms);
  return st->run();
}

ScorecardRow read_scorecard(const Statement& st) {
  ScorecardRow r;
  r.loop_id = std::string(st.column_text(0));
  r.round_index = static_cast<int>(st.column_int64(1));
  r.author_id = std::string(st.column_text(2));
  r.version = static_cast<int>(st.column_int64(3));
  r.status = static_cast<int>(st.column_int64(4));
  r.data = column_blob_string(st, 5);
  r.updated_at_ms = st.column_int64(6);
  r.submitted_at_ms = st.column_int64(7);
  return r;
}

constexpr std::string_view kScorecardColumns =
    "loop_id, round_index, author_id, version, status, data, updated_at_ms, submitted_at_ms";

}  // namespace

std::string hash_token(std::string_view token) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

Result<std::unique_ptr<LoopStore>> LoopStore::open(Database& db) {
  if (auto r = db.migrate("loop", loop_migrations()); !r) return r.error();
  return std::unique_ptr<LoopStore>(new LoopStore(db));
}

Result<void> LoopStore::create_loop(std::string_view id, int64_t created_at_ms, bool everyone_edits,
                                    std::string_view data,
                                    const std::vector<RoomRow>& rooms, const std::vector<TokenRecord>& tokens,
                                    const std::vector<std::string>& timers) {
  return in_transaction(db_, [&]() -> Result<void> {
    auto st = db_.prepare("INSERT INTO loops(id, created_at_ms, everyone_edits, data) VALUES (?1, ?2, ?4, ?3)");
    if (!st) return st.error();
    st->bind_text(1, id).bind_int64(2, created_at_ms).bind_blob_static(3, blob_bytes(data));
    st->bind_int64(4, everyone_edits ? 1 : 0);
    if (auto r = st->run(); !r) return r;
    for (const auto& room : rooms) {
      auto rs = db_.prepare("INSERT INTO loop_rooms(room_id, loop_id, round_index) VALUES (?1, ?2, ?3)");
      if (!rs) return rs.error();
      rs->bind_text(1, room.room_id).bind_text(2, id).bind_int64(3, room.round_index);
      if (auto r = rs->run(); !r) return r;
    }
    for (const auto& t : tokens)
      if (auto r = insert_token(db_, t); !r) return r;
    for (size_t i = 0; i < timers.size(); ++i)
      if (auto r = save_timer(id, static_cast<int>(i), timers[i]); !r) return r;
    return {};
  });
}

Result<std::optional<std::string>> LoopStore::load_loop(std::string_view id) {
  return load_blob(db_, "SELECT data FROM loops WHERE id = ?1", id);
}

Result<std::vector<LoopRow>> LoopStore::all_loops(int64_t limit) {
  auto st = db_.prepare("SELECT id, created_at_ms, data FROM loops ORDER BY created_at_ms DESC, id LIMIT ?1");
  if (!st) return st.error();
  st->bind_int64(1, limit);
  return collect_rows(*st, [](const Statement& s) {
    auto blob = s.column_blob(2);
    return LoopRow{std::string(s.column_text(0)), s.column_int64(1), std::string(blob.begin(), blob.end())};
  });
}

Result<void> LoopStore::update_loop(std::string_view id, std::string_view data) {
  auto st = db_.prepare("UPDATE loops SET data = ?2 WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, id).bind_blob_static(2, blob_bytes(data));
  return st->run();
}

Result<std::optional<bool>> LoopStore::loop_everyone_edits(std::string_view id) {
  auto st = db_.prepare("SELECT everyone_edits FROM loops WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, id);
  return first_row(*st, [](const Statement& s) { return s.column_int64(0) != 0; });
}

Result<std::optional<TokenRecord>> LoopStore::find_token_by_hash(std::string_view hash) {
  auto st = db_.prepare("SELECT " + std::string(kTokenColumns) + " FROM loop_tokens WHERE hash = ?1");
  if (!st) return st.error();
  st->bind_blob_static(1, blob_bytes(hash));
  return first_row(*st, read_token);
}

Result<std::vector<TokenRecord>> LoopStore::tokens_of_loop(std::string_view loop_id) {
  auto st = db_.prepare("SELECT " + std::string(kTokenColumns) +
                        " FROM loop_tokens WHERE loop_id = ?1 ORDER BY created_at_ms, rowid");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  return collect_rows(*st, read_token);
}

Result<bool> LoopStore::revoke_token(std::string_view loop_id, std::string_view token_id) {
  auto st = db_.prepare("UPDATE loop_tokens SET revoked = 1 WHERE loop_id = ?1 AND id = ?2");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_text(2, token_id);
  if (auto r = st->run(); !r) return r.error();
  auto check = db_.prepare("SELECT revoked FROM loop_tokens WHERE loop_id = ?1 AND id = ?2");
  if (!check) return check.error();
  check->bind_text(1, loop_id).bind_text(2, token_id);
  auto row = check->step();
  if (!row) return row.error();
  return *row;
}

Result<void> LoopStore::add_token(const TokenRecord& t) { return insert_token(db_, t); }

Result<std::vector<std::string>> LoopStore::revoke_participant_tokens(std::string_view loop_id,
                                                                      std::string_view participant_id) {
  auto sel = db_.prepare("SELECT id FROM loop_tokens WHERE loop_id = ?1 AND participant_id = ?2 AND revoked = 0");
  if (!sel) return sel.error();
  sel->bind_text(1, loop_id).bind_text(2, participant_id);
  auto ids = collect_rows(*sel, [](const Statement& s) { return std::string(s.column_text(0)); });
  if (!ids) return ids.error();
  auto st = db_.prepare("UPDATE loop_tokens SET revoked = 1 WHERE loop_id = ?1 AND participant_id = ?2");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_text(2, participant_id);
  if (auto r = st->run(); !r) return r.error();
  return ids;
}

Result<void> LoopStore::set_participant_tokens(std::string_view loop_id, std::string_view participant_id, int role,
                                               const std::vector<int>& rounds) {
  std::string list;
  for (int r : rounds) list += (list.empty() ? "" : ",") + std::to_string(r);
  auto st = db_.prepare("UPDATE loop_tokens SET role = ?3, rounds = ?4 WHERE loop_id = ?1 AND participant_id = ?2");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_text(2, participant_id).bind_int64(3, role).bind_text(4, list);
  return st->run();
}

Result<void> LoopStore::mark_joined(std::string_view token_id, int64_t at_ms) {
  auto st = db_.prepare("UPDATE loop_tokens SET joined_at_ms = ?2 WHERE id = ?1 AND joined_at_ms = 0");
  if (!st) return st.error();
  st->bind_text(1, token_id).bind_int64(2, at_ms);
  return st->run();
}

Result<void> LoopStore::transaction(const std::function<Result<void>()>& body) { return in_transaction(db_, body); }

Result<std::vector<std::string>> LoopStore::tokens_expiring(int64_t after_ms, int64_t until_ms) {
  auto st = db_.prepare(
      "SELECT id FROM loop_tokens WHERE expires_at_ms > 0 AND expires_at_ms > ?1 AND expires_at_ms <= ?2"
      " AND revoked = 0");
  if (!st) return st.error();
  st->bind_int64(1, after_ms).bind_int64(2, until_ms);
  return collect_rows(*st, [](const Statement& s) { return std::string(s.column_text(0)); });
}

Result<std::optional<RoomRef>> LoopStore::find_room(std::string_view room_id) {
  auto st = db_.prepare("SELECT loop_id, round_index FROM loop_rooms WHERE room_id = ?1");
  if (!st) return st.error();
  st->bind_text(1, room_id);
  return first_row(*st, [](const Statement& s) {
    return RoomRef{std::string(s.column_text(0)), static_cast<int>(s.column_int64(1))};
  });
}

Result<std::vector<ScorecardRow>> LoopStore::scorecards(std::string_view loop_id) {
  auto st = db_.prepare("SELECT " + std::string(kScorecardColumns) +
                        " FROM scorecards WHERE loop_id = ?1 ORDER BY round_index, author_id, version");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  return collect_rows(*st, read_scorecard);
}

Result<std::vector<ScorecardRow>> LoopStore::scorecards(std::string_view loop_id, int round_index,
                                                        std::string_view author_id) {
  auto st = db_.prepare("SELECT " + std::string(kScorecardColumns) +
                        " FROM scorecards WHERE loop_id = ?1 AND round_index = ?2 AND author_id = ?3"
                        " ORDER BY version");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_int64(2, round_index).bind_text(3, author_id);
  return collect_rows(*st, read_scorecard);
}

Result<void> LoopStore::insert_scorecard(const ScorecardRow& r) {
  auto st = db_.prepare("INSERT INTO scorecards(" + std::string(kScorecardColumns) +
                        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!st) return st.error();
  st->bind_text(1, r.loop_id).bind_int64(2, r.round_index).bind_text(3, r.author_id).bind_int64(4, r.version);
  st->bind_int64(5, r.status).bind_blob_static(6, blob_bytes(r.data)).bind_int64(7, r.updated_at_ms);
  st->bind_int64(8, r.submitted_at_ms);
  return st->run();
}

Result<void> LoopStore::update_scorecard(const ScorecardRow& r) {
  auto st = db_.prepare(
      "UPDATE scorecards SET status = ?5, data = ?6, updated_at_ms = ?7, submitted_at_ms = ?8"
      " WHERE loop_id = ?1 AND round_index = ?2 AND author_id = ?3 AND version = ?4");
  if (!st) return st.error();
  st->bind_text(1, r.loop_id).bind_int64(2, r.round_index).bind_text(3, r.author_id).bind_int64(4, r.version);
  st->bind_int64(5, r.status).bind_blob_static(6, blob_bytes(r.data)).bind_int64(7, r.updated_at_ms);
  st->bind_int64(8, r.submitted_at_ms);
  if (auto res = st->run(); !res) {
    if (res.error().message.find("locked") != std::string::npos)
      return make_error(Errc::conflict, "submitted scorecard is locked");
    return res;
  }
  return {};
}

Result<void> LoopStore::record_panel_view(std::string_view loop_id, int round_index, std::string_view viewer_id,
                                         int64_t at_ms) {
  auto st = db_.prepare(
      "INSERT OR IGNORE INTO scorecard_panel_views(loop_id, round_index, viewer_id, first_viewed_at_ms)"
      " VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_int64(2, round_index).bind_text(3, viewer_id).bind_int64(4, at_ms);
  return st->run();
}

Result<std::optional<int64_t>> LoopStore::panel_viewed_at(std::string_view loop_id, int round_index,
                                                          std::string_view viewer_id) {
  auto st = db_.prepare(
      "SELECT first_viewed_at_ms FROM scorecard_panel_views WHERE loop_id = ?1 AND round_index = ?2"
      " AND viewer_id = ?3");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_int64(2, round_index).bind_text(3, viewer_id);
  return first_row(*st, [](const Statement& s) { return s.column_int64(0); });
}

Result<std::vector<LoopStore::RunRow>> LoopStore::runs_of_loop(std::string_view loop_id) {
  auto st = db_.prepare(
      "SELECT round_index, author, language, tests_mode, verdict, passed, total FROM runs WHERE loop_id = ?1"
      " ORDER BY created_at_ms, id");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  return collect_rows(*st, [](const Statement& s) {
    return RunRow{s.column_int64(0), std::string(s.column_text(1)), std::string(s.column_text(2)),
                  std::string(s.column_text(3)), std::string(s.column_text(4)), s.column_int64(5), s.column_int64(6)};
  });
}

Result<std::optional<std::string>> LoopStore::load_timer(std::string_view loop_id, int round_index) {
  return load_blob(db_, "SELECT data FROM round_timers WHERE loop_id = ?1 AND round_index = ?2", loop_id,
                   round_index);
}

Result<void> LoopStore::save_timer(std::string_view loop_id, int round_index, std::string_view data) {
  auto st = db_.prepare(
      "INSERT INTO round_timers(loop_id, round_index, data) VALUES (?1, ?2, ?3)"
      " ON CONFLICT(loop_id, round_index) DO UPDATE SET data = excluded.data");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_int64(2, round_index).bind_blob_static(3, blob_bytes(data));
  return st->run();
}

Result<std::optional<std::string>> LoopStore::load_progress(std::string_view loop_id) {
  return load_blob(db_, "SELECT data FROM loop_progress WHERE loop_id = ?1", loop_id);
}

Result<void> LoopStore::save_progress(std::string_view loop_id, std::string_view data) {
  auto st = db_.prepare(
      "INSERT INTO loop_progress(loop_id, data) VALUES (?1, ?2)"
      " ON CONFLICT(loop_id) DO UPDATE SET data = excluded.data");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_blob_static(2, blob_bytes(data));
  return st->run();
}

Result<void> LoopStore::create_study_room(const StudyRoomRow& room, const TokenRecord& token) {
  return in_transaction(db_, [&]() -> Result<void> {
    auto st = db_.prepare("INSERT INTO study_rooms(id, title, created_at_ms) VALUES (?1, ?2, ?3)");
    if (!st) return st.error();
    st->bind_text(1, room.id).bind_text(2, room.title).bind_int64(3, room.created_at_ms);
    if (auto r = st->run(); !r) return r;
    return insert_token(db_, token);
  });
}

Result<std::optional<StudyRoomRow>> LoopStore::find_study_room(std::string_view id) {
  return read_study_room(db_, id);
}

Result<std::optional<StudyRoomRow>> read_study_room(Database& db, std::string_view id) {
  auto st = db.prepare("SELECT id, title, created_at_ms FROM study_rooms WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, id);
  return first_row(*st, [](const Statement& s) {
    return StudyRoomRow{std::string(s.column_text(0)), std::string(s.column_text(1)), s.column_int64(2)};
  });
}

}  // namespace mockloop::store
