// exec_limited: runs one command (the bwrap line) as a child in its own session and
// process group, with rlimits set and the uid dropped before exec, feeds it stdin, keeps
// the first `output_keep` bytes of stdout and of stderr, and kills the whole process
// group at the wall-clock deadline or when output passes `output_kill`. Blocking: called
// only by mockloop-runner's single thread (it forks; never call it from a threaded server).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <string>
#include <vector>

namespace mockloop::runner {

struct ExecSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::string stdin_data;
  uint32_t uid = 0;               // 0: keep the runner's uid
  int pass_fd = -1;               // duplicated to fd 3 in the child (the seccomp program)
  // rlimits (0 = leave unset)
  uint64_t cpu_seconds = 0;
  uint64_t address_space = 0;
  uint64_t processes = 0;
  uint64_t file_size = 0;
  uint64_t open_files = 0;
  uint32_t wall_ms = 10000;
  size_t output_keep = 64 * 1024;
  size_t output_kill = 1024 * 1024;
  // Streaming (optional): called with each piece of stdout as it is kept (never past
  // output_keep), and with an empty piece at least every kStreamTickMs while the child
  // runs, so the caller can flush on time. Called on the calling thread.
  std::function<void(std::string_view)> on_stdout;
};

inline constexpr int kStreamTickMs = 100;

struct ExecResult {
  bool started = false;
  std::string error;  // why it did not start
  int exit_code = 0;  // valid when signal == 0
  int signal = 0;     // the child's terminating signal
  bool wall_killed = false;
  bool output_killed = false;
  uint32_t time_ms = 0;
  uint32_t cpu_ms = 0;
  uint32_t max_rss_kb = 0;
  std::string out, err;
  bool out_cut = false, err_cut = false;
};

ExecResult exec_limited(const ExecSpec& spec);

// "\n[output cut: N bytes not shown]\n"
std::string cut_marker(size_t dropped);

// Reaps every exited child of this process and waits up to `wait_ms` until it has none
// left; returns how many are still running then. Why: mockloop-runner is a child
// subreaper, so a sandbox's inner init (bwrap's pid 1, orphaned when the outer bwrap dies)
// becomes its child; the kernel tears a pid namespace down only as that init exits, and
// until it is reaped its processes still count against the sandbox uid's RLIMIT_NPROC - a
// fork bomb's leftovers would refuse the next run. Waiting here makes runs independent.
size_t reap_children(uint32_t wait_ms);

}  // namespace mockloop::runner
