// The room's side of the history (issue 19): which docs keep it, the server time and actor
// beside each accepted update, checkpoints every N rows and on request, and rebuilding a
// moment from a checkpoint + rows giving exactly the state the clients had then.
#include <gtest/gtest.h>

#include "crdt/crdt.hpp"
#include "room/doc_registry.hpp"
#include "room_test_util.hpp"
#include "store/doc_history.hpp"

namespace mockloop::room {
namespace {

using test::Client;
using test::TempDir;

struct Fixture {
  TempDir dir;
  int64_t now = 1'000'000;
  std::unique_ptr<DocRegistry> reg;
  std::unique_ptr<store::Database> rdb;
  std::unique_ptr<store::DocHistory> history;

  explicit Fixture(size_t checkpoint_every = 10, int retention_days = kHistoryForever) {
    RegistryOptions o;
    o.db_path = dir.file("h.db");
    o.limits.compact_after_updates = 10;
    o.history.keeps = [](std::string_view d) { return d.rfind("keep", 0) == 0; };
    o.history.checkpoint_every = checkpoint_every;
    o.history.retention_days = retention_days;
    o.history.now_ms = [this] { return now; };
    reg = DocRegistry::open(std::move(o)).value();
    rdb = store::Database::open(dir.file("h.db")).value();
    history = store::DocHistory::open(*rdb).value();
  }
};

std::string rebuild_text(const store::HistorySlice& s) {
  crdt::Doc doc;
  if (!s.checkpoint.empty()) {
    EXPECT_TRUE(doc.apply_update_v1(s.checkpoint).ok());
  }
  for (const auto& u : s.updates) EXPECT_TRUE(doc.apply_update_v1(u).ok());
  return doc.get_text("t").to_string();
}

TEST(DocHistoryRoom, KeptDocsRecordTimeAndActorOthersNothing) {
  Fixture f;
  Client a(1, 101), b(2, 102);
  ASSERT_TRUE(a.join(*f.reg, "keep-1"));
  ASSERT_TRUE(b.join(*f.reg, "study-1"));
  a.conn->set_actor("pA");
  a.type("x");
  f.now += 5;
  a.type("y");
  b.type("z");
  f.reg->flush();
  auto marks = f.history->marks("keep-1").value();
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].actor, "pA");
  EXPECT_EQ(marks[0].at_ms, 1'000'000);
  EXPECT_EQ(marks[1].at_ms, 1'000'005);
  EXPECT_TRUE(f.history->marks("study-1").value().empty());
}

TEST(DocHistoryRoom, TimeNeverGoesBackwardsWithinADoc) {
  Fixture f;
  Client a(1, 101);
  ASSERT_TRUE(a.join(*f.reg, "keep-1"));
  a.type("x");
  f.now -= 1000;  // the wall clock stepped back
  a.type("y");
  f.reg->flush();
  auto marks = f.history->marks("keep-1").value();
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[1].at_ms, marks[0].at_ms);
}

TEST(DocHistoryRoom, EveryMomentRebuildsAfterCompactionAndCheckpoints) {
  Fixture f(/*checkpoint_every=*/7);
  Client a(1, 101);
  ASSERT_TRUE(a.join(*f.reg, "keep-1"));
  std::vector<std::pair<int64_t, std::string>> seen;
  for (int i = 0; i < 40; ++i) {
    f.now += 100;
    a.type(std::string(1, char('a' + i % 26)));
    seen.emplace_back(f.now, a.text());
    if (i % 9 == 0) {
      f.reg->flush();
      f.reg->tick();  // compaction of the live log + a checkpoint every 7 rows
    }
  }
  f.reg->flush();
  f.reg->checkpoint("keep-1", "phase 2 started");
  f.reg->flush();
  auto cps = f.history->checkpoints("keep-1").value();
  EXPECT_GE(cps.size(), 4u);
  EXPECT_EQ(cps.back().label, "phase 2 started");
  for (const auto& [at, text] : seen) EXPECT_EQ(rebuild_text(f.history->slice_until("keep-1", at).value()), text) << at;
  EXPECT_EQ(rebuild_text(f.history->slice_until("keep-1", 0).value()), "");
}

TEST(DocHistoryRoom, RetentionOffRecordsNothing) {
  Fixture f(10, kHistoryOff);
  Client a(1, 101);
  ASSERT_TRUE(a.join(*f.reg, "keep-1"));
  a.type("x");
  f.reg->flush();
  EXPECT_TRUE(f.history->marks("keep-1").value().empty());
}

TEST(DocHistoryRoom, RetentionPassDropsExpiredDocsWhole) {
  Fixture f(10, /*retention_days=*/1);
  Client a(1, 101), b(2, 102);
  ASSERT_TRUE(a.join(*f.reg, "keep-old"));
  ASSERT_TRUE(b.join(*f.reg, "keep-new"));
  a.type("x");
  f.reg->flush();
  f.now += 2 * 24 * 3600 * 1000LL;
  b.type("y");
  f.reg->flush();
  f.reg->tick();
  f.reg->flush();
  EXPECT_TRUE(f.history->marks("keep-old").value().empty());
  EXPECT_EQ(f.history->marks("keep-new").value().size(), 1u);
}

}  // namespace
}  // namespace mockloop::room
