// ProcessLock: one holder per database file; released with the holder; and it leaves the
// database itself open to other processes (a reader sees what the holder committed).
#include "store/process_lock.hpp"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

TEST(ProcessLock, SecondHolderIsRefusedNamingTheFileAndTheHolder) {
  test::TempDir dir;
  const auto db = dir.file("a.db");
  auto first = ProcessLock::acquire(db);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->path(), db);
  EXPECT_EQ(first->info_path(), db + ".lock");
  auto second = ProcessLock::acquire(db);  // a new open file description: flock refuses it
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::db_in_use);
  EXPECT_NE(second.error().message.find(db), std::string::npos) << second.error().message;
  EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos)
      << second.error().message;
  auto other = ProcessLock::acquire(dir.file("b.db"));  // another file is independent
  EXPECT_TRUE(other) << other.error().message;
}

// The lock is on the file, so no other way to name it gets past it.
TEST(ProcessLock, HoldsThroughASymlinkAHardLinkAndADeletedInfoFile) {
  test::TempDir dir;
  const auto db = dir.file("a.db");
  auto first = ProcessLock::acquire(db);
  ASSERT_TRUE(first) << first.error().message;
  const auto sym = dir.file("sym.db");
  const auto hard = dir.file("hard.db");
  ASSERT_EQ(::symlink(db.c_str(), sym.c_str()), 0);
  ASSERT_EQ(::link(db.c_str(), hard.c_str()), 0);
  ASSERT_EQ(::unlink((db + ".lock").c_str()), 0);
  const std::string pid = "pid " + std::to_string(::getpid());
  for (const auto& path : {db, sym, hard}) {
    auto second = ProcessLock::acquire(path);
    ASSERT_FALSE(second) << path;
    EXPECT_EQ(second.error().code, Errc::db_in_use);
    EXPECT_NE(second.error().message.find(path), std::string::npos) << second.error().message;
    EXPECT_NE(second.error().message.find(pid), std::string::npos) << second.error().message;  // from /proc/locks
  }
}

TEST(ProcessLock, AnUnwritableFileIsAnErrorNamingIt) {
  test::TempDir dir;
  const auto missing_dir = dir.file("no/such/dir/a.db");
  auto r = ProcessLock::acquire(missing_dir);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::db);
  EXPECT_NE(r.error().message.find(missing_dir), std::string::npos) << r.error().message;
}

TEST(ProcessLock, ReleasedWhenTheHolderGoes) {
  test::TempDir dir;
  const auto db = dir.file("a.db");
  {
    auto first = ProcessLock::acquire(db);
    ASSERT_TRUE(first);
    ProcessLock moved = std::move(*first);  // the moved-from object releases nothing
    EXPECT_FALSE(ProcessLock::acquire(db));
  }
  EXPECT_TRUE(ProcessLock::acquire(db));
}

// The reader half of the next test, run in a fresh process (this binary, re-executed): a
// forked child would inherit SQLite's per-process lock bookkeeping.
TEST(ProcessLockChild, ReadsTheLockedDatabase) {
  const char* path = std::getenv("MOCKLOOP_LOCK_TEST_DB");
  if (path == nullptr) GTEST_SKIP() << "run by AnotherProcessCanStillReadTheDatabase";
  DatabaseOptions ro;
  ro.read_only = true;
  auto db = Database::open(path, ro);
  ASSERT_TRUE(db) << db.error().message;
  auto st = (*db)->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(st);
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int64(0), 3);
}

TEST(ProcessLock, AnotherProcessCanStillReadTheDatabase) {
  test::TempDir dir;
  const auto path = dir.file("a.db");
  auto lock = ProcessLock::acquire(path);
  ASSERT_TRUE(lock);
  auto db = Database::open(path).value();  // held open, in WAL mode, as the server's are
  ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2), (3);"));
  std::string env = "MOCKLOOP_LOCK_TEST_DB=" + path;
  std::string self = "/proc/self/exe";
  std::string filter = "--gtest_filter=ProcessLockChild.*";
  char* argv[] = {self.data(), filter.data(), nullptr};
  std::vector<char*> envp;  // this process's environment (sanitizer options, TMPDIR) plus the path
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(env.data());
  envp.push_back(nullptr);
  pid_t child = 0;
  ASSERT_EQ(::posix_spawn(&child, self.c_str(), nullptr, nullptr, argv, envp.data()), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the reader in another process failed (its output is above)";
}

}  // namespace
}  // namespace mockloop::store
