#include "runner/cgroup_probe.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace mockloop::runner {
namespace {

namespace fs = std::filesystem;

struct Tree {
  fs::path dir = fs::temp_directory_path() / ("cgroup-probe-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Tree() { fs::create_directories(dir); }
  ~Tree() { fs::remove_all(dir); }
  void write(const fs::path& rel, const std::string& text) {
    fs::create_directories((dir / rel).parent_path());
    std::ofstream(dir / rel) << text;
  }
};

TEST(CgroupProbe, NoCgroupFilesystemSaysSo) {
  Tree t;
  t.write("self", "0::/\n");
  auto s = probe_cgroup((t.dir / "none").string(), (t.dir / "self").string());
  EXPECT_EQ(s.version, "");
  EXPECT_FALSE(s.delegated);
  EXPECT_FALSE(s.applied);
  EXPECT_NE(s.reason.find("no cgroup filesystem"), std::string::npos) << s.reason;
}

TEST(CgroupProbe, V2WithoutTheControllersIsNotDelegated) {
  Tree t;
  t.write("root/cgroup.controllers", "cpu io memory pids\n");
  t.write("root/job/cgroup.controllers", "cpu\n");
  t.write("root/job/cgroup.subtree_control", "");
  t.write("self", "0::/job\n");
  auto s = probe_cgroup((t.dir / "root").string(), (t.dir / "self").string());
  EXPECT_EQ(s.version, "v2");
  EXPECT_FALSE(s.delegated);
  EXPECT_NE(s.reason.find("without a memory+pids subtree"), std::string::npos) << s.reason;
}

TEST(CgroupProbe, V2WithAWritableSubtreeIsDelegatedButNotAppliedYet) {
  Tree t;
  t.write("root/cgroup.controllers", "cpu io memory pids\n");
  t.write("root/job/cgroup.controllers", "memory pids\n");
  t.write("root/job/cgroup.subtree_control", "");
  t.write("self", "0::/job\n");
  auto s = probe_cgroup((t.dir / "root").string(), (t.dir / "self").string());
  EXPECT_EQ(s.version, "v2");
  EXPECT_TRUE(s.delegated);  // the test's own files are writable
  EXPECT_FALSE(s.applied);
  EXPECT_NE(s.reason.find("does not use it yet"), std::string::npos) << s.reason;
}

TEST(CgroupProbe, V1FindsTheMemoryAndPidsHierarchies) {
  Tree t;
  t.write("root/memory/box/memory.limit_in_bytes", "0");
  t.write("root/pids/pids.max", "max");
  t.write("self", "8:pids:/\n4:memory:/box\n0::/\n");
  auto s = probe_cgroup((t.dir / "root").string(), (t.dir / "self").string());
  EXPECT_EQ(s.version, "v1");
  EXPECT_TRUE(s.delegated);
}

}  // namespace
}  // namespace mockloop::runner
