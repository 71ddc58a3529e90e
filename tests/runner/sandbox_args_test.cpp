// The bwrap command line: every namespace, no host paths but /usr, tmpfs size, seccomp fd.
#include <gtest/gtest.h>

#include <algorithm>

#include "runner/languages.hpp"
#include "runner/sandbox_args.hpp"
#include "runner/seccomp_filter.hpp"

namespace mockloop::runner {
namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}

TEST(SandboxArgs, UnsharesEverythingAndBindsOnlyUsr) {
  SandboxCall c;
  c.box_dir = "/tmp/box1";
  c.seccomp_fd = 3;
  c.tmpfs_mib = 16;
  c.argv = {"/usr/bin/python3", "main.py"};
  auto a = bwrap_argv(c);
  EXPECT_EQ(a.front(), "/usr/bin/bwrap");
  for (const char* f : {"--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--clearenv"})
    EXPECT_TRUE(has(a, f)) << f;
  EXPECT_FALSE(has(a, "--share-net"));
  EXPECT_FALSE(has(a, "--bind"));  // only the compile step binds /box writable
  // Host paths mounted: /usr (read-only) and the run's own folder (read-only), nothing else.
  std::vector<std::string> sources;
  for (size_t i = 0; i + 1 < a.size(); ++i)
    if (a[i] == "--ro-bind" || a[i] == "--bind") sources.push_back(a[i + 1]);
  EXPECT_EQ(sources, (std::vector<std::string>{"/usr", "/tmp/box1"}));
  auto size = index_of(a, "--size");
  ASSERT_LT(size + 3, a.size());
  EXPECT_EQ(a[size + 1], std::to_string(16u << 20));
  EXPECT_EQ(a[size + 2], "--tmpfs");
  EXPECT_EQ(a[index_of(a, "--seccomp") + 1], "3");
  // The command comes after "--", last.
  auto dd = index_of(a, "--");
  EXPECT_EQ(std::vector<std::string>(a.begin() + static_cast<long>(dd) + 1, a.end()), c.argv);
}

TEST(SandboxArgs, CompileStepBindsBoxWritable) {
  SandboxCall c;
  c.box_dir = "/tmp/box2";
  c.box_writable = true;
  auto a = bwrap_argv(c);
  EXPECT_EQ(a[index_of(a, "--bind") + 1], "/tmp/box2");
  EXPECT_FALSE(has(a, "--seccomp"));
}

TEST(Languages, TableListsUnavailableOnesWithAReason) {
  for (const char* id : {"python", "javascript", "cpp"}) {
    const Language* l = find_language(id);
    ASSERT_TRUE(l) << id;
    EXPECT_TRUE(l->supported);
  }
  const Language* go = find_language("go");
  ASSERT_TRUE(go);
  EXPECT_FALSE(go->supported);
  EXPECT_FALSE(go->unsupported_reason.empty());
  // Java is listed; when a JDK is installed its real paths (not /etc/alternatives) are used
  // and its heap follows the memory limit.
  const Language* java = find_language("java");
  ASSERT_TRUE(java);
  if (java->toolchain != "/usr/bin/javac") {
    EXPECT_EQ(java->toolchain.rfind("/usr/", 0), 0u) << java->toolchain;
    auto argv = run_argv(*java, RunLimits{});
    EXPECT_NE(std::find(argv.begin(), argv.end(), "-Xmx256m"), argv.end());
  }
  EXPECT_EQ(find_language("cobol"), nullptr);
  RunLimits lim;
  EXPECT_EQ(address_space_bytes(*find_language("python"), lim), 256ull << 20);
  EXPECT_GE(address_space_bytes(*find_language("javascript"), lim), 1024ull << 20);
}

TEST(Seccomp, ExportsAProgram) {
  auto fd = seccomp_program_fd();
  ASSERT_TRUE(fd) << fd.error().message;
  char buf[8];
  EXPECT_EQ(::read(*fd, buf, sizeof buf), 8);  // at least one BPF instruction
  ::close(*fd);
  EXPECT_TRUE(std::find(refused_syscalls().begin(), refused_syscalls().end(), "ptrace") != refused_syscalls().end());
}

}  // namespace
}  // namespace mockloop::runner
