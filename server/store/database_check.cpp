#include "store/database_check.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mockloop::store {

namespace {

constexpr char kSqliteHeader[16] = "SQLite format 3";  // 15 characters and a NUL

Error unusable(const std::string& path, const std::string& what) {
  return make_error(Errc::db_unusable, "database file " + path + " " + what +
                                       "; refusing to start (move it away to start a new database, or restore a backup)");
}

}  // namespace

Result<void> check_database_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unusable(path, std::string("cannot be read: ") + std::strerror(errno));
  struct stat st {};
  char header[sizeof kSqliteHeader] = {};
  ssize_t n = -1;
  int err = 0;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    n = ::pread(fd, header, sizeof header, 0);
    err = errno;
  }
  ::close(fd);  // before any SQLite connection of this process opens the file
  if (!S_ISREG(st.st_mode)) return unusable(path, "is not a regular file");
  if (n < 0) return unusable(path, std::string("cannot be read: ") + std::strerror(err));
  if (st.st_size == 0) return unusable(path, "is empty (0 bytes)");
  if (static_cast<size_t>(n) < sizeof header || std::memcmp(header, kSqliteHeader, sizeof header) != 0) {
    return unusable(path, "is not a SQLite database (no SQLite header)");
  }
  return {};
}

Result<bool> create_database_file(const std::string& path, const DatabaseOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return false;
  if (::lstat(path.c_str(), &st) == 0) {  // a symlink to nothing: a volume not mounted?
    return make_error(Errc::db, "database path " + path + " is a symbolic link to a missing file; refusing to start");
  }
  std::string tmp = path + ".new-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // a leftover of an earlier crash of this pid
  {
    auto db = Database::open(tmp, options);  // sets the page size and WAL mode: writes page 1
    if (!db) return make_error(Errc::db, "cannot create database file " + path + ": " + db.error().message);
  }  // closed: the WAL is checkpointed and removed
  int rc = ::link(tmp.c_str(), path.c_str());
  int err = errno;
  if (rc != 0 && (err == EPERM || err == EOPNOTSUPP)) {  // no hard links here: rename, never replacing
    rc = ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    err = errno;
  }
  ::unlink(tmp.c_str());
  if (rc == 0) return true;
  if (err == EEXIST) return false;
  return make_error(Errc::db, "cannot create database file " + path + ": " + std::strerror(err));
}

Result<void> quick_check(Database& db) {
  auto stmt = db.prepare("PRAGMA quick_check(1)");
  if (!stmt) {
    return make_error(Errc::db_corrupt, "database file " + db.path() + " failed its integrity check: " + stmt.error().message);
  }
  auto row = stmt->step();
  if (!row) {
    return make_error(Errc::db_corrupt, "database file " + db.path() + " failed its integrity check: " + row.error().message);
  }
  std::string first = *row ? std::string(stmt->column_text(0)) : std::string("no result");
  if (first == "ok") return {};
  return make_error(Errc::db_corrupt, "database file " + db.path() + " failed its integrity check (PRAGMA quick_check): " +
                                      first + "; refusing to start (restore a backup, or --skip-db-check to start anyway)");
}

Result<void> backup_to(Database& db, const std::string& path) {
  if (struct stat st{}; ::stat(path.c_str(), &st) == 0)
    return make_error(Errc::conflict, "backup file " + path + " exists already; choose a new name");
  auto stmt = db.prepare("VACUUM INTO ?1");
  if (!stmt) return make_error(Errc::db, "backup to " + path + " failed: " + stmt.error().message);
  stmt->bind_text(1, path);
  if (auto r = stmt->run(); !r) return make_error(Errc::db, "backup to " + path + " failed: " + r.error().message);
  return {};
}

}  // namespace mockloop::store
