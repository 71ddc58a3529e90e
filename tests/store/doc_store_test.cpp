#include "store/doc_store.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

Bytes b(std::initializer_list<uint8_t> v) { return Bytes(v); }

class DocStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Database::open(dir_.file("docs.db")).value();
    auto s = DocStore::open(*db_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<DocStore> store_;
};

TEST_F(DocStoreTest, UnknownDocLoadsEmpty) {
  auto d = store_->load("nope");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->snapshot.empty());
  EXPECT_TRUE(d->updates.empty());
  EXPECT_EQ(d->last_seq, 0u);
}

TEST_F(DocStoreTest, AppendBatchThenLoadInOrderPerDoc) {
  Bytes u1 = b({1}), u2 = b({2}), u3 = b({3});
  DocUpdate batch[] = {{"a", u1}, {"b", u2}, {"a", u3}};
  auto seqs = store_->append_batch(batch);
  ASSERT_TRUE(seqs);
  ASSERT_EQ(seqs->size(), 3u);
  EXPECT_LT((*seqs)[0], (*seqs)[1]);
  EXPECT_LT((*seqs)[1], (*seqs)[2]);
  auto a = *store_->load("a");
  EXPECT_EQ(a.updates, (std::vector<Bytes>{u1, u3}));
  EXPECT_EQ(a.last_seq, (*seqs)[2]);
  EXPECT_EQ(store_->load("b")->updates, (std::vector<Bytes>{u2}));
}

TEST_F(DocStoreTest, BatchIsAllOrNothing) {
  ASSERT_TRUE(db_->exec("CREATE TRIGGER fail_dead BEFORE INSERT ON doc_log WHEN NEW.data = x'dead' "
                        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"));
  Bytes ok = b({1}), bad = b({0xde, 0xad});
  DocUpdate batch[] = {{"a", ok}, {"a", ok}, {"a", bad}};
  auto r = store_->append_batch(batch);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("injected"), std::string::npos);
  EXPECT_TRUE(store_->load("a")->updates.empty());
  // The connection is usable afterwards.
  DocUpdate good[] = {{"a", ok}};
  ASSERT_TRUE(store_->append_batch(good));
  EXPECT_EQ(store_->load("a")->updates.size(), 1u);
}

TEST_F(DocStoreTest, CompactReplacesSnapshotAndTrimsLog) {
  Bytes u1 = b({1}), u2 = b({2}), u3 = b({3});
  DocUpdate first[] = {{"a", u1}, {"a", u2}};
  auto seqs = *store_->append_batch(first);
  ASSERT_TRUE(store_->compact("a", b({9, 9}), seqs[0]));
  auto d = *store_->load("a");
  EXPECT_EQ(d.snapshot, b({9, 9}));
  EXPECT_EQ(d.updates, (std::vector<Bytes>{u2}));
  DocUpdate more[] = {{"a", u3}};
  ASSERT_TRUE(store_->append_batch(more));
  ASSERT_TRUE(store_->compact("a", b({7}), kAllLogged));
  d = *store_->load("a");
  EXPECT_EQ(d.snapshot, b({7}));
  EXPECT_TRUE(d.updates.empty());
  // Seqs keep growing after compaction (AUTOINCREMENT never reuses).
  auto after = *store_->append_batch(more);
  EXPECT_GT(after[0], seqs[1]);
}

TEST_F(DocStoreTest, RemoveDeletesSnapshotAndLog) {
  Bytes u = b({1});
  DocUpdate batch[] = {{"a", u}, {"b", u}};
  ASSERT_TRUE(store_->append_batch(batch));
  ASSERT_TRUE(store_->compact("a", u, kAllLogged));
  ASSERT_TRUE(store_->append_batch(std::span(batch, 1)));
  ASSERT_TRUE(store_->remove("a"));
  auto a = *store_->load("a");
  EXPECT_TRUE(a.snapshot.empty());
  EXPECT_TRUE(a.updates.empty());
  EXPECT_EQ(store_->load("b")->updates.size(), 1u);
}

TEST_F(DocStoreTest, SurvivesReopen) {
  Bytes u = b({5, 6});
  DocUpdate batch[] = {{"x", u}};
  ASSERT_TRUE(store_->append_batch(batch));
  store_.reset();
  db_.reset();
  auto db = Database::open(dir_.file("docs.db")).value();
  auto s = DocStore::open(*db).value();
  EXPECT_EQ(s->load("x")->updates, (std::vector<Bytes>{u}));
}

TEST_F(DocStoreTest, SeqsKeepGrowingAfterCompactionAndReopen) {
  Bytes u = b({1});
  DocUpdate batch[] = {{"x", u}, {"x", u}, {"x", u}};
  auto first = store_->append_batch(batch);
  ASSERT_TRUE(first);
  ASSERT_TRUE(store_->compact("x", b({9})));  // the whole log is gone, the snapshot covers it
  store_.reset();
  db_.reset();
  auto db = Database::open(dir_.file("docs.db")).value();
  auto s = DocStore::open(*db).value();
  DocUpdate next[] = {{"x", u}};
  auto second = s->append_batch(next);
  ASSERT_TRUE(second);
  EXPECT_GT((*second)[0], (*first)[2]) << "a seq is never reused";
}

// A database written by the first schema (doc_updates with AUTOINCREMENT) is migrated: its
// log moves to doc_log with the same seqs, and new seqs continue after them.
TEST(DocStoreMigration, LogOfTheFirstSchemaIsKept) {
  test::TempDir dir;
  auto db = Database::open(dir.file("old.db")).value();
  ASSERT_TRUE(db->migrate("docs", {DocStore::migrations()[0]}));
  ASSERT_TRUE(db->exec("INSERT INTO doc_updates(doc, data) VALUES ('d', x'01'), ('e', x'02'), ('d', x'03');"
                       "INSERT INTO doc_snapshots(doc, data, up_to_seq) VALUES ('f', x'07', 40);"));
  auto s = DocStore::open(*db);
  ASSERT_TRUE(s) << s.error().message;
  auto d = (*s)->load("d");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->updates, (std::vector<Bytes>{b({1}), b({3})}));
  EXPECT_EQ(d->last_seq, 3u);
  EXPECT_EQ((*s)->load("e")->updates, (std::vector<Bytes>{b({2})}));
  Bytes u = b({4});
  DocUpdate next[] = {{"d", u}};
  auto seq = (*s)->append_batch(next);
  ASSERT_TRUE(seq);
  EXPECT_EQ((*seq)[0], 41u) << "after every seq logged or covered by a snapshot";
  EXPECT_EQ((*s)->load("d")->updates.size(), 3u);
}

}  // namespace
}  // namespace mockloop::store
