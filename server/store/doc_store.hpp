// Durable state of collaborative documents: per document a snapshot (the encoded CRDT state
// up to some point) and an append-only log of the updates after it. A document is rebuilt
// by applying the snapshot and then every logged update in seq order; applying an update
// twice is harmless for the CRDT, so the snapshot may overlap the log.
//
// Tables (component "docs" in schema_migrations):
//   doc_log(doc TEXT, seq INTEGER, data BLOB, PRIMARY KEY (doc, seq)) WITHOUT ROWID
//   doc_snapshots(doc TEXT PRIMARY KEY, data BLOB, up_to_seq INTEGER)
// seq grows monotonically across documents, compactions and restarts; the DocStore that
// appends assigns it (one appending DocStore per database: the Writer's).
//
// Not thread-safe: a DocStore uses its Database from one thread at a time (the Writer
// thread for writes; a separate DocStore on its own connection for loads).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// compact(): "every update logged so far".
inline constexpr uint64_t kAllLogged = UINT64_MAX;

struct StoredDoc {
  Bytes snapshot;              // empty when the document was never compacted
  std::vector<Bytes> updates;  // logged after the snapshot, in seq order
  uint64_t last_seq = 0;       // seq of the last logged update, 0 if none
};

struct DocUpdate {
  std::string_view doc_name;
  ByteView update;
};

class DocStore {
 public:
  // Migrations of component "docs", public so tests and tools can inspect them.
  static const std::vector<std::string>& migrations();

  // Applies the migrations and prepares the statements. `db` must outlive the DocStore.
  static Result<std::unique_ptr<DocStore>> open(Database& db);

  Result<StoredDoc> load(std::string_view doc_name);

  // Appends all updates in ONE transaction (group commit): all are stored or none.
  // Returns each update's seq.
  Result<std::vector<uint64_t>> append_batch(std::span<const DocUpdate> updates);

  // Replaces the snapshot and deletes log rows with seq <= up_to_seq (kAllLogged: all rows
  // logged so far), in one transaction.
  Result<void> compact(std::string_view doc_name, ByteView snapshot, uint64_t up_to_seq = kAllLogged);

  // Deletes the document's snapshot and log.
  Result<void> remove(std::string_view doc_name);

  // The same operations without their own transaction, for a caller (the Writer) that
  // groups many of them into one. REQUIRES: a transaction is open on the Database.
  Result<uint64_t> append_in_tx(std::string_view doc_name, ByteView update);
  Result<void> compact_in_tx(std::string_view doc_name, ByteView snapshot, uint64_t up_to_seq);
  Result<void> remove_in_tx(std::string_view doc_name);

  Database& database() { return db_; }

 private:
  explicit DocStore(Database& db) : db_(db) {}
  template <typename F>
  auto in_transaction(F&& body) -> decltype(body());

  Database& db_;
  Statement select_snapshot_;
  Statement select_updates_;
  Statement insert_update_;
  Statement max_seq_;
  Statement upsert_snapshot_;
  Statement delete_updates_upto_;
  Statement delete_updates_;
  Statement delete_snapshot_;
  uint64_t next_seq_ = 1;  // the seq of the next append
};

}  // namespace mockloop::store
