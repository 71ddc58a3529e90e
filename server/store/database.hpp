// One SQLite connection, configured for MockLoop: WAL journal, synchronous=NORMAL, a busy
// timeout, foreign keys on. Why NORMAL and not FULL: in WAL mode a commit with NORMAL is
// written to the WAL file (the OS page cache) before sqlite3_step returns; it survives a
// crash of the process (kill -9) because the kernel still holds the pages, and only a power
// loss / kernel crash can roll back the last transactions. The guarantee we owe clients is
// "no update a client has received is lost when the server process dies", which NORMAL
// gives at a fraction of FULL's fsync cost. Set DatabaseOptions::synchronous_full for
// power-loss durability.
//
// Not thread-safe: one thread uses a Database at a time (the store::Writer thread, or a
// loader guarded by its owner's mutex). Several Database objects may open the same file.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/statement.hpp"

struct sqlite3;

namespace mockloop::store {

struct DatabaseOptions {
  bool synchronous_full = false;  // see the file comment
  int busy_timeout_ms = 5000;     // wait this long for another connection's write lock
  bool read_only = false;
  // Page size of a newly created file. A document update is a few dozen to a few hundred
  // bytes, and each commit writes every page it touches to the WAL in full: 1 KB pages
  // write a quarter of what 4 KB pages (SQLite's default) do, so the WAL fills, and is
  // checkpointed, four times less often. Large rows (snapshots) span overflow pages.
  int page_size = 1024;
  // PRAGMA mmap_size: how much of the file reads see through a memory map instead of one
  // pread per page (0 = off, SQLite's default). With 1 KB pages a 100 KB history checkpoint
  // or document snapshot is a chain of ~100 overflow pages, each a system call without it.
  // Pages still in the WAL are read as before. Connections that read large rows (replay,
  // debrief reports, document loads) use kReaderMmapBytes.
  int64_t mmap_bytes = 0;
};

// The memory map of a reading connection: at most 256 MiB of the file (address space, not
// resident memory; the kernel's page cache backs it).
inline constexpr int64_t kReaderMmapBytes = int64_t{256} << 20;

class Database {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for a private in-memory one).
  static Result<std::unique_ptr<Database>> open(const std::string& path, const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more SQL statements without results.
  Result<void> exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);

  // Transactions. begin() takes the write lock at once (BEGIN IMMEDIATE) so a transaction
  // never fails half-way on a lock upgrade.
  Result<void> begin();
  Result<void> commit();
  void rollback();  // best effort; safe when no transaction is open

  // Applies the steps of `component` that schema_migrations does not list yet, in order,
  // each in its own transaction together with its schema_migrations row. Step i (0-based)
  // is version i+1. Safe against a concurrent migrator on another connection. Fails with
  // "schema_too_new" when the database has more versions than `steps`.
  Result<void> migrate(std::string_view component, const std::vector<std::string>& steps);
  // Highest applied version of `component`, 0 if none.
  Result<int64_t> schema_version(std::string_view component);

  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Error error(std::string_view what) const;

  sqlite3* db_;
  std::string path_;
  // BEGIN IMMEDIATE and COMMIT, prepared on first use (the writer runs them per batch).
  std::optional<Statement> begin_;
  std::optional<Statement> commit_;
};

}  // namespace mockloop::store
