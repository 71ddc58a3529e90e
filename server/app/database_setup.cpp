#include "app/database_setup.hpp"

#include "store/database_check.hpp"

namespace mockloop::app {

store::DatabaseOptions database_options(const Options& options, DbUse use) {
  store::DatabaseOptions o;
  o.synchronous_full = use == DbUse::decisions || (use == DbUse::documents && options.sync_full);
  if (use == DbUse::reads) o.mmap_bytes = store::kReaderMmapBytes;  // replay, reports: large rows
  return o;
}

Result<store::ProcessLock> lock_and_check_database(const Options& options) {
  const std::string& path = options.db_path;
  // A new path gets a valid empty database first (never a 0-byte file, even after a crash),
  // so that every file found here was made by us or before us and can be checked as such.
  auto created = store::create_database_file(path, database_options(options, DbUse::documents));
  if (!created) return make_error(Errc::db, created.error().message);
  bool existed = !*created;
  auto lock = store::ProcessLock::acquire(path);  // before any SQLite connection of ours
  if (!lock) return make_error(Errc::db, lock.error().message);
  if (existed) {
    if (auto r = store::check_database_file(path); !r) return make_error(Errc::db, r.error().message);
  }
  if (options.check_db) {
    auto db = store::Database::open(path, database_options(options, DbUse::reads));
    if (!db) return make_error(Errc::db, "database file " + path + " cannot be opened for its integrity check: " + db.error().message);
    if (auto r = store::quick_check(**db); !r) return make_error(Errc::db, r.error().message);
  }
  return lock;
}

}  // namespace mockloop::app
