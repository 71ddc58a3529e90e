// The connections the process opens: decisions (scorecards, loop changes) always commit with
// synchronous=FULL (2), documents with NORMAL (1) unless --sync full; and the start-up lock
// and checks refuse what they must, naming the file.
#include "app/database_setup.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/statement.hpp"

namespace mockloop::app {
namespace {

struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mockloop-app-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::filesystem::path path;
};

int64_t synchronous_of(const std::string& path, const store::DatabaseOptions& o) {
  auto db = store::Database::open(path, o).value();
  auto st = db->prepare("PRAGMA synchronous").value();
  EXPECT_TRUE(st.step().value());
  return st.column_int64(0);
}

Options parse(std::vector<std::string> args) { return parse_options(args).value(); }

TEST(DatabaseSetup, DecisionsAreAlwaysFullDocumentsFollowSync) {
  TempDir dir;
  const auto db = dir.file("a.db");
  Options normal = parse({});
  Options full = parse({"--sync", "full"});
  EXPECT_EQ(synchronous_of(db, database_options(normal, DbUse::decisions)), 2);
  EXPECT_EQ(synchronous_of(db, database_options(full, DbUse::decisions)), 2);
  EXPECT_EQ(synchronous_of(db, database_options(normal, DbUse::documents)), 1);
  EXPECT_EQ(synchronous_of(db, database_options(full, DbUse::documents)), 2);
  EXPECT_FALSE(parse_options({"--sync", "sometimes"}));
}

TEST(DatabaseSetup, ANewPathIsCreatedAndAnEmptyExistingFileIsRefused) {
  TempDir dir;
  Options o = parse({"--db", dir.file("new.db")});
  {
    auto lock = lock_and_check_database(o);
    ASSERT_TRUE(lock) << lock.error().message;
  }
  o.db_path = dir.file("zero.db");
  std::ofstream(o.db_path).close();
  auto r = lock_and_check_database(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(o.db_path), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("empty"), std::string::npos) << r.error().message;
}

TEST(DatabaseSetup, QuickCheckRunsUnlessSkipped) {
  TempDir dir;
  Options o = parse({"--db", dir.file("bad.db")});
  {
    auto db = store::Database::open(o.db_path).value();
    ASSERT_TRUE(db->exec("PRAGMA journal_mode=DELETE; CREATE TABLE t(x PRIMARY KEY, y);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                         "INSERT INTO t SELECT i, randomblob(200) FROM n;"));
  }
  {
    std::fstream f(o.db_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(8 * 1024);
    std::string junk(4 * 1024, '\xA5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto r = lock_and_check_database(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("integrity check"), std::string::npos) << r.error().message;
  o.check_db = false;  // --skip-db-check
  EXPECT_TRUE(parse({"--skip-db-check"}).check_db == false);
  EXPECT_TRUE(lock_and_check_database(o));
}

}  // namespace
}  // namespace mockloop::app
