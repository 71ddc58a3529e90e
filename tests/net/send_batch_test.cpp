// SendBatcher: many sockets written in one io_uring submission. Each job's result is what
// a non-blocking sendmsg would have returned for it (bytes, or -errno), and the peers read
// exactly the bytes of their own job.
#include "net/send_batch.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

namespace mockloop::net {
namespace {

struct Pair {
  int mine = -1, peer = -1;
  Pair() {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0) {
      mine = fds[0];
      peer = fds[1];
    }
  }
  ~Pair() {
    if (mine >= 0) close(mine);
    if (peer >= 0) close(peer);
  }
  std::string read_all() const {
    std::string out;
    char buf[65536];
    for (;;) {
      ssize_t n = read(peer, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
};

#define REQUIRE_BATCHER(b)                                                                     \
  auto* b = SendBatcher::for_this_thread();                                                    \
  if (b == nullptr) GTEST_SKIP() << "io_uring unavailable here: " << SendBatcher::unavailable_reason()

// Each job gathers two pieces (as a WebSocket header and payload).
struct Job {
  std::string head, body;
  iovec iov[2];
  SendJob job;
  Job(int fd, std::string h, std::string b) : head(std::move(h)), body(std::move(b)) {
    iov[0] = {head.data(), head.size()};
    iov[1] = {body.data(), body.size()};
    job.fd = fd;
    job.msg.msg_iov = iov;
    job.msg.msg_iovlen = 2;
  }
};

TEST(SendBatch, DisabledMeansNoBatcher) { EXPECT_EQ(SendBatcher::for_this_thread(false), nullptr); }

TEST(SendBatch, EveryPeerReadsExactlyItsOwnGatheredBytes) {
  REQUIRE_BATCHER(b);
  // More jobs than one ring holds: they take several submissions.
  const std::size_t n = SendBatcher::kRingEntries + 44;
  std::vector<Pair> pairs(n);
  std::vector<Job> jobs;
  jobs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_GE(pairs[i].mine, 0);
    jobs.emplace_back(pairs[i].mine, "h" + std::to_string(i) + ":", std::string(i % 50 + 1, static_cast<char>('a' + i % 26)));
  }
  std::vector<SendJob> sj;
  for (auto& j : jobs) sj.push_back(j.job);
  b->send_all(sj);
  for (std::size_t i = 0; i < n; ++i) {
    std::string want = jobs[i].head + jobs[i].body;
    EXPECT_EQ(sj[i].result, static_cast<ssize_t>(want.size())) << "job " << i;
    EXPECT_EQ(pairs[i].read_all(), want) << "job " << i;
  }
}

TEST(SendBatch, AFullSocketReportsAPartialWriteOrEagainAndTheOthersAreWritten) {
  REQUIRE_BATCHER(b);
  Pair full, ok1, ok2;
  int small = 4096;
  ASSERT_EQ(setsockopt(full.mine, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
  std::string filler(4096, 'f');
  std::size_t queued = 0;
  for (;;) {  // fill the socket until it refuses
    ssize_t w = write(full.mine, filler.data(), filler.size());
    if (w <= 0) break;
    queued += static_cast<std::size_t>(w);
  }
  ASSERT_EQ(errno, EAGAIN);
  std::string big(256 * 1024, 'x');
  std::vector<Job> jobs;
  jobs.reserve(3);
  jobs.emplace_back(ok1.mine, "1", "one");
  jobs.emplace_back(full.mine, "F", big);
  jobs.emplace_back(ok2.mine, "2", "two");
  std::vector<SendJob> sj{jobs[0].job, jobs[1].job, jobs[2].job};
  b->send_all(sj);
  EXPECT_EQ(sj[0].result, 4);
  EXPECT_EQ(sj[2].result, 4);
  EXPECT_TRUE(sj[1].result == -EAGAIN || (sj[1].result > 0 && sj[1].result < static_cast<ssize_t>(big.size() + 1)))
      << "result " << sj[1].result;
  EXPECT_EQ(ok1.read_all(), "1one");
  EXPECT_EQ(ok2.read_all(), "2two");
  // The full socket got the filler and then exactly the prefix the result claims.
  std::string got = full.read_all();
  std::size_t extra = sj[1].result > 0 ? static_cast<std::size_t>(sj[1].result) : 0;
  ASSERT_EQ(got.size(), queued + extra);
  EXPECT_EQ(got.substr(queued), ("F" + big).substr(0, extra));
}

TEST(SendBatch, AClosedPeerOrABadDescriptorFailsOnlyItsOwnJobWithoutSigpipe) {
  REQUIRE_BATCHER(b);
  Pair gone, ok;
  close(gone.peer);
  gone.peer = -1;
  int bad = open("/dev/null", O_RDONLY);
  ASSERT_GE(bad, 0);
  close(bad);  // a descriptor number that is now closed
  std::vector<Job> jobs;
  jobs.reserve(3);
  jobs.emplace_back(gone.mine, "g", "one");
  jobs.emplace_back(bad, "b", "two");
  jobs.emplace_back(ok.mine, "o", "three");
  std::vector<SendJob> sj{jobs[0].job, jobs[1].job, jobs[2].job};
  b->send_all(sj);  // a SIGPIPE would end the test binary here
  EXPECT_EQ(sj[0].result, -EPIPE);
  EXPECT_EQ(sj[1].result, -EBADF);
  EXPECT_EQ(sj[2].result, 6);
  EXPECT_EQ(ok.read_all(), "othree");
}

TEST(SendBatch, AnEmptyBatchDoesNothing) {
  REQUIRE_BATCHER(b);
  std::vector<SendJob> none;
  b->send_all(none);
  Pair p;
  Job j(p.mine, "a", "b");
  std::vector<SendJob> one{j.job};
  b->send_all(one);  // the ring is usable after an empty batch
  EXPECT_EQ(one[0].result, 2);
  EXPECT_EQ(p.read_all(), "ab");
}

}  // namespace
}  // namespace mockloop::net
