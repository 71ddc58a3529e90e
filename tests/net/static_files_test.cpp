#include "net/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mockloop::net {
namespace {
namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("mockloop_static_" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "site" / "assets");
    write(base_ / "site" / "index.html", "<html></html>");
    write(base_ / "site" / "assets" / "app-1234.js", "x");
    write(base_ / "site" / "logo.svg", "<svg/>");
    write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "site" / "leak.txt");
    fs::create_directory_symlink(base_, base_ / "site" / "up");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  fs::path base_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCacheHeaders) {
  StaticFiles files((base_ / "site").string());
  auto js = files.resolve("/assets/app-1234.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js->cache_control.find("immutable"), std::string::npos);
  EXPECT_EQ(js->size, 1u);
  EXPECT_FALSE(js->etag.empty());
  auto svg = files.resolve("/logo.svg");
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->content_type, "image/svg+xml");
  auto root = files.resolve("/");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(root->cache_control, "no-cache");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndexButMissingAssetsAre404) {
  StaticFiles files((base_ / "site").string());
  auto route = files.resolve("/room/abc");
  ASSERT_TRUE(route.ok());
  EXPECT_NE(route->fs_path.find("index.html"), std::string::npos);
  auto missing = files.resolve("/assets/missing.js");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_F(StaticFilesTest, RefusesEveryTraversalForm) {
  StaticFiles files((base_ / "site").string());
  // Paths arrive percent-decoded: "%2e%2e" is already "..".
  for (const char* p : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/..", "/assets/..",
                        "/a\\..\\secret.txt", "relative.txt", ""}) {
    auto r = files.resolve(p);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, Errc::invalid_argument) << p;
  }
  std::string decoded;
  ASSERT_TRUE(url_decode("/%2e%2e/secret.txt", decoded));
  EXPECT_EQ(files.resolve(decoded).error().code, Errc::invalid_argument);
  ASSERT_TRUE(url_decode("/%2E%2E%2Fsecret.txt", decoded));
  EXPECT_FALSE(files.resolve(decoded).ok());
  std::string with_nul("/index.html\0x", 13);
  EXPECT_FALSE(files.resolve(with_nul).ok());
}

TEST_F(StaticFilesTest, RefusesSymlinksOutOfTheRoot) {
  StaticFiles files((base_ / "site").string());
  auto leak = files.resolve("/leak.txt");
  ASSERT_FALSE(leak.ok());
  EXPECT_EQ(leak.error().code, Errc::forbidden);
  auto up = files.resolve("/up/secret.txt");
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().code, Errc::forbidden);
}

TEST_F(StaticFilesTest, AbsolutePathsStayInsideTheRoot) {
  StaticFiles files((base_ / "site").string());
  auto r = files.resolve("//etc/passwd");
  EXPECT_FALSE(r.ok() && r->fs_path == "/etc/passwd");
  if (r.ok()) {
    EXPECT_EQ(r->fs_path.rfind((base_ / "site").string(), 0), 0u);
  }
}

TEST(UrlDecode, DecodesAndRejectsMalformedEscapes) {
  std::string out;
  ASSERT_TRUE(url_decode("/a%20b%2Fc", out));
  EXPECT_EQ(out, "/a b/c");
  EXPECT_FALSE(url_decode("/bad%2", out));
  EXPECT_FALSE(url_decode("/bad%zz", out));
  ASSERT_TRUE(url_decode("a+b", out, true));
  EXPECT_EQ(out, "a b");
}

}  // namespace
}  // namespace mockloop::net
