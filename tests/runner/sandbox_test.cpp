// Real code in the real sandbox (bwrap + seccomp + rlimits), through Runner, the code path
// of mockloop-runner. Hostile programs must end with the right verdict; the limits are
// lowered (1 s CPU, 2 s wall) so the suite stays fast. Skipped, with the reason, only when
// bwrap is not installed (the sandbox then refuses runs: RefusedSandbox covers that).
#include <gtest/gtest.h>

#include <sys/prctl.h>
#include <unistd.h>

#include "runner/exec.hpp"
#include "runner/runner.hpp"

namespace mockloop::runner {
namespace {

SandboxConfig test_config() {
  SandboxConfig c;
  // A uid of its own: ctest runs each test as its own process, two at a time, and
  // RLIMIT_NPROC counts per uid.
  c.uid = ::geteuid() == 0 ? 61000 + static_cast<uint32_t>(::getpid() % 4000) : 0;
  c.scratch = "/tmp/mockloop-runner-test-" + std::to_string(::getpid());
  c.limits.cpu_seconds = 1;
  c.limits.wall_ms = 2000;
  return c;
}

class Sandbox : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::access("/usr/bin/bwrap", X_OK) != 0) return;
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);  // as mockloop-runner does
    runner_ = new Runner(test_config());
  }
  static void TearDownTestSuite() {
    delete runner_;
    runner_ = nullptr;
  }
  void SetUp() override {
    if (!runner_) GTEST_SKIP() << "bubblewrap is not installed (scripts/install-deps.sh installs it)";
  }

  static CaseOutput run1(const std::string& lang, const std::string& code, const std::string& in = "") {
    Request q;
    q.language = lang;
    q.code = code;
    q.cases = {{"t", in}};
    Reply r = runner_->handle(q);
    EXPECT_FALSE(r.error) << *r.error;
    if (r.compile && r.compile->verdict != Verdict::ok) return *r.compile;
    EXPECT_EQ(r.cases.size(), 1u);
    return r.cases.empty() ? CaseOutput{} : r.cases[0];
  }

  static Runner* runner_;
};
Runner* Sandbox::runner_ = nullptr;

TEST_F(Sandbox, ProbeListsTheCiLanguagesAvailable) {
  Request q;
  q.op = Request::Op::probe;
  Reply r = runner_->handle(q);
  EXPECT_TRUE(r.sandbox_ok) << r.sandbox_reason;
  for (const auto& rt : r.runtimes) {
    if (rt.id == "python" || rt.id == "javascript" || rt.id == "cpp") {
      EXPECT_TRUE(rt.available) << rt.id << ": " << rt.reason;
      EXPECT_FALSE(rt.version.empty());
    } else if (rt.id == "java" && ::access("/usr/bin/javac", X_OK) == 0) {
      // Optional: works when Debian's JDK happens to be installed.
      EXPECT_TRUE(rt.available) << rt.reason;
      EXPECT_NE(rt.version.find("javac"), std::string::npos) << rt.version;
    } else {
      EXPECT_FALSE(rt.available);
      EXPECT_FALSE(rt.reason.empty());
    }
  }
}

// Java only where a JDK is installed (default-jdk-headless; not part of install-deps).
TEST_F(Sandbox, JavaCompilesAndRunsWhenInstalled) {
  if (::access("/usr/bin/javac", X_OK) != 0) GTEST_SKIP() << "no JDK installed (/usr/bin/javac)";
  Request q;
  q.language = "java";
  q.code = "import java.util.*;\npublic class Main {\n  public static void main(String[] a) {\n"
           "    Scanner s = new Scanner(System.in);\n    System.out.println(s.nextInt() * s.nextInt());\n  }\n}\n";
  q.cases = {{"a", "6 7\n"}, {"b", "3 5\n"}};
  Reply r = runner_->handle(q);
  ASSERT_FALSE(r.error) << *r.error;
  ASSERT_TRUE(r.compile);
  EXPECT_EQ(r.compile->verdict, Verdict::ok) << r.compile->stderr_data;
  ASSERT_EQ(r.cases.size(), 2u);
  EXPECT_EQ(r.cases[0].stdout_data, "42\n") << r.cases[0].stderr_data;
  EXPECT_EQ(r.cases[1].stdout_data, "15\n");
  // A compile error names Main.java's line.
  q.code = "public class Main {\n  public static void main(String[] a) { int x = ; }\n}\n";
  Reply bad = runner_->handle(q);
  ASSERT_TRUE(bad.compile);
  EXPECT_EQ(bad.compile->verdict, Verdict::compile_error);
  EXPECT_NE(bad.compile->stderr_data.find("Main.java:2"), std::string::npos) << bad.compile->stderr_data;
}

TEST_F(Sandbox, PythonReadsStdin) {
  auto c = run1("python", "a, b = map(int, input().split())\nprint(a + b)\n", "2 3\n");
  EXPECT_EQ(c.verdict, Verdict::ok) << c.stderr_data;
  EXPECT_EQ(c.stdout_data, "5\n");
}

TEST_F(Sandbox, JavaScriptReadsStdin) {
  auto c = run1("javascript",
                "const s = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
                "console.log(s[0] * s[1]);\n",
                "6 7\n");
  EXPECT_EQ(c.verdict, Verdict::ok) << c.stderr_data;
  EXPECT_EQ(c.stdout_data, "42\n");
}

TEST_F(Sandbox, CppCompilesAndRunsEachCase) {
  Request q;
  q.language = "cpp";
  q.code = "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a-b<<\"\\n\";}\n";
  q.cases = {{"one", "5 3\n"}, {"two", "1 4\n"}};
  Reply r = runner_->handle(q);
  ASSERT_TRUE(r.compile);
  EXPECT_EQ(r.compile->verdict, Verdict::ok) << r.compile->stderr_data;
  ASSERT_EQ(r.cases.size(), 2u);
  EXPECT_EQ(r.cases[0].stdout_data, "2\n");
  EXPECT_EQ(r.cases[1].stdout_data, "-3\n");
}

TEST_F(Sandbox, CppCompileErrorIsReportedWithTheLine) {
  auto c = run1("cpp", "int main() {\n  return x;\n}\n");
  EXPECT_EQ(c.verdict, Verdict::compile_error);
  EXPECT_NE(c.stderr_data.find("main.cpp:2:"), std::string::npos) << c.stderr_data;
}

TEST_F(Sandbox, RuntimeErrorAndExitCode) {
  auto c = run1("python", "import sys\nsys.exit(3)\n");
  EXPECT_EQ(c.verdict, Verdict::runtime_error);
  EXPECT_EQ(c.exit_code, 3);
}

TEST_F(Sandbox, InfiniteLoopHitsTheCpuLimit) {
  auto c = run1("python", "while True: pass\n");
  EXPECT_EQ(c.verdict, Verdict::time_limit) << "exit=" << c.exit_code << " sig=" << c.signal << " cpu=" << c.cpu_ms << " t=" << c.time_ms << " err=" << c.stderr_data;
  EXPECT_LT(c.time_ms, 2500u);
}

TEST_F(Sandbox, CppBusyThreadsHitTheCpuLimit) {
  auto c = run1("cpp",
                "#include <thread>\n#include <vector>\nint main(){std::vector<std::thread> v;"
                "for(int i=0;i<4;i++) v.emplace_back([]{for(volatile long x=0;;x++);});for(auto&t:v)t.join();}\n");
  EXPECT_EQ(c.verdict, Verdict::time_limit);
}

TEST_F(Sandbox, SleepPastTheWallLimitIsKilled) {
  auto c = run1("javascript", "setTimeout(() => console.log('late'), 60000);\n");
  EXPECT_EQ(c.verdict, Verdict::time_limit);
  EXPECT_EQ(c.stdout_data, "");
}

TEST_F(Sandbox, ForkBombIsStopped) {
  auto c = run1("python",
                "import os\nn = 0\n"
                "try:\n    while True:\n        os.fork(); n += 1\nexcept OSError as e:\n    print('refused', e.errno)\n"
                "    import time; time.sleep(0.2)\n");
  // Stopped: the forks were refused (each process sees EAGAIN and ends normally), or the
  // group was killed, or both.
  EXPECT_TRUE(c.verdict != Verdict::ok || c.stdout_data.find("refused") != std::string::npos)
      << c.stdout_data;
  EXPECT_LT(c.time_ms, 3000u);
  // The machine is fine afterwards: the next run works.
  EXPECT_EQ(run1("python", "print('after')\n").stdout_data, "after\n");
}

TEST_F(Sandbox, MemoryHogGetsMemoryLimit) {
  auto c = run1("python", "x = bytearray(600 * 1024 * 1024)\nprint(len(x))\n");
  EXPECT_EQ(c.verdict, Verdict::memory_limit) << c.stderr_data;
}

TEST_F(Sandbox, HugeOutputIsCutWithAMarker) {
  auto c = run1("python", "import sys\nwhile True: sys.stdout.write('x' * 65536)\n");
  EXPECT_EQ(c.verdict, Verdict::output_limit);
  EXPECT_TRUE(c.output_cut);
  EXPECT_LE(c.stdout_data.size(), 64u * 1024 + 100);
  EXPECT_NE(c.stdout_data.find("[output cut:"), std::string::npos);
}

TEST_F(Sandbox, NoNetworkAtAll) {
  auto c = run1("python",
                "import socket\n"
                "for fam, addr in [(socket.AF_INET, ('127.0.0.1', 8080)), (socket.AF_INET, ('1.1.1.1', 80)),"
                " (socket.AF_INET6, ('::1', 8080))]:\n"
                "    try:\n        s = socket.socket(fam, socket.SOCK_STREAM); s.settimeout(1); s.connect(addr); print('CONNECTED')\n"
                "    except OSError as e:\n        print('refused', e.errno)\n"
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); print('unix ok')\n");
  EXPECT_EQ(c.verdict, Verdict::ok) << c.stderr_data;
  EXPECT_EQ(c.stdout_data.find("CONNECTED"), std::string::npos) << c.stdout_data;
  EXPECT_NE(c.stdout_data.find("unix ok"), std::string::npos);
}

TEST_F(Sandbox, OnlyTmpIsWritableAndSmall) {
  auto c = run1("python",
                "import os\n"
                "for p in ['/usr/x', '/box/x', '/x', '/proc/x']:\n"
                "    try:\n        open(p, 'w').write('1'); print('WROTE', p)\n"
                "    except OSError as e:\n        print('refused', p)\n"
                "open('/tmp/ok', 'w').write('hi'); print('tmp ok')\n"
                "try:\n    open('/tmp/big', 'wb').write(b'x' * (2 << 20)); print('BIG')\n"
                "except OSError as e:\n    print('big refused', e.errno)\n");
  EXPECT_EQ(c.stdout_data.find("WROTE"), std::string::npos) << c.stdout_data;
  EXPECT_EQ(c.stdout_data.find("BIG"), std::string::npos) << c.stdout_data;
  EXPECT_NE(c.stdout_data.find("tmp ok"), std::string::npos) << c.stdout_data << c.stderr_data;
}

TEST_F(Sandbox, FillingTmpStopsAtTheTmpfsSize) {
  // Many files under the 1 MiB per-file limit: the 16 MiB tmpfs fills (ENOSPC).
  auto c = run1("python",
                "n = 0\ntry:\n    for i in range(64):\n        open('/tmp/f%d' % i, 'wb').write(b'x' * (1000 * 1000)); n += 1\n"
                "except OSError as e:\n    print('full', e.errno)\nprint(n)\n");
  EXPECT_NE(c.stdout_data.find("full 28"), std::string::npos) << c.stdout_data << c.stderr_data;
}

TEST_F(Sandbox, HostFilesAreInvisible) {
  auto c = run1("python",
                "import os\n"
                "for p in ['/work', '/etc/shadow', '/etc/passwd', '/root', '/var', '/home']:\n"
                "    print(p, os.path.exists(p))\n"
                "print('pids', sorted(int(d) for d in os.listdir('/proc') if d.isdigit()))\n"
                "print('env', sorted(os.environ))\n");
  EXPECT_EQ(c.stdout_data.find("True"), std::string::npos) << c.stdout_data;
  EXPECT_NE(c.stdout_data.find("pids [1, 2]"), std::string::npos) << c.stdout_data;
  EXPECT_NE(c.stdout_data.find("env ['HOME', 'LANG', 'PATH', 'PWD']"), std::string::npos) << c.stdout_data;
}

TEST_F(Sandbox, SeccompRefusesPtraceAndSignalsStayInside) {
  auto c = run1("python",
                "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                "r = libc.ptrace(0, 0, None, None)\nprint('ptrace', r, ctypes.get_errno())\n"
                "try:\n    os.kill(1, 9); print('killed init?')\nexcept OSError as e:\n    print('kill refused', e.errno)\n"
                "try:\n    os.kill(" + std::to_string(::getpid()) + ", 9)\nexcept OSError as e:\n    print('host pid', e.errno)\n");
  EXPECT_NE(c.stdout_data.find("ptrace -1 1"), std::string::npos) << c.stdout_data << c.stderr_data;
  EXPECT_NE(c.stdout_data.find("host pid"), std::string::npos) << c.stdout_data;
}

TEST_F(Sandbox, CannotCreateSetuidFiles) {
  auto c = run1("python",
                "import os\nopen('/tmp/s', 'w').close()\n"
                "try:\n    os.chown('/tmp/s', 0, 0); print('CHOWNED')\nexcept OSError as e:\n    print('chown refused', e.errno)\n"
                "os.chmod('/tmp/s', 0o4755)\nprint('uid', os.getuid())\n");
  EXPECT_EQ(c.stdout_data.find("CHOWNED"), std::string::npos) << c.stdout_data;
}

TEST(RefusedSandbox, MissingBwrapRefusesRunsWithTheReason) {
  SandboxConfig c = test_config();
  c.bwrap = "/nonexistent/bwrap";
  Runner r(c);
  Request probe;
  probe.op = Request::Op::probe;
  Reply p = r.handle(probe);
  EXPECT_FALSE(p.sandbox_ok);
  EXPECT_NE(p.sandbox_reason.find("/nonexistent/bwrap"), std::string::npos);
  for (const auto& rt : p.runtimes) EXPECT_FALSE(rt.available);
  Request q;
  q.language = "python";
  q.code = "print(1)";
  q.cases = {{"t", ""}};
  Reply run = r.handle(q);
  ASSERT_TRUE(run.error);
  EXPECT_NE(run.error->find("sandbox unavailable"), std::string::npos);
  EXPECT_TRUE(run.cases.empty());
}

TEST(Exec, CutMarkerNamesTheDroppedBytes) { EXPECT_EQ(cut_marker(10), "\n[output cut: 10 bytes not shown]\n"); }

}  // namespace
}  // namespace mockloop::runner
