#include "store/doc_history.hpp"

#include <gtest/gtest.h>

#include "store/writer.hpp"
#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

WriteOp stamped(const std::string& doc, Bytes data, int64_t at_ms, std::string actor) {
  auto buf = std::make_shared<Bytes>(std::move(data));
  ByteView view(*buf);
  auto op = WriteOp::append(doc, std::move(buf), view, nullptr);
  op.history = HistoryStamp{at_ms, std::move(actor)};
  return op;
}

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<Writer> writer;
  std::unique_ptr<Database> rdb;
  std::unique_ptr<DocStore> docs;
  std::unique_ptr<DocHistory> history;
  Fixture() {
    writer = Writer::start(Database::open(dir.file("h.db")).value()).value();
    rdb = Database::open(dir.file("h.db")).value();
    docs = DocStore::open(*rdb).value();
    history = DocHistory::open(*rdb).value();
  }
};

TEST(DocHistory, RowsBesideTheLiveLogSurviveCompaction) {
  Fixture f;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(f.writer->submit(stamped("d", Bytes{uint8_t(i)}, 1000 + i, "p1")));
  ASSERT_TRUE(f.writer->submit(WriteOp::compact("d", Bytes{9, 9}, kAllLogged, nullptr)));
  f.writer->flush();
  auto live = f.docs->load("d").value();
  EXPECT_TRUE(live.updates.empty());  // compacted away
  auto marks = f.history->marks("d").value();
  ASSERT_EQ(marks.size(), 5u);
  EXPECT_EQ(marks[0].at_ms, 1000);
  EXPECT_EQ(marks[4].actor, "p1");
  EXPECT_EQ(marks[4].bytes, 1u);
}

TEST(DocHistory, UnstampedAppendsAreNotHistory) {
  Fixture f;
  auto buf = std::make_shared<Bytes>(Bytes{1});
  ASSERT_TRUE(f.writer->submit(WriteOp::append("s", buf, ByteView(*buf), nullptr)));
  f.writer->flush();
  EXPECT_TRUE(f.history->marks("s").value().empty());
  EXPECT_EQ(f.docs->load("s").value().updates.size(), 1u);
}

TEST(DocHistory, SliceStartsAtTheNearestCheckpointAndStopsAtTheMoment) {
  Fixture f;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(f.writer->submit(stamped("d", Bytes{uint8_t(i)}, 100 * (i + 1), "a")));
  ASSERT_TRUE(f.writer->submit(WriteOp::checkpoint("d", Bytes{0xC1}, "every 4", nullptr)));  // covers 100..400
  for (int i = 4; i < 8; ++i) ASSERT_TRUE(f.writer->submit(stamped("d", Bytes{uint8_t(i)}, 100 * (i + 1), "b")));
  f.writer->flush();

  auto before = f.history->slice_until("d", 250).value();  // before the checkpoint's time
  EXPECT_TRUE(before.checkpoint.empty());
  EXPECT_EQ(before.updates, (std::vector<Bytes>{{0}, {1}}));

  auto after = f.history->slice_until("d", 650).value();
  EXPECT_EQ(after.checkpoint, Bytes{0xC1});
  EXPECT_EQ(after.updates, (std::vector<Bytes>{{4}, {5}}));

  auto cps = f.history->checkpoints("d").value();
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0].at_ms, 400);
  EXPECT_EQ(cps[0].label, "every 4");
}

TEST(DocHistory, RemoveDeletesHistoryAndCheckpoints) {
  Fixture f;
  ASSERT_TRUE(f.writer->submit(stamped("d", Bytes{1}, 1, "a")));
  ASSERT_TRUE(f.writer->submit(WriteOp::checkpoint("d", Bytes{2}, "x", nullptr)));
  ASSERT_TRUE(f.writer->submit(stamped("e", Bytes{1}, 1, "a")));
  ASSERT_TRUE(f.writer->submit(WriteOp::remove("d", nullptr)));
  f.writer->flush();
  EXPECT_TRUE(f.history->marks("d").value().empty());
  EXPECT_TRUE(f.history->checkpoints("d").value().empty());
  EXPECT_EQ(f.history->marks("e").value().size(), 1u);
}

TEST(DocHistory, RetentionFindsWholeDocumentsByTheirNewestRow) {
  Fixture f;
  ASSERT_TRUE(f.writer->submit(stamped("old", Bytes{1}, 10, "a")));
  ASSERT_TRUE(f.writer->submit(stamped("old", Bytes{2}, 20, "a")));
  ASSERT_TRUE(f.writer->submit(stamped("mixed", Bytes{1}, 10, "a")));
  ASSERT_TRUE(f.writer->submit(stamped("mixed", Bytes{2}, 500, "a")));  // still in use: kept whole
  f.writer->flush();
  auto old = f.history->docs_older_than(100).value();
  EXPECT_EQ(old, std::vector<std::string>{"old"});
  ASSERT_TRUE(f.writer->submit(WriteOp::prune_history(old, nullptr)));
  f.writer->flush();
  EXPECT_TRUE(f.history->marks("old").value().empty());
  EXPECT_EQ(f.history->marks("mixed").value().size(), 2u);
  EXPECT_EQ(f.docs->load("old").value().updates.size(), 2u);  // the live document stays
}

TEST(DocHistory, SeqsContinueAfterHistoryOnlyRows) {
  test::TempDir dir;
  {
    auto w = Writer::start(Database::open(dir.file("s.db")).value()).value();
    ASSERT_TRUE(w->submit(stamped("d", Bytes{1}, 1, "a")));
    ASSERT_TRUE(w->submit(stamped("d", Bytes{2}, 2, "a")));
    w->flush();
    // The live doc is removed from the log by hand (as if deleted): its history keeps seq 2.
    w->stop();
  }
  auto db = Database::open(dir.file("s.db")).value();
  ASSERT_TRUE(db->exec("DELETE FROM doc_log"));
  auto docs = DocStore::open(*db).value();
  const Bytes one{7};
  auto seqs = docs->append_batch(std::vector<DocUpdate>{{"d", ByteView(one)}}).value();
  EXPECT_GT(seqs[0], 2u);
}

}  // namespace
}  // namespace mockloop::store
