#include "store/doc_store.hpp"

#include <sqlite3.h>

namespace mockloop::store {

const std::vector<std::string>& DocStore::migrations() {
  static const std::vector<std::string> steps = {
      "CREATE TABLE doc_updates ("
      " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      " doc TEXT NOT NULL,"
      " data BLOB NOT NULL);"
      "CREATE INDEX doc_updates_by_doc ON doc_updates(doc, seq);"
      "CREATE TABLE doc_snapshots ("
      " doc TEXT PRIMARY KEY,"
      " data BLOB NOT NULL,"
      " up_to_seq INTEGER NOT NULL,"
      " updated_at INTEGER NOT NULL DEFAULT (unixepoch())) WITHOUT ROWID;",
      // 2: the log keyed by (doc, seq) in one B-tree, seq assigned by the DocStore: an
      // append writes one page instead of three (table, index, sqlite_sequence).
      "CREATE TABLE doc_log ("
      " doc TEXT NOT NULL,"
      " seq INTEGER NOT NULL,"
      " data BLOB NOT NULL,"
      " PRIMARY KEY (doc, seq)) WITHOUT ROWID;"
      "INSERT INTO doc_log(doc, seq, data) SELECT doc, seq, data FROM doc_updates;"
      "DROP TABLE doc_updates;",
      // 3 (issue 19): the history that compaction does not erase: every accepted update of a
      // document that keeps history, with the server's time and the participant who sent it
      // (store/doc_history.hpp), and checkpoints (encoded state covering the updates up to
      // up_to_seq) so that any moment can be rebuilt from the nearest one.
      "CREATE TABLE doc_history ("
      " doc TEXT NOT NULL,"
      " seq INTEGER NOT NULL,"
      " at_ms INTEGER NOT NULL,"
      " actor TEXT NOT NULL,"
      " data BLOB NOT NULL,"
      " PRIMARY KEY (doc, seq)) WITHOUT ROWID;"
      "CREATE TABLE doc_checkpoints ("
      " doc TEXT NOT NULL,"
      " up_to_seq INTEGER NOT NULL,"
      " at_ms INTEGER NOT NULL,"
      " label TEXT NOT NULL,"
      " data BLOB NOT NULL,"
      " PRIMARY KEY (doc, up_to_seq)) WITHOUT ROWID;",
  };
  return steps;
}

Result<std::unique_ptr<DocStore>> DocStore::open(Database& db) {
  if (auto r = db.migrate("docs", migrations()); !r) return r.error();
  std::unique_ptr<DocStore> s(new DocStore(db));
  struct {
    Statement* stmt;
    const char* sql;
  } const prepared[] = {
      {&s->select_snapshot_, "SELECT data FROM doc_snapshots WHERE doc = ?1"},
      {&s->select_updates_, "SELECT seq, data FROM doc_log WHERE doc = ?1 ORDER BY seq"},
      {&s->insert_update_, "INSERT INTO doc_log(doc, seq, data) VALUES (?1, ?2, ?3)"},
      {&s->max_seq_, "SELECT COALESCE(MAX(seq), 0) FROM doc_log WHERE doc = ?1"},
      {&s->upsert_snapshot_,
       "INSERT INTO doc_snapshots(doc, data, up_to_seq) VALUES (?1, ?2, ?3) "
       "ON CONFLICT(doc) DO UPDATE SET data = excluded.data, up_to_seq = excluded.up_to_seq, "
       "updated_at = unixepoch()"},
      {&s->delete_updates_upto_, "DELETE FROM doc_log WHERE doc = ?1 AND seq <= ?2"},
      {&s->delete_updates_, "DELETE FROM doc_log WHERE doc = ?1"},
      {&s->delete_snapshot_, "DELETE FROM doc_snapshots WHERE doc = ?1"},
  };
  for (const auto& p : prepared) {
    auto stmt = db.prepare(p.sql);
    if (!stmt) return stmt.error();
    *p.stmt = std::move(*stmt);
  }
  // Seqs continue after every seq ever logged (rows compacted away are covered by their
  // snapshot's up_to_seq), so they grow monotonically across compactions and restarts.
  auto last = db.prepare(
      "SELECT MAX(COALESCE((SELECT MAX(seq) FROM doc_log), 0), COALESCE((SELECT MAX(up_to_seq) FROM doc_snapshots), 0),"
      " COALESCE((SELECT MAX(seq) FROM doc_history), 0))");
  if (!last) return last.error();
  auto row = last->step();
  if (!row) return row.error();
  s->next_seq_ = static_cast<uint64_t>(last->column_int64(0)) + 1;
  return s;
}

template <typename F>
auto DocStore::in_transaction(F&& body) -> decltype(body()) {
  if (auto r = db_.begin(); !r) return r.error();
  auto result = body();
  if (!result) {
    db_.rollback();
    return result;
  }
  if (auto r = db_.commit(); !r) {
    db_.rollback();
    return r.error();
  }
  return result;
}

Result<StoredDoc> DocStore::load(std::string_view doc_name) {
  // A read transaction so the snapshot and the log come from one consistent view.
  if (auto r = db_.exec("BEGIN"); !r) return r.error();
  StoredDoc doc;
  auto fail = [&](const Error& e) -> Result<StoredDoc> {
    select_snapshot_.reset();
    select_updates_.reset();
    db_.rollback();
    return e;
  };
  select_snapshot_.bind_text(1, doc_name);
  auto row = select_snapshot_.step();
  if (!row) return fail(row.error());
  if (*row) {
    auto blob = select_snapshot_.column_blob(0);
    doc.snapshot.assign(blob.begin(), blob.end());
  }
  select_snapshot_.reset();
  select_updates_.bind_text(1, doc_name);
  for (;;) {
    auto r = select_updates_.step();
    if (!r) return fail(r.error());
    if (!*r) break;
    doc.last_seq = static_cast<uint64_t>(select_updates_.column_int64(0));
    auto blob = select_updates_.column_blob(1);
    doc.updates.emplace_back(blob.begin(), blob.end());
  }
  select_updates_.reset();
  db_.rollback();  // read-only: ending it either way is the same
  return doc;
}

Result<uint64_t> DocStore::append_in_tx(std::string_view doc_name, ByteView update) {
  const uint64_t seq = next_seq_++;  // a rolled-back batch leaves a gap: harmless
  insert_update_.bind_text(1, doc_name).bind_int64(2, static_cast<int64_t>(seq)).bind_blob_static(3, update);
  if (auto r = insert_update_.run(); !r) return r.error();
  return seq;
}

Result<void> DocStore::compact_in_tx(std::string_view doc_name, ByteView snapshot, uint64_t up_to_seq) {
  if (up_to_seq == kAllLogged) {
    max_seq_.bind_text(1, doc_name);
    auto row = max_seq_.step();
    if (!row) {
      max_seq_.reset();
      return row.error();
    }
    up_to_seq = static_cast<uint64_t>(max_seq_.column_int64(0));
    max_seq_.reset();
  }
  upsert_snapshot_.bind_text(1, doc_name).bind_blob_static(2, snapshot).bind_int64(3, static_cast<int64_t>(up_to_seq));
  if (auto r = upsert_snapshot_.run(); !r) return r;
  delete_updates_upto_.bind_text(1, doc_name).bind_int64(2, static_cast<int64_t>(up_to_seq));
  return delete_updates_upto_.run();
}

Result<void> DocStore::remove_in_tx(std::string_view doc_name) {
  delete_updates_.bind_text(1, doc_name);
  if (auto r = delete_updates_.run(); !r) return r;
  delete_snapshot_.bind_text(1, doc_name);
  return delete_snapshot_.run();
}

Result<std::vector<uint64_t>> DocStore::append_batch(std::span<const DocUpdate> updates) {
  return in_transaction([&]() -> Result<std::vector<uint64_t>> {
    std::vector<uint64_t> seqs;
    seqs.reserve(updates.size());
    for (const auto& u : updates) {
      auto seq = append_in_tx(u.doc_name, u.update);
      if (!seq) return seq.error();
      seqs.push_back(*seq);
    }
    return seqs;
  });
}

Result<void> DocStore::compact(std::string_view doc_name, ByteView snapshot, uint64_t up_to_seq) {
  return in_transaction([&]() { return compact_in_tx(doc_name, snapshot, up_to_seq); });
}

Result<void> DocStore::remove(std::string_view doc_name) {
  return in_transaction([&]() { return remove_in_tx(doc_name); });
}

}  // namespace mockloop::store
