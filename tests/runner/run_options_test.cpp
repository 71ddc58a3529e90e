// Per-run options of the runner protocol: a question's own CPU limit (content's
// cpuSeconds) tightens the runner's and never widens it, and streaming delivers stdout in
// pieces, in order, before the reply - through Runner and through the pool's executable.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <sys/prctl.h>
#include <unistd.h>

#include "runner/pool.hpp"
#include "runner/runner.hpp"

namespace mockloop::runner {
namespace {

// Burns `cpu` seconds of CPU time (not wall time: a loaded machine changes nothing).
std::string burn(double cpu) {
  return "import time\nt = time.process_time()\nwhile time.process_time() - t < " + std::to_string(cpu) +
         ":\n    pass\nprint('done')\n";
}

const char* kTicker = "import time\nfor i in range(4):\n    print('line', i, flush=True)\n    time.sleep(0.3)\n";

SandboxConfig config(uint32_t cpu_seconds) {
  SandboxConfig c;
  c.uid = ::geteuid() == 0 ? 60130 : 0;
  c.scratch = "/tmp/mockloop-run-options-test-" + std::to_string(::getpid());
  c.limits.cpu_seconds = cpu_seconds;
  c.limits.wall_ms = 30000;  // generous: only the CPU limit may stop these programs
  return c;
}

Request python(std::string code, uint32_t cpu_seconds = 0, bool stream = false) {
  Request q;
  q.language = "python";
  q.code = std::move(code);
  q.cases = {{"t", ""}};
  q.cpu_seconds = cpu_seconds;
  q.stream = stream;
  return q;
}

class RunOptions : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  }
};

TEST_F(RunOptions, QuestionCpuLimitTightensTheServersLimit) {
  Runner runner(config(3));
  // 1.6 s of CPU: fine under the server's 3 s, a time limit under a question's 1 s.
  Reply wide = runner.handle(python(burn(1.6)));
  ASSERT_EQ(wide.cases.size(), 1u);
  EXPECT_EQ(wide.cases[0].verdict, Verdict::ok) << wide.cases[0].stderr_data;
  Reply tight = runner.handle(python(burn(1.6), 1));
  ASSERT_EQ(tight.cases.size(), 1u);
  EXPECT_EQ(tight.cases[0].verdict, Verdict::time_limit);
}

TEST_F(RunOptions, QuestionCannotWidenTheServersLimit) {
  Runner runner(config(1));
  Reply r = runner.handle(python(burn(1.6), 3));
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases[0].verdict, Verdict::time_limit);
}

TEST_F(RunOptions, StreamingSendsStdoutInOrderBeforeTheReply) {
  Runner runner(config(3));
  std::vector<Progress> pieces;
  Reply r = runner.handle(python(kTicker, 0, true), [&](const Progress& p) { pieces.push_back(p); });
  ASSERT_EQ(r.cases.size(), 1u);
  EXPECT_GE(pieces.size(), 2u);  // the program sleeps between lines: more than one piece
  std::string joined;
  for (const auto& p : pieces) {
    EXPECT_EQ(p.case_name, "t");
    joined += p.stdout_chunk;
  }
  EXPECT_EQ(joined, r.cases[0].stdout_data);
  // Without `stream` nothing is sent early.
  pieces.clear();
  runner.handle(python("print(1)\n"), [&](const Progress& p) { pieces.push_back(p); });
  EXPECT_TRUE(pieces.empty());
}

TEST_F(RunOptions, StreamingCrossesThePoolBeforeDone) {
  PoolOptions o;
  o.runner_path = MOCKLOOP_RUNNER_BIN;
  o.config = config(3);
  o.slots = 1;
  o.base_uid = 60131;
  RunnerPool pool(o);
  std::mutex mu;
  std::string joined;
  size_t pieces = 0;
  std::promise<std::pair<Reply, size_t>> done;
  ASSERT_TRUE(pool.submit(
      python(kTicker, 0, true),
      [&](Reply r) {
        std::lock_guard lock(mu);
        done.set_value({std::move(r), pieces});
      },
      [&](Progress p) {
        std::lock_guard lock(mu);
        ++pieces;
        joined += p.stdout_chunk;
      }));
  auto [reply, pieces_before_done] = done.get_future().get();
  ASSERT_EQ(reply.cases.size(), 1u);
  EXPECT_GE(pieces_before_done, 2u);
  std::lock_guard lock(mu);
  EXPECT_EQ(joined, reply.cases[0].stdout_data);
}

TEST(ProtocolProgress, RoundTripAndRepliesAreNotProgress) {
  auto p = decode_progress(encode_progress({7, "sample 1", "ab\n"}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, 7u);
  EXPECT_EQ(p->case_name, "sample 1");
  EXPECT_EQ(p->stdout_chunk, "ab\n");
  Reply r;
  r.id = 7;
  r.cases.push_back({"progress", Verdict::ok, 0, 0, 0, 0, 0, "\"progress\":", "", false});
  EXPECT_FALSE(decode_progress(encode_reply(r)));
  Request q = python("x", 2, true);
  auto d = decode_request(encode_request(q));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->cpu_seconds, 2u);
  EXPECT_TRUE(d->stream);
}

}  // namespace
}  // namespace mockloop::runner
