#include "store/database_check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mockloop::store {

namespace {

constexpr char kSqliteHeader[16] = "SQLite format 3";  // 15 characters and a NUL

Error unusable(const std::string& path, const std::string& what) {
  return make_error("db_unusable", "database file " + path + " " + what +
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

Result<void> quick_check(Database& db) {
  auto stmt = db.prepare("PRAGMA quick_check(1)");
  if (!stmt) {
    return make_error("db_corrupt", "database file " + db.path() + " failed its integrity check: " + stmt.error().message);
  }
  auto row = stmt->step();
  if (!row) {
    return make_error("db_corrupt", "database file " + db.path() + " failed its integrity check: " + row.error().message);
  }
  std::string first = *row ? std::string(stmt->column_text(0)) : std::string("no result");
  if (first == "ok") return {};
  return make_error("db_corrupt", "database file " + db.path() + " failed its integrity check (PRAGMA quick_check): " +
                                      first + "; refusing to start (restore a backup, or --skip-db-check to start anyway)");
}

}  // namespace mockloop::store
