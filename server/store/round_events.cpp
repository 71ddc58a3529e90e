#include "store/round_events.hpp"

namespace mockloop::store {

Result<void> append_round_event(Database& db, std::string_view loop_id, int round_index, const RoundEventRow& row) {
  auto st = db.prepare(
      "INSERT INTO round_events(loop_id, round_index, at_ms, kind, actor, summary, data)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!st) return st.error();
  const std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(row.data.data()), row.data.size());
  st->bind_text(1, loop_id)
      .bind_int64(2, round_index)
      .bind_int64(3, row.at_ms)
      .bind_text(4, row.kind)
      .bind_text(5, row.actor)
      .bind_text(6, row.summary)
      .bind_blob_static(7, data);
  return st->run();
}

Result<std::vector<RoundEventRow>> round_events(Database& db, std::string_view loop_id, int round_index) {
  auto st = db.prepare(
      "SELECT at_ms, kind, actor, summary, data FROM round_events WHERE loop_id = ?1 AND round_index = ?2 ORDER BY id");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_int64(2, round_index);
  std::vector<RoundEventRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    auto blob = st->column_blob(4);
    out.push_back(RoundEventRow{st->column_int64(0), std::string(st->column_text(1)), std::string(st->column_text(2)),
                                std::string(st->column_text(3)), std::string(blob.begin(), blob.end())});
  }
  return out;
}

Result<std::vector<RoundRunRow>> round_runs(Database& db, std::string_view loop_id, int round_index) {
  auto st = db.prepare(
      "SELECT created_at_ms, author, language, verdict, passed, total FROM runs"
      " WHERE loop_id = ?1 AND round_index = ?2 ORDER BY created_at_ms, id");
  if (!st) return st.error();
  st->bind_text(1, loop_id).bind_int64(2, round_index);
  std::vector<RoundRunRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(RoundRunRow{st->column_int64(0), std::string(st->column_text(1)), std::string(st->column_text(2)),
                              std::string(st->column_text(3)), st->column_int64(4), st->column_int64(5)});
  }
  return out;
}

}  // namespace mockloop::store
