#include "store/process_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mockloop::store {

namespace {

// The pid holding a flock on the file `st` describes, from /proc/locks ("1: FLOCK ADVISORY
// WRITE <pid> <maj>:<min>:<inode> 0 EOF"); empty when not found.
std::string flock_holder(const struct stat& st) {
  std::ifstream in("/proc/locks");
  char dev_ino[64];
  std::snprintf(dev_ino, sizeof dev_ino, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, kind, mode, access, pid, file;
    fields >> id >> kind;
    if (kind == "->") fields >> kind;  // a waiter's line
    fields >> mode >> access >> pid >> file;
    if (kind == "FLOCK" && file == dev_ino) return pid;
  }
  return {};
}

// The first line of `path` (the pid a holder wrote), or empty.
std::string read_info(const std::string& path) {
  std::ifstream in(path);
  std::string pid;
  std::getline(in, pid);
  return pid.size() <= 20 ? pid : std::string();
}

}  // namespace

Result<ProcessLock> ProcessLock::acquire(const std::string& db_path) {
  int fd = ::open(db_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(Errc::db, "cannot open database file " + db_path + " to lock it: " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder;
    if (err == EWOULDBLOCK) {
      struct stat st {};
      if (::fstat(fd, &st) == 0) holder = flock_holder(st);
      if (holder.empty()) holder = read_info(db_path + ".lock");
    }
    ::close(fd);  // no SQLite connection of this process has the file open yet
    if (err != EWOULDBLOCK) return make_error(Errc::db, "cannot lock " + db_path + ": " + std::strerror(err));
    return make_error(Errc::db_in_use, "database " + db_path + " is in use by another mockloop process" +
                                       (holder.empty() ? std::string() : " (pid " + holder + ")"));
  }
  // Information only: a failure to write it does not matter to the lock.
  std::string info = db_path + ".lock";
  if (int ifd = ::open(info.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); ifd >= 0) {
    std::string pid = std::to_string(::getpid()) + "\n";
    [[maybe_unused]] auto n = ::write(ifd, pid.data(), pid.size());
    ::close(ifd);
  }
  return ProcessLock(fd, db_path);
}

ProcessLock& ProcessLock::operator=(ProcessLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    path_ = std::move(o.path_);
    o.fd_ = -1;
  }
  return *this;
}

ProcessLock::~ProcessLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

}  // namespace mockloop::store
