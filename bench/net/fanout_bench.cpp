// Fan-out cost: one 40-byte message written to 49 loopback TCP connections (a (b) broadcast
// of the room benchmark), one sendmsg per connection vs net::SendBatcher (one io_uring
// submission). Two receiver processes read, as the load generator's two workers do. Prints,
// per mode, the median over several sets of the sender's CPU time and wall time per fan-out.
// Usage: fanout_bench [rounds per set, default 2000] [sets, default 6]
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "net/send_batch.hpp"

namespace {

constexpr int kReceivers = 49;
constexpr int kProcs = 2;

double cpu_us() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

[[noreturn]] void receive(const sockaddr_in& at, int n) {
  int ep = epoll_create1(0);
  int one = 1;
  for (int i = 0; i < n; ++i) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connect(c, reinterpret_cast<const sockaddr*>(&at), sizeof at);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.fd = c;
    epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
  }
  static char buf[65536];
  epoll_event ev[64];
  for (;;) {
    int k = epoll_wait(ep, ev, 64, 10000);
    if (k <= 0) _exit(0);
    for (int i = 0; i < k; ++i) {
      if (read(ev[i].data.fd, buf, sizeof buf) == 0) _exit(0);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 2000;
  int sets = argc > 2 ? std::atoi(argv[2]) : 6;
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t al = sizeof a;
  if (bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) || getsockname(ls, reinterpret_cast<sockaddr*>(&a), &al) ||
      listen(ls, 128)) {
    std::perror("listen");
    return 1;
  }
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    int n = kReceivers / kProcs + (p < kReceivers % kProcs ? 1 : 0);
    pid_t pid = fork();
    if (pid == 0) receive(a, n);
    kids.push_back(pid);
  }
  std::vector<int> fds;
  int one = 1;
  for (int i = 0; i < kReceivers; ++i) {
    int s = accept(ls, nullptr, nullptr);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fds.push_back(s);
  }
  auto* batcher = mockloop::net::SendBatcher::for_this_thread();
  if (!batcher) std::printf("io_uring unavailable (%s): sendmsg only\n", mockloop::net::SendBatcher::unavailable_reason().c_str());
  char msg[40];
  std::memset(msg, 'x', sizeof msg);
  std::vector<double> cpu[2], wall[2];
  for (int set = 0; set < sets; ++set) {
    for (int mode = 0; mode < (batcher ? 2 : 1); ++mode) {
      double c0 = cpu_us(), busy = 0;
      for (int r = 0; r < rounds; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        iovec v[2] = {{msg, 2}, {msg + 2, 38}};  // header and payload, as a session writes them
        if (mode == 0) {
          for (int fd : fds) {
            msghdr m{};
            m.msg_iov = v;
            m.msg_iovlen = 2;
            sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
          }
        } else {
          std::vector<mockloop::net::SendJob> jobs(fds.size());
          for (std::size_t i = 0; i < fds.size(); ++i) {
            jobs[i].fd = fds[i];
            jobs[i].msg.msg_iov = v;
            jobs[i].msg.msg_iovlen = 2;
          }
          batcher->send_all(jobs);
        }
        busy += std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
        usleep(2000);  // the receivers catch up and sleep again, as between (b)'s updates
      }
      cpu[mode].push_back((cpu_us() - c0) / rounds);
      wall[mode].push_back(busy / rounds);
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  const char* names[2] = {"sendmsg per connection", "one io_uring submission"};
  for (int mode = 0; mode < (batcher ? 2 : 1); ++mode) {
    std::printf("%-24s  sender CPU %.1f us, wall %.1f us per fan-out to %d (median of %d sets of %d)\n", names[mode],
                median(cpu[mode]), median(wall[mode]), kReceivers, sets, rounds);
  }
  for (int fd : fds) close(fd);
  for (pid_t k : kids) waitpid(k, nullptr, 0);
  return 0;
}
