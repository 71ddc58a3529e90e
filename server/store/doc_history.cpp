#include "store/doc_history.hpp"

namespace mockloop::store {

Result<std::unique_ptr<DocHistory>> DocHistory::open(Database& db) {
  std::unique_ptr<DocHistory> h(new DocHistory(db));
  struct {
    Statement* stmt;
    const char* sql;
  } const prepared[] = {
      {&h->insert_, "INSERT INTO doc_history(doc, seq, at_ms, actor, data) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&h->last_row_, "SELECT seq, at_ms FROM doc_history WHERE doc = ?1 ORDER BY seq DESC LIMIT 1"},
      {&h->insert_checkpoint_,
       "INSERT OR IGNORE INTO doc_checkpoints(doc, up_to_seq, at_ms, label, data) VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&h->delete_rows_, "DELETE FROM doc_history WHERE doc = ?1"},
      {&h->delete_checkpoints_, "DELETE FROM doc_checkpoints WHERE doc = ?1"},
      {&h->nearest_checkpoint_,
       "SELECT up_to_seq, data FROM doc_checkpoints WHERE doc = ?1 AND at_ms <= ?2 ORDER BY up_to_seq DESC LIMIT 1"},
      {&h->rows_after_, "SELECT at_ms, data FROM doc_history WHERE doc = ?1 AND seq > ?2 ORDER BY seq"},
      {&h->marks_, "SELECT seq, at_ms, actor, length(data) FROM doc_history WHERE doc = ?1 ORDER BY seq"},
      {&h->list_checkpoints_, "SELECT up_to_seq, at_ms, label FROM doc_checkpoints WHERE doc = ?1 ORDER BY up_to_seq"},
      {&h->next_doc_, "SELECT doc FROM doc_history WHERE doc > ?1 ORDER BY doc LIMIT 1"},
  };
  for (const auto& p : prepared) {
    auto stmt = db.prepare(p.sql);
    if (!stmt) return stmt.error();
    *p.stmt = std::move(*stmt);
  }
  return h;
}

Result<void> DocHistory::append_in_tx(std::string_view doc, uint64_t seq, int64_t at_ms, std::string_view actor,
                                      ByteView update) {
  insert_.bind_text(1, doc)
      .bind_int64(2, static_cast<int64_t>(seq))
      .bind_int64(3, at_ms)
      .bind_text(4, actor)
      .bind_blob_static(5, update);
  return insert_.run();
}

Result<void> DocHistory::checkpoint_in_tx(std::string_view doc, std::string_view label, ByteView state) {
  last_row_.bind_text(1, doc);
  auto row = last_row_.step();
  if (!row) {
    last_row_.reset();
    return row.error();
  }
  if (!*row) {
    last_row_.reset();
    return {};  // no history: nothing to cover
  }
  const int64_t seq = last_row_.column_int64(0);
  const int64_t at_ms = last_row_.column_int64(1);
  last_row_.reset();
  insert_checkpoint_.bind_text(1, doc).bind_int64(2, seq).bind_int64(3, at_ms).bind_text(4, label).bind_blob_static(5, state);
  return insert_checkpoint_.run();
}

Result<void> DocHistory::remove_in_tx(std::string_view doc) {
  delete_rows_.bind_text(1, doc);
  if (auto r = delete_rows_.run(); !r) return r;
  delete_checkpoints_.bind_text(1, doc);
  return delete_checkpoints_.run();
}

Result<HistorySlice> DocHistory::slice_until(std::string_view doc, int64_t at_ms) {
  // One read transaction: the checkpoint and the rows come from one consistent view.
  if (auto r = db_.exec("BEGIN"); !r) return r.error();
  HistorySlice out;
  auto fail = [&](const Error& e) -> Result<HistorySlice> {
    nearest_checkpoint_.reset();
    rows_after_.reset();
    db_.rollback();
    return e;
  };
  nearest_checkpoint_.bind_text(1, doc).bind_int64(2, at_ms);
  auto row = nearest_checkpoint_.step();
  if (!row) return fail(row.error());
  if (*row) {
    out.checkpoint_seq = static_cast<uint64_t>(nearest_checkpoint_.column_int64(0));
    auto blob = nearest_checkpoint_.column_blob(1);
    out.checkpoint.assign(blob.begin(), blob.end());
  }
  nearest_checkpoint_.reset();
  rows_after_.bind_text(1, doc).bind_int64(2, static_cast<int64_t>(out.checkpoint_seq));
  for (;;) {
    auto r = rows_after_.step();
    if (!r) return fail(r.error());
    if (!*r || rows_after_.column_int64(0) > at_ms) break;  // at_ms grows with seq: nothing later qualifies
    auto blob = rows_after_.column_blob(1);
    out.updates.emplace_back(blob.begin(), blob.end());
  }
  rows_after_.reset();
  db_.rollback();  // read-only
  return out;
}

Result<std::vector<HistoryMark>> DocHistory::marks(std::string_view doc) {
  std::vector<HistoryMark> out;
  marks_.bind_text(1, doc);
  for (;;) {
    auto r = marks_.step();
    if (!r) {
      marks_.reset();
      return r.error();
    }
    if (!*r) break;
    out.push_back(HistoryMark{static_cast<uint64_t>(marks_.column_int64(0)), marks_.column_int64(1),
                              std::string(marks_.column_text(2)), static_cast<size_t>(marks_.column_int64(3))});
  }
  marks_.reset();
  return out;
}

Result<std::vector<CheckpointInfo>> DocHistory::checkpoints(std::string_view doc) {
  std::vector<CheckpointInfo> out;
  list_checkpoints_.bind_text(1, doc);
  for (;;) {
    auto r = list_checkpoints_.step();
    if (!r) {
      list_checkpoints_.reset();
      return r.error();
    }
    if (!*r) break;
    out.push_back(CheckpointInfo{static_cast<uint64_t>(list_checkpoints_.column_int64(0)),
                                 list_checkpoints_.column_int64(1), std::string(list_checkpoints_.column_text(2))});
  }
  list_checkpoints_.reset();
  return out;
}

Result<std::vector<std::string>> DocHistory::docs_older_than(int64_t cutoff_ms) {
  std::vector<std::string> out;
  std::string doc;  // "" sorts before every name
  for (;;) {
    next_doc_.bind_text(1, doc);
    auto r = next_doc_.step();
    if (!r) {
      next_doc_.reset();
      return r.error();
    }
    if (!*r) {
      next_doc_.reset();
      break;
    }
    doc = std::string(next_doc_.column_text(0));
    next_doc_.reset();
    last_row_.bind_text(1, doc);
    auto last = last_row_.step();
    if (!last) {
      last_row_.reset();
      return last.error();
    }
    const bool old = *last && last_row_.column_int64(1) < cutoff_ms;
    last_row_.reset();
    if (old) out.push_back(doc);
  }
  return out;
}

}  // namespace mockloop::store
