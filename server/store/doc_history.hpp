// The history of documents that compaction does not erase (issue 19): every accepted update
// of a document that keeps history, with the server's time (ms since the Unix epoch) and the
// participant who sent it (a participant id, never a token), plus checkpoints: the encoded
// state covering every history row of the document up to a seq, so a moment is rebuilt from
// the nearest checkpoint and the updates after it.
//
// Tables (component "docs", DocStore::migrations step 3):
//   doc_history(doc, seq, at_ms, actor, data)          PRIMARY KEY (doc, seq)
//   doc_checkpoints(doc, up_to_seq, at_ms, label, data) PRIMARY KEY (doc, up_to_seq)
// seq is the update's doc_log seq (the same row is appended to both in one transaction);
// at_ms never decreases within a document (the room clamps it), so "up to a moment" and
// "up to a seq" agree. A checkpoint's at_ms is the at_ms of its last covered row.
//
// Writes happen on the store::Writer's thread inside its batch transaction (the *_in_tx
// calls); reads use a separate DocHistory on another connection. Not thread-safe: one
// thread at a time per instance, like its Database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/doc_store.hpp"

namespace mockloop::store {

// What rebuilding a document at a moment needs: the nearest checkpoint at or before it and
// the history rows after that checkpoint up to the moment, in seq order.
struct HistorySlice {
  Bytes checkpoint;              // empty: start from an empty document
  uint64_t checkpoint_seq = 0;   // the last seq the checkpoint covers (0: none)
  std::vector<Bytes> updates;
};

// One history row without its bytes (timelines, activity tracks).
struct HistoryMark {
  uint64_t seq = 0;
  int64_t at_ms = 0;
  std::string actor;
  size_t bytes = 0;
};

struct CheckpointInfo {
  uint64_t up_to_seq = 0;
  int64_t at_ms = 0;
  std::string label;
};

class DocHistory {
 public:
  // Prepares the statements. REQUIRES: the "docs" migrations ran on `db` (DocStore::open),
  // which must outlive the DocHistory.
  static Result<std::unique_ptr<DocHistory>> open(Database& db);

  // ---- writes; REQUIRES: a transaction is open (the Writer's batch) ----
  Result<void> append_in_tx(std::string_view doc, uint64_t seq, int64_t at_ms, std::string_view actor,
                            ByteView update);
  // Stores `state` as the checkpoint covering the document's history so far (its last row's
  // seq and at_ms). No history row yet, or a checkpoint already at that seq: nothing stored.
  Result<void> checkpoint_in_tx(std::string_view doc, std::string_view label, ByteView state);
  // Deletes the document's history and checkpoints.
  Result<void> remove_in_tx(std::string_view doc);

  // ---- reads ----
  // The checkpoint and rows to rebuild `doc` as it was at `at_ms` (rows with at_ms <= it).
  Result<HistorySlice> slice_until(std::string_view doc, int64_t at_ms);
  // Every row of `doc` in seq order, without bytes.
  Result<std::vector<HistoryMark>> marks(std::string_view doc);
  Result<std::vector<CheckpointInfo>> checkpoints(std::string_view doc);
  // Documents whose newest history row is older than `cutoff_ms` (the retention pass).
  // Index seeks per document, no full scan of the rows.
  Result<std::vector<std::string>> docs_older_than(int64_t cutoff_ms);

 private:
  explicit DocHistory(Database& db) : db_(db) {}
  Database& db_;
  Statement insert_;
  Statement last_row_;
  Statement insert_checkpoint_;
  Statement delete_rows_;
  Statement delete_checkpoints_;
  Statement nearest_checkpoint_;
  Statement rows_after_;
  Statement marks_;
  Statement list_checkpoints_;
  Statement next_doc_;
};

}  // namespace mockloop::store
