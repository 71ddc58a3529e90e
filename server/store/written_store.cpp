#include "store/written_store.hpp"

#include "store/blob_rows.hpp"
#include "store/loop_migrations.hpp"

namespace mockloop::store {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return blob_bytes(s); }
std::string blob(const Statement& st, int col) { return column_blob_string(st, col); }

// The next sequence number of `table` for the assignment (column `col`), 1 for the first.
Result<int> next_seq(Database& db, const char* sql, std::string_view assignment_id) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind_text(1, assignment_id);
  auto row = st->step();
  if (!row) return row.error();
  return static_cast<int>(st->column_int64(0)) + 1;
}

}  // namespace

Result<std::unique_ptr<WrittenStore>> WrittenStore::open(Database& db) {
  if (auto r = db.migrate("loop", loop_migrations()); !r) return r.error();
  return std::unique_ptr<WrittenStore>(new WrittenStore(db));
}

Result<void> WrittenStore::insert_assignment(const WrittenAssignmentRow& row, int64_t created_at_ms) {
  auto st = db_.prepare("INSERT INTO written_assignments(id, loop_id, created_at_ms, data) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->bind_text(1, row.id).bind_text(2, row.loop_id).bind_int64(3, created_at_ms).bind_blob_static(4, bytes(row.data));
  return st->run();
}

Result<std::optional<WrittenAssignmentRow>> WrittenStore::find_assignment(std::string_view id) {
  auto st = db_.prepare("SELECT id, loop_id, data FROM written_assignments WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, id);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<WrittenAssignmentRow>();
  return std::optional<WrittenAssignmentRow>(
      WrittenAssignmentRow{std::string(st->column_text(0)), std::string(st->column_text(1)), blob(*st, 2)});
}

Result<std::vector<WrittenAssignmentRow>> WrittenStore::assignments_of(std::string_view loop_id) {
  auto st = db_.prepare("SELECT id, loop_id, data FROM written_assignments WHERE loop_id = ?1 ORDER BY created_at_ms, id");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  std::vector<WrittenAssignmentRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({std::string(st->column_text(0)), std::string(st->column_text(1)), blob(*st, 2)});
  }
  return out;
}

Result<int> WrittenStore::add_version(std::string_view assignment_id, int64_t at_ms, std::string_view text) {
  auto seq = next_seq(db_, "SELECT COALESCE(MAX(version), 0) FROM written_versions WHERE assignment_id = ?1",
                      assignment_id);
  if (!seq) return seq;
  auto st = db_.prepare(
      "INSERT INTO written_versions(assignment_id, version, submitted_at_ms, text) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->bind_text(1, assignment_id).bind_int64(2, *seq).bind_int64(3, at_ms).bind_text(4, text);
  if (auto r = st->run(); !r) return r.error();
  return *seq;
}

Result<std::vector<WrittenVersionRow>> WrittenStore::versions(std::string_view assignment_id) {
  auto st = db_.prepare(
      "SELECT version, submitted_at_ms, text FROM written_versions WHERE assignment_id = ?1 ORDER BY version");
  if (!st) return st.error();
  st->bind_text(1, assignment_id);
  std::vector<WrittenVersionRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({static_cast<int>(st->column_int64(0)), st->column_int64(1), std::string(st->column_text(2))});
  }
  return out;
}

Result<std::optional<WrittenVersionRow>> WrittenStore::version(std::string_view assignment_id, int version) {
  auto st = db_.prepare(
      "SELECT version, submitted_at_ms, text FROM written_versions WHERE assignment_id = ?1 AND version = ?2");
  if (!st) return st.error();
  st->bind_text(1, assignment_id).bind_int64(2, version);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<WrittenVersionRow>();
  return std::optional<WrittenVersionRow>(
      WrittenVersionRow{static_cast<int>(st->column_int64(0)), st->column_int64(1), std::string(st->column_text(2))});
}

Result<int> WrittenStore::add_question(std::string_view assignment_id, int64_t at_ms, std::string_view data) {
  auto seq =
      next_seq(db_, "SELECT COALESCE(MAX(seq), 0) FROM written_questions WHERE assignment_id = ?1", assignment_id);
  if (!seq) return seq;
  auto st =
      db_.prepare("INSERT INTO written_questions(assignment_id, seq, created_at_ms, data) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->bind_text(1, assignment_id).bind_int64(2, *seq).bind_int64(3, at_ms).bind_blob_static(4, bytes(data));
  if (auto r = st->run(); !r) return r.error();
  return *seq;
}

Result<std::vector<std::string>> WrittenStore::questions(std::string_view assignment_id) {
  auto st = db_.prepare("SELECT data FROM written_questions WHERE assignment_id = ?1 ORDER BY seq");
  if (!st) return st.error();
  st->bind_text(1, assignment_id);
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(blob(*st, 0));
  }
  return out;
}

Result<int> WrittenStore::question_count(std::string_view assignment_id) {
  auto n = next_seq(db_, "SELECT COUNT(*) FROM written_questions WHERE assignment_id = ?1", assignment_id);
  if (!n) return n;
  return *n - 1;
}

}  // namespace mockloop::store
