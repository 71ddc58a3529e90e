// Finding the content folder and web client relative to the binary (app/install_paths.hpp).
#include "app/install_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace mockloop::app {
namespace {

namespace fs = std::filesystem;

struct TempTree {
  fs::path root = fs::temp_directory_path() / ("mockloop-paths-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempTree() { fs::create_directories(root); }
  ~TempTree() { fs::remove_all(root); }
  void dir(const std::string& rel) { fs::create_directories(root / rel); }
  void file(const std::string& rel) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << "x";
  }
};

TEST(InstallPaths, FindsTheInstalledPrefixFirst) {
  TempTree t;
  t.dir("usr/share/mockloop/content/templates");
  t.file("usr/share/mockloop/web/index.html");
  t.dir("usr/bin/content/templates");
  Options o;
  ASSERT_TRUE(resolve_install_paths(o, (t.root / "usr/bin/mockloop").string()).ok());
  EXPECT_EQ(o.content_dir, (t.root / "usr/share/mockloop/content").string());
  EXPECT_EQ(o.net.static_dir, (t.root / "usr/share/mockloop/web").string());
}

TEST(InstallPaths, FindsACheckoutAboveItsBuild) {
  TempTree t;
  t.dir("repo/content/templates");
  t.file("repo/client-web/dist/index.html");
  Options o;
  ASSERT_TRUE(resolve_install_paths(o, (t.root / "repo/build/server/app/mockloop").string()).ok());
  EXPECT_EQ(o.content_dir, (t.root / "repo/content").string());
  EXPECT_EQ(o.net.static_dir, (t.root / "repo/client-web/dist").string());
}

TEST(InstallPaths, GivenPathsWinAndAreChecked) {
  TempTree t;
  t.dir("usr/share/mockloop/content/templates");
  t.dir("elsewhere/templates");
  Options o;
  o.content_dir = (t.root / "elsewhere").string();
  o.content_dir_given = true;
  o.static_dir_given = true;
  ASSERT_TRUE(resolve_install_paths(o, (t.root / "usr/bin/mockloop").string()).ok());
  EXPECT_EQ(o.content_dir, (t.root / "elsewhere").string());
  EXPECT_TRUE(o.net.static_dir.empty());

  Options bad;
  bad.content_dir = (t.root / "nothing-here").string();
  bad.content_dir_given = true;
  auto r = resolve_install_paths(bad, (t.root / "usr/bin/mockloop").string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nothing-here"), std::string::npos);
}

TEST(InstallPaths, NamesEveryPathTriedWhenNothingIsFound) {
  TempTree t;
  fs::path cwd = fs::current_path();
  fs::current_path(t.root);  // no ./content here
  Options o;
  auto r = resolve_install_paths(o, (t.root / "opt/x/bin/mockloop").string());
  fs::current_path(cwd);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find((t.root / "opt/x/share/mockloop/content").string()), std::string::npos);
  EXPECT_NE(r.error().message.find("./content"), std::string::npos);
  EXPECT_NE(r.error().message.find("--content-dir"), std::string::npos);
}

}  // namespace
}  // namespace mockloop::app
