#include "store/study_store.hpp"

#include "store/blob_rows.hpp"
#include "store/loop_migrations.hpp"

namespace mockloop::store {
Result<std::unique_ptr<StudyStore>> StudyStore::open(Database& db) {
  if (auto r = db.migrate("loop", loop_migrations()); !r) return r.error();
  return std::unique_ptr<StudyStore>(new StudyStore(db));
}

Result<std::optional<StudyRoomRow>> StudyStore::find_room(std::string_view id) {
  return read_study_room(db_, id);
}

Result<std::optional<std::string>> StudyStore::load_state(std::string_view study_id) {
  return load_blob(db_, "SELECT data FROM study_state WHERE study_id = ?1", study_id);
}

Result<void> StudyStore::save_state(std::string_view study_id, std::string_view data) {
  auto st = db_.prepare(
      "INSERT INTO study_state(study_id, data) VALUES (?1, ?2)"
      " ON CONFLICT(study_id) DO UPDATE SET data = excluded.data");
  if (!st) return st.error();
  st->bind_text(1, study_id).bind_blob_static(2, blob_bytes(data));
  return st->run();
}

Result<bool> StudyStore::add_feedback(std::string_view study_id, int64_t created_at_ms, std::string_view data,
                                      size_t max_entries) {
  if (auto r = db_.begin(); !r) return r.error();
  auto body = [&]() -> Result<bool> {
    auto count = db_.prepare("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM study_feedback WHERE study_id = ?1");
    if (!count) return count.error();
    count->bind_text(1, study_id);
    auto row = count->step();
    if (!row) return row.error();
    if (static_cast<size_t>(count->column_int64(0)) >= max_entries) return false;
    const int64_t seq = count->column_int64(1) + 1;
    auto st = db_.prepare("INSERT INTO study_feedback(study_id, seq, created_at_ms, data) VALUES (?1, ?2, ?3, ?4)");
    if (!st) return st.error();
    st->bind_text(1, study_id).bind_int64(2, seq).bind_int64(3, created_at_ms).bind_blob_static(4, blob_bytes(data));
    if (auto r = st->run(); !r) return r.error();
    return true;
  };
  auto added = body();
  if (!added || !*added) {
    db_.rollback();
    return added;
  }
  if (auto c = db_.commit(); !c) {
    db_.rollback();
    return c.error();
  }
  return true;
}

Result<std::vector<std::string>> StudyStore::feedback(std::string_view study_id) {
  auto st = db_.prepare("SELECT data FROM study_feedback WHERE study_id = ?1 ORDER BY seq");
  if (!st) return st.error();
  st->bind_text(1, study_id);
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(column_blob_string(*st, 0));
  }
  return out;
}

}  // namespace mockloop::store
