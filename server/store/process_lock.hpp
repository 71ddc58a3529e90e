// One server per database file. A ProcessLock is an exclusive flock(2) on "<db>.lock",
// held for the life of the object; the kernel drops it when the process exits in any way
// (kill -9 included), so a crash never leaves a stale lock. It does not touch SQLite's own
// locks on the database: other processes can still open the file, e.g. the sqlite3 shell
// to read it or to take a `.backup` while the server runs, but a second server cannot
// start on it (two servers on one file would each hold documents in memory and compact
// each other's logs).
#pragma once

#include <string>

#include "common/result.hpp"

namespace mockloop::store {

class ProcessLock {
 public:
  // Locks `db_path` + ".lock", creating it if needed, and writes this process's id into it
  // (for the error another process will print). Fails with code "db_in_use", naming the file
  // and the holder's pid, when another process holds it; with "db_lock" on an I/O error.
  static Result<ProcessLock> acquire(const std::string& db_path);

  ProcessLock(ProcessLock&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
  ProcessLock& operator=(ProcessLock&& o) noexcept;
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;
  ~ProcessLock();

  const std::string& path() const { return path_; }

 private:
  ProcessLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace mockloop::store
