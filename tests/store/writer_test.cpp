#include "store/writer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

std::unique_ptr<Writer> start_writer(const std::string& path, WriterOptions opts = {}) {
  auto db = Database::open(path);
  EXPECT_TRUE(db);
  auto w = Writer::start(std::move(*db), opts);
  EXPECT_TRUE(w);
  return std::move(*w);
}

std::unique_ptr<DocStore> reader(const std::string& path, std::unique_ptr<Database>& db) {
  db = Database::open(path).value();
  return DocStore::open(*db).value();
}

WriteOp append_op(const std::string& doc, Bytes data, WriteOp::Done done) {
  auto buf = std::make_shared<Bytes>(std::move(data));
  ByteView view(*buf);
  return WriteOp::append(doc, std::move(buf), view, std::move(done));
}

TEST(Writer, CompletesInOrderAfterCommit) {
  test::TempDir dir;
  auto w = start_writer(dir.file("w.db"));
  std::mutex mu;
  std::vector<int> order;
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(w->submit(append_op("d", Bytes{static_cast<uint8_t>(i)}, [&, i](const Result<uint64_t>& r) {
      ASSERT_TRUE(r);
      std::lock_guard lock(mu);
      order.push_back(i);
      seqs.push_back(*r);
    })));
  }
  w->flush();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  // Group commit: fewer transactions than operations is the norm, never more.
  EXPECT_LE(w->batches_committed(), 101u);
  std::unique_ptr<Database> db;
  EXPECT_EQ(reader(dir.file("w.db"), db)->load("d")->updates.size(), 100u);
}

TEST(Writer, CommitOnCallerCommitsOnlyInDrainOnTheDrainingThread) {
  test::TempDir dir;
  WriterOptions o;
  o.commit_on_caller = true;
  auto w = start_writer(dir.file("w.db"), o);
  std::vector<std::thread::id> threads;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(w->submit(append_op("d", Bytes{static_cast<uint8_t>(i)}, [&](const Result<uint64_t>& r) {
      ASSERT_TRUE(r);
      threads.push_back(std::this_thread::get_id());
    })));
  }
  EXPECT_TRUE(threads.empty()) << "nothing commits before drain()";
  EXPECT_EQ(w->queued(), 5u);
  w->drain();
  ASSERT_EQ(threads.size(), 5u);
  for (auto t : threads) EXPECT_EQ(t, std::this_thread::get_id());
  EXPECT_EQ(w->batches_committed(), 1u) << "everything queued goes in one transaction";
  std::unique_ptr<Database> db;
  EXPECT_EQ(reader(dir.file("w.db"), db)->load("d")->updates.size(), 5u);
}

TEST(Writer, CommitOnCallerFromManyThreadsLosesNothingAndKeepsOrderPerThread) {
  test::TempDir dir;
  WriterOptions o;
  o.commit_on_caller = true;
  auto w = start_writer(dir.file("w.db"), o);
  constexpr int kThreads = 4, kOps = 300;
  std::mutex mu;
  std::vector<std::vector<int>> done(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kOps; ++i) {
        auto doc = "d" + std::to_string(t);
        ASSERT_TRUE(w->submit(append_op(doc, Bytes{static_cast<uint8_t>(i)}, [&, t, i](const Result<uint64_t>& r) {
          ASSERT_TRUE(r);
          std::lock_guard lock(mu);
          done[t].push_back(i);
        })));
        w->drain();
      }
    });
  }
  for (auto& th : threads) th.join();
  w->flush();
  std::unique_ptr<Database> db;
  auto rd = reader(dir.file("w.db"), db);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(done[t].size(), static_cast<size_t>(kOps));
    EXPECT_TRUE(std::is_sorted(done[t].begin(), done[t].end()));
    auto stored = rd->load("d" + std::to_string(t));
    ASSERT_EQ(stored->updates.size(), static_cast<size_t>(kOps));
    for (int i = 0; i < kOps; ++i) EXPECT_EQ(stored->updates[i], Bytes{static_cast<uint8_t>(i)});
  }
  ASSERT_TRUE(w->submit(append_op("late", Bytes{1}, nullptr)));
  w->stop();  // drains what is left, then refuses
  EXPECT_EQ(rd->load("late")->updates.size(), 1u);
  EXPECT_FALSE(w->submit(append_op("later", Bytes{1}, nullptr)));
}

// Checkpoints run on the checkpointer's own connection while the writer's connection stays
// open: the database file fills with what was committed (without them, SQLite's
// auto-checkpoint being replaced, it would stay in the WAL until the writer closes).
TEST(Writer, CheckpointerCopiesTheWalIntoTheDatabaseWhileOpen) {
  test::TempDir dir;
  WriterOptions o;
  o.checkpoint_after_pages = 64;
  auto w = start_writer(dir.file("w.db"), o);
  constexpr size_t kBatches = 64, kBytes = 64 * 1024;
  for (size_t i = 0; i < kBatches; ++i) {
    ASSERT_TRUE(w->submit(append_op("d", Bytes(kBytes, static_cast<uint8_t>(i)), nullptr)));
    w->flush();
  }
  std::error_code ec;
  uintmax_t size = 0;
  for (int i = 0; i < 200 && size < kBatches * kBytes; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(w->submit(append_op("tick", Bytes{1}, nullptr)));  // a commit asks again
    w->flush();
    size = std::filesystem::file_size(dir.file("w.db"), ec);
  }
  EXPECT_GE(size, kBatches * kBytes) << "the WAL was never checkpointed while the writer was open";
}

TEST(Writer, DatabaseErrorFailsEveryCallbackOfTheBatch) {
  test::TempDir dir;
  auto w = start_writer(dir.file("e.db"));
  std::atomic<bool> fail{true};
  w->set_fault_injector([&]() -> Result<void> {
    if (fail) return make_error(Errc::db, "disk on fire");
    return {};
  });
  std::atomic<int> failed{0}, ok{0};
  testing::internal::CaptureStderr();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(w->submit(append_op("d", Bytes{1}, [&](const Result<uint64_t>& r) {
      if (r) {
        ++ok;
      } else {
        EXPECT_EQ(r.error().message, "disk on fire");
        ++failed;
      }
    })));
  }
  w->flush();
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("ERROR store: commit failed"), std::string::npos) << log;  // logged with its cause
  EXPECT_NE(log.find("doc=d "), std::string::npos) << log;
  EXPECT_NE(log.find("error=\"disk on fire\""), std::string::npos) << log;
  EXPECT_EQ(failed.load(), 10);
  EXPECT_EQ(ok.load(), 0);
  std::unique_ptr<Database> db;
  EXPECT_TRUE(reader(dir.file("e.db"), db)->load("d")->updates.empty());
  fail = false;
  ASSERT_TRUE(w->submit(append_op("d", Bytes{2}, [&](const Result<uint64_t>& r) { ok += r ? 1 : 0; })));
  w->flush();
  EXPECT_EQ(ok.load(), 1);
}

TEST(Writer, BoundedQueueRefusesWhenFull) {
  test::TempDir dir;
  auto w = start_writer(dir.file("q.db"), WriterOptions{.max_queued_ops = 2});
  // Block the writer thread inside a batch so the queue fills up.
  std::promise<void> entered, release;
  auto release_fut = release.get_future().share();
  std::atomic<bool> first{true};
  w->set_fault_injector([&]() -> Result<void> {
    if (first.exchange(false)) {
      entered.set_value();
      release_fut.wait();
    }
    return {};
  });
  ASSERT_TRUE(w->submit(WriteOp::barrier(nullptr)));
  entered.get_future().wait();
  ASSERT_TRUE(w->submit(WriteOp::barrier(nullptr)));
  ASSERT_TRUE(w->submit(WriteOp::barrier(nullptr)));
  EXPECT_FALSE(w->has_capacity());
  auto r = w->submit(WriteOp::barrier(nullptr));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::queue_full);
  EXPECT_TRUE(w->submit(WriteOp::barrier(nullptr), /*ignore_limit=*/true));
  release.set_value();
  w->flush();
  EXPECT_TRUE(w->has_capacity());
}

TEST(Writer, CompactAndRemoveGoThroughTheQueue) {
  test::TempDir dir;
  auto w = start_writer(dir.file("c.db"));
  ASSERT_TRUE(w->submit(append_op("d", Bytes{1}, nullptr)));
  ASSERT_TRUE(w->submit(append_op("d", Bytes{2}, nullptr)));
  ASSERT_TRUE(w->submit(WriteOp::compact("d", Bytes{9}, kAllLogged, nullptr)));
  ASSERT_TRUE(w->submit(append_op("d", Bytes{3}, nullptr)));
  ASSERT_TRUE(w->submit(append_op("gone", Bytes{3}, nullptr)));
  ASSERT_TRUE(w->submit(WriteOp::remove("gone", nullptr)));
  w->flush();
  std::unique_ptr<Database> db;
  auto s = reader(dir.file("c.db"), db);
  auto d = *s->load("d");
  EXPECT_EQ(d.snapshot, Bytes{9});
  EXPECT_EQ(d.updates, (std::vector<Bytes>{Bytes{3}}));
  EXPECT_TRUE(s->load("gone")->updates.empty());
}

TEST(Writer, StopDrainsThenRefuses) {
  test::TempDir dir;
  auto w = start_writer(dir.file("s.db"));
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(w->submit(append_op("d", Bytes{1}, [&](auto&) { ++done; })));
  w->stop();
  EXPECT_EQ(done.load(), 50);
  EXPECT_EQ(w->submit(WriteOp::barrier(nullptr)).error().code, Errc::stopped);
}

// A child process appends updates 0, 1, 2, ... as fast as it can and reports each index on a
// pipe once its completion says it is committed. The parent SIGKILLs it mid-stream, reopens
// the database and checks: the log is exactly 0..n-1 for some n (a prefix, nothing reordered
// or torn), and n covers every index the child acknowledged.
TEST(Writer, KillNineKeepsEveryAcknowledgedUpdate) {
  test::TempDir dir;
  const std::string path = dir.file("crash.db");
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      auto db = Database::open(path);
      if (!db) ::_exit(3);
      auto w = Writer::start(std::move(*db), WriterOptions{.max_queued_ops = 256});
      if (!w) ::_exit(4);
      const std::string doc = "crash-" + std::to_string(round);
      for (uint32_t i = 0;; ++i) {
        Bytes payload(4);
        std::memcpy(payload.data(), &i, 4);
        auto op = append_op(doc, payload, [fd = fds[1], i](const Result<uint64_t>& r) {
          if (!r) ::_exit(5);
          (void)!::write(fd, &i, 4);
        });
        while (!(*w)->submit(op)) std::this_thread::yield();
      }
    }
    ::close(fds[1]);
    uint32_t max_acked = 0, got = 0, count = 0;
    const uint32_t kill_after = 300 + 500 * static_cast<uint32_t>(round);
    while (count < kill_after && ::read(fds[0], &got, 4) == 4) {
      max_acked = std::max(max_acked, got);
      ++count;
    }
    ::kill(pid, SIGKILL);
    while (::read(fds[0], &got, 4) == 4) max_acked = std::max(max_acked, got);  // acks written before death
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    ASSERT_EQ(count, kill_after);

    std::unique_ptr<Database> db;
    auto s = reader(path, db);
    auto d = *s->load("crash-" + std::to_string(round));
    ASSERT_GT(d.updates.size(), max_acked) << "an acknowledged update was lost";
    for (uint32_t i = 0; i < d.updates.size(); ++i) {
      ASSERT_EQ(d.updates[i].size(), 4u);
      uint32_t v;
      std::memcpy(&v, d.updates[i].data(), 4);
      ASSERT_EQ(v, i) << "log is not a prefix of the submitted sequence";
    }
  }
}

}  // namespace
}  // namespace mockloop::store
