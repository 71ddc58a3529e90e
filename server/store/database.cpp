#include "store/database.hpp"

#include <sqlite3.h>

namespace mockloop::store {

namespace {

constexpr std::string_view kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " component TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " applied_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    " PRIMARY KEY (component, version)) WITHOUT ROWID";

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const std::string& path, const DatabaseOptions& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return make_error(Errc::db, "open " + path + ": " + msg);
  }
  std::unique_ptr<Database> self(new Database(db, path));
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  if (!options.read_only) {
    // Applies to a new, empty file only (an existing one keeps its page size).
    pragmas += "PRAGMA page_size=" + std::to_string(options.page_size) + ";";
    pragmas += "PRAGMA journal_mode=WAL;";
    pragmas += options.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  }
  if (options.mmap_bytes > 0) pragmas += "PRAGMA mmap_size=" + std::to_string(options.mmap_bytes) + ";";
  if (auto r = self->exec(pragmas); !r) return r.error();
  return self;
}

Database::~Database() { sqlite3_close_v2(db_); }

Error Database::error(std::string_view what) const {
  int rc = sqlite3_errcode(db_);
  bool busy = (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED;
  return make_error(busy ? Errc::db_busy : Errc::db, std::string(what) + ": " + sqlite3_errmsg(db_));
}

Result<void> Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    bool busy = (rc & 0xFF) == SQLITE_BUSY;
    return make_error(busy ? Errc::db_busy : Errc::db, msg);
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) return error("prepare");
  return Statement(db_, stmt);
}

Result<void> Database::begin() {
  if (!begin_) {
    auto s = prepare("BEGIN IMMEDIATE");
    if (!s) return s.error();
    begin_.emplace(std::move(*s));
  }
  return begin_->run();
}

Result<void> Database::commit() {
  if (!commit_) {
    auto s = prepare("COMMIT");
    if (!s) return s.error();
    commit_.emplace(std::move(*s));
  }
  return commit_->run();
}

void Database::rollback() {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<int64_t> Database::schema_version(std::string_view component) {
  if (auto r = exec(kMigrationsTable); !r) return r.error();
  auto stmt = prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?1");
  if (!stmt) return stmt.error();
  stmt->bind_text(1, component);
  auto row = stmt->step();
  if (!row) return row.error();
  return stmt->column_int64(0);
}

Result<void> Database::migrate(std::string_view component, const std::vector<std::string>& steps) {
  if (auto r = exec(kMigrationsTable); !r) return r.error();
  for (;;) {
    if (auto r = begin(); !r) return r.error();
    // Read the version inside the write transaction: another connection may have migrated.
    auto version = schema_version(component);
    if (!version) {
      rollback();
      return version.error();
    }
    int64_t v = *version;
    if (v > static_cast<int64_t>(steps.size())) {
      rollback();
      return make_error(Errc::schema_too_new, std::string(component) + " schema is at version " + std::to_string(v) +
                                              ", this build knows " + std::to_string(steps.size()));
    }
    if (v == static_cast<int64_t>(steps.size())) {
      rollback();
      return {};
    }
    auto step = exec(steps[static_cast<size_t>(v)]);
    if (!step) {
      rollback();
      return make_error(Errc::migration_failed, std::string(component) + " step " + std::to_string(v + 1) + ": " +
                                                step.error().message);
    }
    auto ins = prepare("INSERT INTO schema_migrations(component, version) VALUES (?1, ?2)");
    if (!ins) {
      rollback();
      return ins.error();
    }
    ins->bind_text(1, component).bind_int64(2, v + 1);
    if (auto r = ins->run(); !r) {
      rollback();
      return r.error();
    }
    if (auto r = commit(); !r) {
      rollback();
      return r.error();
    }
  }
}

}  // namespace mockloop::store
