// check_database_file and quick_check: an existing file that is empty, not SQLite or damaged
// is refused naming the file and the problem; a good one passes.
#include "store/database_check.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(DatabaseCheck, RefusesAnEmptyFileNamingIt) {
  test::TempDir dir;
  const auto path = dir.file("zero.db");
  write_file(path, "");
  auto r = check_database_file(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::db_unusable);
  EXPECT_NE(r.error().message.find(path), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("empty (0 bytes)"), std::string::npos) << r.error().message;
}

TEST(DatabaseCheck, RefusesAFileThatIsNotSqliteOrNotAFile) {
  test::TempDir dir;
  const auto path = dir.file("text.db");
  write_file(path, "hello, this is not a database at all");
  auto r = check_database_file(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a SQLite database"), std::string::npos) << r.error().message;
  auto d = check_database_file(dir.file(""));
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("not a regular file"), std::string::npos) << d.error().message;
  auto missing = check_database_file(dir.file("missing.db"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot be read"), std::string::npos) << missing.error().message;
}

TEST(DatabaseCheck, AcceptsADatabaseAndItsQuickCheckPasses) {
  test::TempDir dir;
  const auto path = dir.file("good.db");
  {
    auto db = Database::open(path).value();
    ASSERT_TRUE(db->exec("CREATE TABLE t(x); INSERT INTO t VALUES (1);"));
    auto q = quick_check(*db);
    EXPECT_TRUE(q) << q.error().message;
  }
  EXPECT_TRUE(check_database_file(path));
}

TEST(DatabaseCheck, QuickCheckNamesTheFileAndTheFirstProblem) {
  test::TempDir dir;
  const auto path = dir.file("bad.db");
  {
    DatabaseOptions o;
    auto db = Database::open(path, o).value();
    ASSERT_TRUE(db->exec("PRAGMA journal_mode=DELETE; CREATE TABLE t(x PRIMARY KEY, y);"));
    ASSERT_TRUE(db->exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                         "INSERT INTO t SELECT i, randomblob(200) FROM n;"));
  }
  // Overwrite the middle of the file (b-tree pages of the table) with garbage.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(8 * 1024);
    std::string junk(4 * 1024, '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  EXPECT_TRUE(check_database_file(path));  // the header is intact
  auto db = Database::open(path);
  ASSERT_TRUE(db) << db.error().message;
  auto q = quick_check(**db);
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, Errc::db_corrupt);
  EXPECT_NE(q.error().message.find(path), std::string::npos) << q.error().message;
  EXPECT_NE(q.error().message.find("quick_check): "), std::string::npos) << q.error().message;
}

TEST(DatabaseCheck, CreateMakesAValidEmptyDatabaseOnlyWhereThereIsNone) {
  test::TempDir dir;
  const auto path = dir.file("new.db");
  auto made = create_database_file(path, DatabaseOptions{});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(*made);
  EXPECT_TRUE(check_database_file(path)) << "a new database must never be an empty file";
  EXPECT_FALSE(std::filesystem::exists(path + ".new-" + std::to_string(::getpid())));
  auto again = create_database_file(path, DatabaseOptions{});
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  const auto zero = dir.file("zero.db");
  write_file(zero, "");
  EXPECT_FALSE(create_database_file(zero, DatabaseOptions{}).value()) << "an existing file is left alone";
  EXPECT_EQ(std::filesystem::file_size(zero), 0u);
  const auto dangling = dir.file("dangling.db");
  std::filesystem::create_symlink(dir.file("unmounted/real.db"), dangling);
  auto d = create_database_file(dangling, DatabaseOptions{});
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("symbolic link to a missing file"), std::string::npos) << d.error().message;
}

}  // namespace
}  // namespace mockloop::store
