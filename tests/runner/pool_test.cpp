// RunnerPool against the real mockloop-runner executable: runs answer through callbacks on
// slot threads, concurrent runs are independent, a missing executable answers with errors.
#include <gtest/gtest.h>

#include <future>
#include <unistd.h>

#include "runner/pool.hpp"

namespace mockloop::runner {
namespace {

PoolOptions options() {
  PoolOptions o;
  o.runner_path = MOCKLOOP_RUNNER_BIN;
  o.config.scratch = "/tmp/mockloop-pool-test-" + std::to_string(::getpid());
  o.config.limits.cpu_seconds = 1;
  o.config.limits.wall_ms = 2000;
  o.slots = 2;
  o.base_uid = 60110;
  return o;
}

Request python(std::string code, std::string in = "") {
  Request q;
  q.language = "python";
  q.code = std::move(code);
  q.cases = {{"t", std::move(in)}};
  return q;
}

TEST(Pool, ProbeAndRunThroughTheExecutable) {
  if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
  RunnerPool pool(options());
  Reply p = pool.probe();
  EXPECT_TRUE(p.sandbox_ok) << p.sandbox_reason;
  // A hostile run and a normal one at the same time: the normal one is unaffected.
  std::promise<Reply> slow, fast;
  ASSERT_TRUE(pool.submit(python("while True: pass\n"), [&](Reply r) { slow.set_value(std::move(r)); }));
  ASSERT_TRUE(pool.submit(python("print(input()[::-1])\n", "abc\n"), [&](Reply r) { fast.set_value(std::move(r)); }));
  Reply f = fast.get_future().get();
  ASSERT_EQ(f.cases.size(), 1u);
  EXPECT_EQ(f.cases[0].stdout_data, "cba\n");
  Reply s = slow.get_future().get();
  ASSERT_EQ(s.cases.size(), 1u);
  EXPECT_EQ(s.cases[0].verdict, Verdict::time_limit);
}

TEST(Pool, MissingExecutableAnswersWithAnError) {
  PoolOptions o = options();
  o.runner_path = "/nonexistent/mockloop-runner";
  RunnerPool pool(o);
  std::promise<Reply> done;
  ASSERT_TRUE(pool.submit(python("print(1)\n"), [&](Reply r) { done.set_value(std::move(r)); }));
  Reply r = done.get_future().get();
  EXPECT_TRUE(r.error);
  EXPECT_TRUE(r.cases.empty());
}

TEST(Pool, StopAnswersQueuedJobs) {
  PoolOptions o = options();
  o.slots = 1;
  RunnerPool pool(o);
  std::atomic<int> answered{0};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(pool.submit(python("print(1)\n"), [&](Reply) { ++answered; }));
  pool.stop();
  EXPECT_EQ(answered.load(), 3);
  EXPECT_FALSE(pool.submit(python("print(1)\n"), [](Reply) {}));
}

}  // namespace
}  // namespace mockloop::runner
