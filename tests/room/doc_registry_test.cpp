#include "room/doc_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include "room/room_metrics.hpp"
#include "room_test_util.hpp"

namespace mockloop::room {
namespace {

using test::Client;
using test::TempDir;
using test::WriterGate;

RegistryOptions opts(const std::string& path, Limits limits = {}) {
  RegistryOptions o;
  o.db_path = path;
  o.limits = limits;
  return o;
}

std::unique_ptr<DocRegistry> open_registry(RegistryOptions o) {
  auto r = DocRegistry::open(std::move(o));
  EXPECT_TRUE(r) << r.error().message;
  return std::move(r).value();
}

TEST(DocRegistry, JoinSendsServerStep1AndAnswersStep1WithExactDiff) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 101);
  ASSERT_TRUE(a.join(*reg, "doc"));
  a.receive();
  EXPECT_EQ(a.step1_count, 1);
  a.type("hello");
  reg->flush();
  // Client b already knows a prefix; its step 1 must be answered with exactly the rest.
  Client b(2, 102);
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.receive();
  b.send_step1();
  reg->flush();
  b.receive();
  EXPECT_EQ(b.step2_count, 1);
  EXPECT_EQ(b.text(), "hello");
  // b's own content reaches the server through its answer to the server's step 1.
  b.doc.transact(Client::kLocal, [&] { b.doc.get_text("t").insert(5, " world"); });
  b.send(wire::encode_sync_step2(b.doc.encode_state_as_update_v1(a.doc.state_vector_v1()).value()));
  reg->flush();
  a.receive();
  EXPECT_EQ(a.text(), "hello world");
}

TEST(DocRegistry, UpdateGoesToTheOthersOnlyAfterCommit) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 101), b(2, 102), c(3, 103);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  ASSERT_TRUE(c.join(*reg, "other"));
  a.receive();
  b.receive();
  c.receive();
  // Hold the writer inside its transaction.
  WriterGate gate(*reg->writer());
  a.type("x");
  gate.wait_entered();
  EXPECT_EQ(b.peer->pending(), 0u) << "broadcast before commit";
  gate.release();
  reg->flush();
  auto frames = b.receive();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(*frames[0], wire::encode_sync_update(a.last_update)) << "frame relayed byte for byte";
  EXPECT_EQ(b.text(), "x");
  EXPECT_EQ(a.peer->pending(), 0u) << "echoed to the sender";
  EXPECT_EQ(c.peer->pending(), 0u) << "leaked to another doc";
}

TEST(DocRegistry, BroadcastsPreserveOrder) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 101), b(2, 102);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.receive();
  std::vector<std::vector<uint8_t>> sent;
  for (int i = 0; i < 200; ++i) {
    a.type(std::string(1, static_cast<char>('a' + i % 26)));
    sent.push_back(wire::encode_sync_update(a.last_update));
  }
  reg->flush();
  auto frames = b.receive();
  ASSERT_EQ(frames.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) ASSERT_EQ(*frames[i], sent[i]) << i;
  EXPECT_EQ(b.text(), a.text());
}

TEST(DocRegistry, NoOpStep2IsNeitherStoredNorRelayed) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 101), b(2, 102);
  ASSERT_TRUE(a.join(*reg, "doc"));
  a.type("abcdef");
  a.doc.transact(Client::kLocal, [&] { a.doc.get_text("t").remove(1, 2); });
  a.send(wire::encode_sync_update(a.last_update));
  reg->flush();
  a.receive();
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.send_step1();
  reg->flush();
  b.receive();  // b now has everything and answers the server's step 1
  EXPECT_EQ(b.text(), "adef");
  ASSERT_EQ(b.answer_step1.size(), 1u);
  EXPECT_GT(b.answer_step1[0].size(), 4u) << "the answer carries b's delete set";
  b.send(b.answer_step1[0]);
  reg->flush();
  EXPECT_EQ(a.peer->pending(), 0u) << "a no-op update was relayed";
  auto db = store::Database::open(dir.file("d.db")).value();
  auto stored = store::DocStore::open(*db).value()->load("doc").value();
  EXPECT_EQ(stored.updates.size(), 2u) << "a no-op update was stored";
}

TEST(DocRegistry, LateJoinerReceivesFullState) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 101);
  ASSERT_TRUE(a.join(*reg, "doc"));
  for (int i = 0; i < 50; ++i) a.type("ab");
  a.conn.reset();  // a leaves
  reg->flush();
  Client late(2, 102);
  ASSERT_TRUE(late.join(*reg, "doc"));
  late.send_step1();
  reg->flush();
  late.receive();
  EXPECT_EQ(late.text(), a.text());
  EXPECT_EQ(late.text().size(), 100u);
}

TEST(DocRegistry, Step2WaitsForUncommittedUpdates) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 101), b(2, 102);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.receive();
  WriterGate gate(*reg->writer());
  a.type("x");
  gate.wait_entered();
  b.send_step1();  // the diff contains "x", which is not committed yet
  EXPECT_EQ(b.peer->pending(), 0u);
  gate.release();
  reg->flush();
  b.receive();
  EXPECT_EQ(b.text(), "x");
}

TEST(DocRegistry, RestartKeepsEverythingIncludingCompactedState) {
  TempDir dir;
  Limits limits;
  limits.compact_after_updates = 10;
  limits.idle_unload_after = std::chrono::seconds(5);
  std::string expected;
  {
    auto reg = open_registry(opts(dir.file("d.db"), limits));
    Client a(1, 101);
    ASSERT_TRUE(a.join(*reg, "doc"));
    for (int i = 0; i < 25; ++i) a.type("q");
    reg->flush();
    reg->tick();  // log over the threshold: compaction
    reg->flush();
    for (int i = 0; i < 5; ++i) a.type("z");  // after the snapshot
    ASSERT_TRUE(a.join(*reg, "doc2"));
    a.type("other");
    reg->flush();
    expected = "qqqqqqqqqqqqqqqqqqqqqqqqqzzzzz";
  }
  auto reg = open_registry(opts(dir.file("d.db"), limits));
  Client b(2, 102);
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.send_step1();
  b.receive();
  EXPECT_EQ(b.text(), expected);
  // Idle unload compacts; a later join reloads the same state.
  b.conn.reset();
  reg->tick(Clock::now() + std::chrono::seconds(6));
  reg->flush();
  EXPECT_EQ(reg->docs_loaded(), 0u);
  Client c(3, 103);
  ASSERT_TRUE(c.join(*reg, "doc"));
  c.send_step1();
  c.receive();
  EXPECT_EQ(c.text(), expected);
}

TEST(DocRegistry, CompactionWaitsUntilTheLogOutgrowsTheLastSnapshot) {
  TempDir dir;
  Limits limits;
  limits.compact_after_updates = 10;
  auto reg = open_registry(opts(dir.file("d.db"), limits));
  auto& compactions = RoomMetrics::get().compactions;
  Client a(1, 101);
  ASSERT_TRUE(a.join(*reg, "doc"));
  a.type(std::string(4000, 'b'));  // a large doc: its snapshot is over 4 KB
  for (int i = 0; i < 10; ++i) a.type("q");
  reg->flush();
  uint64_t before = compactions.value();
  reg->tick();
  reg->flush();
  EXPECT_EQ(compactions.value(), before + 1) << "first snapshot";
  for (int i = 0; i < 20; ++i) a.type("s");  // 20 updates, far fewer bytes than the snapshot
  reg->flush();
  reg->tick();
  reg->flush();
  EXPECT_EQ(compactions.value(), before + 1) << "small log behind a large snapshot: not yet";
  a.type(std::string(5000, 'c'));
  reg->flush();
  reg->tick();
  reg->flush();
  EXPECT_EQ(compactions.value(), before + 2) << "the log outgrew the snapshot";
  // Nothing was lost on the way.
  Client b(2, 102);
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.send_step1();
  b.receive();
  EXPECT_EQ(b.text(), std::string(4000, 'b') + std::string(10, 'q') + std::string(20, 's') + std::string(5000, 'c'));
}

// The server's ticker: compaction (snapshot encode and commit) happens on the loader thread,
// and the caller returns before it is done.
TEST(DocRegistry, TickInBackgroundCompactsOnTheLoaderThread) {
  TempDir dir;
  Limits limits;
  limits.compact_after_updates = 10;
  RegistryOptions o = opts(dir.file("d.db"), limits);
  o.writer.commit_on_caller = true;  // as the server runs it: whoever drains commits
  auto reg = open_registry(std::move(o));
  auto& compactions = RoomMetrics::get().compactions;
  Client a(1, 101);
  ASSERT_TRUE(a.join(*reg, "doc"));
  for (int i = 0; i < 12; ++i) a.type("x");  // committed on this thread, one by one
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<std::thread::id> committer;
  std::atomic<bool> seen{false};
  reg->writer()->set_fault_injector([&]() -> Result<void> {
    if (!seen.exchange(true)) {
      committer.set_value(std::this_thread::get_id());
      released.wait();  // hold the compaction's commit until the test has checked
    }
    return {};
  });
  uint64_t before = compactions.value();
  reg->tick_in_background();
  auto id = committer.get_future();
  ASSERT_EQ(id.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "no compaction was committed";
  EXPECT_NE(id.get(), std::this_thread::get_id());
  EXPECT_EQ(compactions.value(), before) << "the caller returned while the compaction was still in progress";
  release.set_value();
  for (int i = 0; i < 500 && compactions.value() == before; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(compactions.value(), before + 1);
  reg->writer()->set_fault_injector(nullptr);
  Client b(2, 102);
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.send_step1();
  b.receive();
  EXPECT_EQ(b.text(), std::string(12, 'x'));
}

TEST(DocRegistry, CommitOnCallerBroadcastsCommittedUpdatesFromTheSendersThread) {
  TempDir dir;
  {
    RegistryOptions o = opts(dir.file("d.db"));
    o.writer.commit_on_caller = true;
    auto reg = open_registry(std::move(o));
    Client a(1, 101), b(2, 102);
    ASSERT_TRUE(a.join(*reg, "doc"));
    ASSERT_TRUE(b.join(*reg, "doc"));
    b.receive();  // the server's step 1
    size_t before = b.peer->pending();
    a.type("hello");  // returns after commit and broadcast: no writer thread to wait for
    EXPECT_EQ(b.peer->pending(), before + 1);
    EXPECT_EQ(reg->writer()->queued(), 0u);
    b.receive();
    EXPECT_EQ(b.text(), "hello");
  }
  auto reg = open_registry(opts(dir.file("d.db")));
  Client c(3, 103);
  ASSERT_TRUE(c.join(*reg, "doc"));
  c.send_step1();
  c.receive();
  EXPECT_EQ(c.text(), "hello") << "committed before it was broadcast";
}

TEST(DocRegistry, FreshJoinersShareOneEncodedStateUntilTheNextChange) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  auto& hits = RoomMetrics::get().state_cache_hits;
  Client a(1, 101);
  ASSERT_TRUE(a.join(*reg, "doc"));
  a.type("first");
  reg->flush();
  uint64_t before = hits.value();
  std::vector<std::unique_ptr<Client>> joiners;
  for (int i = 0; i < 3; ++i) {
    joiners.push_back(std::make_unique<Client>(10 + i, 200 + i));
    ASSERT_TRUE(joiners.back()->join(*reg, "doc"));
    joiners.back()->send_step1();
    joiners.back()->receive();
    EXPECT_EQ(joiners.back()->text(), "first");
  }
  EXPECT_EQ(hits.value(), before + 2) << "encoded once, sent three times";
  a.type(" second");  // the cached state is stale now
  reg->flush();
  Client after(20, 300);
  ASSERT_TRUE(after.join(*reg, "doc"));
  after.send_step1();
  after.receive();
  EXPECT_EQ(after.text(), "first second");
  EXPECT_EQ(hits.value(), before + 2);
}

TEST(DocRegistry, ConcurrentFirstJoinsLoadOnce) {
  TempDir dir;
  std::atomic<int> loads{0};
  RegistryOptions o = opts(dir.file("d.db"));
  o.make_doc = [&] {
    ++loads;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return make_crdt_doc();
  };
  auto reg = open_registry(std::move(o));
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<Client>(i + 1, 100 + i));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (auto& c : clients) {
    threads.emplace_back([&, cp = c.get()] { ok += cp->join(*reg, "same").ok() ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(loads.load(), 1);
}

// join_async: a document that must be read from SQLite loads on the registry's loader
// thread, never the caller's; every joiner that came meanwhile joins when it is loaded.
TEST(DocRegistry, JoinAsyncLoadsOnTheLoaderThreadAndJoinsEveryWaiter) {
  TempDir dir;
  {  // something to load
    auto reg = open_registry(opts(dir.file("d.db")));
    Client w(1, 1);
    ASSERT_TRUE(w.join(*reg, "doc"));
    w.type("stored");
    reg->flush();
  }
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> loads{0};
  std::thread::id load_thread;
  RegistryOptions o = opts(dir.file("d.db"));
  o.make_doc = [&] {
    ++loads;
    load_thread = std::this_thread::get_id();
    released.wait();  // the load stays in progress until the test releases it
    return make_crdt_doc();
  };
  auto reg = open_registry(std::move(o));
  constexpr int kJoiners = 4;
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::promise<Result<std::shared_ptr<DocConnection>>>> results(kJoiners);
  std::atomic<int> done_calls{0};
  for (int i = 0; i < kJoiners; ++i) {
    clients.push_back(std::make_unique<Client>(10 + i, 100 + i));
    reg->join_async("doc", clients.back()->peer, false, [&, i](Result<std::shared_ptr<DocConnection>> r) {
      ++done_calls;
      results[static_cast<size_t>(i)].set_value(std::move(r));
    });
  }
  EXPECT_EQ(done_calls.load(), 0) << "no join may complete while its document is loading";
  release.set_value();
  for (int i = 0; i < kJoiners; ++i) {
    auto r = results[static_cast<size_t>(i)].get_future().get();
    ASSERT_TRUE(r) << r.error().message;
    clients[static_cast<size_t>(i)]->conn = std::move(r).value();
  }
  EXPECT_EQ(loads.load(), 1);
  EXPECT_NE(load_thread, std::this_thread::get_id());
  for (auto& c : clients) {
    c->receive();
    EXPECT_EQ(c->step1_count, 1);
    c->send_step1();
    c->receive();
    EXPECT_EQ(c->text(), "stored");
  }
  // A document already in memory is joined within the call.
  Client late(50, 500);
  bool joined = false;
  reg->join_async("doc", late.peer, false, [&](Result<std::shared_ptr<DocConnection>> r) {
    joined = r.ok();
    if (r) late.conn = std::move(r).value();
  });
  EXPECT_TRUE(joined);
}

// A load that cannot finish (the registry stops first) fails its joiners, who are told why.
TEST(DocRegistry, JoinAsyncFailsWhenLoadingStops) {
  TempDir dir;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> loading;
  RegistryOptions o = opts(dir.file("d.db"));
  o.make_doc = [&] {
    loading.set_value();
    released.wait();
    return make_crdt_doc();
  };
  auto reg = open_registry(std::move(o));
  Client a(1, 1), b(2, 2);
  std::promise<Result<std::shared_ptr<DocConnection>>> ra, rb;
  reg->join_async("first", a.peer, false, [&](Result<std::shared_ptr<DocConnection>> r) { ra.set_value(std::move(r)); });
  loading.get_future().wait();  // the loader is busy with "first"
  reg->join_async("second", b.peer, false, [&](Result<std::shared_ptr<DocConnection>> r) { rb.set_value(std::move(r)); });
  std::thread stopper([&] { reg->stop_loading(); });
  auto second = rb.get_future().get();  // queued behind "first": failed by stop_loading
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::load_failed);
  EXPECT_NE(second.error().message.find("shutting down"), std::string::npos) << second.error().message;
  release.set_value();
  stopper.join();
  EXPECT_TRUE(ra.get_future().get()) << "a load in progress completes";
  Client c(3, 3);
  std::optional<Result<std::shared_ptr<DocConnection>>> rc;
  reg->join_async("third", c.peer, false, [&](Result<std::shared_ptr<DocConnection>> r) { rc = std::move(r); });
  ASSERT_TRUE(rc.has_value()) << "after stop_loading a join that needs a load fails at once";
  EXPECT_FALSE(*rc);
}

TEST(DocRegistry, MaxConnectionsPerDoc) {
  TempDir dir;
  Limits limits;
  limits.max_connections_per_doc = 2;
  auto reg = open_registry(opts(dir.file("d.db"), limits));
  Client a(1, 1), b(2, 2), c(3, 3);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  auto r = c.join(*reg, "doc");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::doc_full);
  a.conn.reset();  // leaving frees a slot
  EXPECT_TRUE(c.join(*reg, "doc"));
}

TEST(DocRegistry, MaxDocsInMemoryAndIdleUnload) {
  TempDir dir;
  Limits limits;
  limits.max_docs_in_memory = 1;
  limits.idle_unload_after = std::chrono::seconds(10);
  auto reg = open_registry(opts(dir.file("d.db"), limits));
  Client a(1, 1), b(2, 2);
  ASSERT_TRUE(a.join(*reg, "one"));
  auto r = b.join(*reg, "two");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::too_many_docs);
  a.conn.reset();
  reg->tick(Clock::now() + std::chrono::seconds(5));
  EXPECT_EQ(reg->docs_loaded(), 1u) << "unloaded before the idle time";
  reg->tick(Clock::now() + std::chrono::seconds(11));
  EXPECT_EQ(reg->docs_loaded(), 0u);
  EXPECT_TRUE(b.join(*reg, "two"));
}

TEST(DocRegistry, DatabaseErrorClosesTheDocsPeersWith1011) {
  TempDir dir;
  auto reg = open_registry(opts(dir.file("d.db")));
  Client a(1, 1), b(2, 2), other(3, 3);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  ASSERT_TRUE(other.join(*reg, "elsewhere"));
  a.type("kept");
  reg->flush();
  b.receive();
  reg->writer()->set_fault_injector([]() -> Result<void> { return make_error(Errc::db, "disk I/O error"); });
  testing::internal::CaptureStderr();
  a.type("lost");
  reg->flush();
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("ERROR room: document closed: persistence failed doc=doc error=\"database error: disk I/O error\""),
            std::string::npos)
      << log;
  EXPECT_EQ(a.peer->close_code(), kCloseInternalError);
  EXPECT_EQ(b.peer->close_code(), kCloseInternalError);
  EXPECT_NE(a.peer->close_reason().find("database error"), std::string::npos) << a.peer->close_reason();
  EXPECT_EQ(other.peer->close_code(), 0) << "another doc was disturbed";
  b.receive();
  EXPECT_EQ(b.text(), "kept") << "an uncommitted update was broadcast";
  // The failed doc is dropped; a new join reloads what was committed.
  reg->writer()->set_fault_injector(nullptr);
  Client c(4, 4);
  ASSERT_TRUE(c.join(*reg, "doc"));
  c.send_step1();
  c.receive();
  EXPECT_EQ(c.text(), "kept");
}

TEST(DocRegistry, PersistenceOffBroadcastsImmediately) {
  RegistryOptions o;  // no db_path
  auto reg = open_registry(std::move(o));
  EXPECT_FALSE(reg->persistent());
  Client a(1, 1), b(2, 2);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  b.receive();
  a.type("now");
  b.receive();
  EXPECT_EQ(b.text(), "now");
  EXPECT_EQ(a.peer->pending(), 1u);  // only its step 1
}

}  // namespace
}  // namespace mockloop::room
