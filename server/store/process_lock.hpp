// One server per database file. A ProcessLock is an exclusive flock(2) on the database
// file itself, held for the life of the object: the lock belongs to the file (its inode),
// so every path that reaches it (a symlink, a hard link, a relative path) meets the same
// lock, and there is no separate lock file to delete. The kernel drops it when the process
// exits in any way (kill -9 included), so a crash never leaves a stale lock.
//
// It does not touch SQLite's own locks: on Linux flock(2) locks and the fcntl(2) byte-range
// locks SQLite takes are independent, so other processes can still open the file, e.g. the
// sqlite3 shell to read it or to take a `.backup` while the server runs, but a second server
// cannot start on it (two servers on one file would each hold documents in memory and
// compact each other's logs). Not on NFS, where flock is emulated with fcntl locks.
//
// "<db>.lock" holds the holder's pid for people and for the refusal message; it is
// information only (deleting it changes nothing). The holder's pid is taken from
// /proc/locks when the lock is refused, that file's content otherwise.
//
// POSIX rule to respect: closing any descriptor of a file drops every fcntl lock this
// process holds on it, SQLite's included. So acquire() runs before this process opens the
// database with SQLite, and the lock is released (its descriptor closed) after the last
// connection closes.
#pragma once

#include <string>

#include "common/result.hpp"

namespace mockloop::store {

class ProcessLock {
 public:
  // Locks the database file `db_path` (creating an empty one when the path is new) and
  // writes this process's id into `db_path` + ".lock". Fails with code "db_in_use", naming
  // the file and the holder's pid, when another process (or another ProcessLock) holds it;
  // with "db_lock" when the file cannot be opened for writing or locked.
  static Result<ProcessLock> acquire(const std::string& db_path);

  ProcessLock(ProcessLock&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
  ProcessLock& operator=(ProcessLock&& o) noexcept;
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;
  ~ProcessLock();

  // The database file locked (as given to acquire()).
  const std::string& path() const { return path_; }
  // Where the holder's pid is written.
  std::string info_path() const { return path_ + ".lock"; }

 private:
  ProcessLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

}  // namespace mockloop::store
