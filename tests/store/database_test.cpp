#include "store/database.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

TEST(Database, OpensInWalModeWithNormalSync) {
  test::TempDir dir;
  auto db = Database::open(dir.file("a.db"));
  ASSERT_TRUE(db) << db.error().message;
  auto stmt = (*db)->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(stmt);
  ASSERT_TRUE(*stmt->step());
  EXPECT_EQ(stmt->column_text(0), "wal");
  auto sync = (*db)->prepare("PRAGMA synchronous");
  ASSERT_TRUE(*sync->step());
  EXPECT_EQ(sync->column_int64(0), 1);  // NORMAL
}

int64_t page_size(Database& db) {
  auto st = db.prepare("PRAGMA page_size");
  EXPECT_TRUE(st);
  EXPECT_TRUE(*st->step());
  return st->column_int64(0);
}

TEST(Database, ANewFileGetsSmallPagesAndAnExistingOneKeepsItsOwn) {
  test::TempDir dir;
  {
    auto db = Database::open(dir.file("new.db")).value();
    ASSERT_TRUE(db->exec("CREATE TABLE t(x)"));
    EXPECT_EQ(page_size(*db), 1024);
  }
  EXPECT_EQ(page_size(*Database::open(dir.file("new.db")).value()), 1024);  // reopened
  {
    DatabaseOptions big;
    big.page_size = 4096;  // a file made with SQLite's default, as before
    auto db = Database::open(dir.file("old.db"), big).value();
    ASSERT_TRUE(db->exec("CREATE TABLE t(x)"));
  }
  auto db = Database::open(dir.file("old.db")).value();
  EXPECT_EQ(page_size(*db), 4096);
  ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1)"));  // and stays usable
}

TEST(Database, MigrateAppliesMissingStepsOncePerComponent) {
  test::TempDir dir;
  auto db = Database::open(dir.file("m.db")).value();
  std::vector<std::string> v1 = {"CREATE TABLE a(x INTEGER)"};
  ASSERT_TRUE(db->migrate("loop", v1));
  ASSERT_TRUE(db->migrate("loop", v1));  // idempotent
  EXPECT_EQ(*db->schema_version("loop"), 1);
  std::vector<std::string> v2 = {v1[0], "ALTER TABLE a ADD COLUMN y TEXT"};
  ASSERT_TRUE(db->migrate("loop", v2));
  EXPECT_EQ(*db->schema_version("loop"), 2);
  // Components are independent.
  ASSERT_TRUE(db->migrate("other", {"CREATE TABLE b(x)"}));
  EXPECT_EQ(*db->schema_version("other"), 1);
  EXPECT_EQ(*db->schema_version("loop"), 2);
  // An older binary refuses a newer schema.
  auto old = db->migrate("loop", v1);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, Errc::schema_too_new);
}

TEST(Database, FailedStepRollsBackAndKeepsVersion) {
  test::TempDir dir;
  auto db = Database::open(dir.file("f.db")).value();
  std::vector<std::string> steps = {"CREATE TABLE a(x)", "CREATE TABLE c(x); CREATE TABLE a(x)"};
  auto r = db->migrate("loop", steps);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::migration_failed);
  EXPECT_EQ(*db->schema_version("loop"), 1);
  // Table c from the failed step was rolled back with it.
  EXPECT_FALSE(db->exec("SELECT * FROM c"));
}

}  // namespace
}  // namespace mockloop::store
