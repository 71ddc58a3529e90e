#include "runner/exec.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mockloop::runner {
namespace {

void set_limit(int what, uint64_t v) {
  if (v == 0) return;
  rlimit r{v, v};
  ::setrlimit(what, &r);
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void child(const ExecSpec& s, int in_r, int out_w, int err_w, char* const* argv, char* const* envp,
                        int report_w) {
  ::setsid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ::dup2(in_r, 0);
  ::dup2(out_w, 1);
  ::dup2(err_w, 2);
  if (s.pass_fd >= 0) {
    if (s.pass_fd != 3) ::dup2(s.pass_fd, 3);
    ::fcntl(3, F_SETFD, 0);  // inherited across exec
  }
  // Close everything else but the report pipe (CLOEXEC: closes at exec).
  for (int fd = (s.pass_fd >= 0 ? 4 : 3); fd < 1024; ++fd)
    if (fd != report_w) ::close(fd);
  // CPU: SIGXCPU at the limit (its default action ends the process, seen as 128+24 through
  // bwrap), SIGKILL one second later for a program that ignores SIGXCPU. With soft == hard
  // the kernel sends SIGKILL at once, indistinguishable from any other kill.
  if (s.cpu_seconds != 0) {
    rlimit cpu{s.cpu_seconds, s.cpu_seconds + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
  }
  set_limit(RLIMIT_AS, s.address_space);
  set_limit(RLIMIT_FSIZE, s.file_size);
  set_limit(RLIMIT_NOFILE, s.open_files);
  set_limit(RLIMIT_CORE, 0);
  rlimit core{0, 0};
  ::setrlimit(RLIMIT_CORE, &core);
  if (s.uid != 0) {
    if (::setgroups(0, nullptr) != 0 || ::setresgid(s.uid, s.uid, s.uid) != 0 ||
        ::setresuid(s.uid, s.uid, s.uid) != 0) {
      const char msg[] = "cannot drop to the sandbox uid";
      (void)!::write(report_w, msg, sizeof msg - 1);
      ::_exit(127);
    }
  }
  // NPROC last: it counts the (new) uid's processes.
  set_limit(RLIMIT_NPROC, s.processes);
  ::execve(argv[0], argv, envp);
  const char* e = std::strerror(errno);
  (void)!::write(report_w, "exec: ", 6);
  (void)!::write(report_w, e, std::strlen(e));
  ::_exit(127);
}

}  // namespace

std::string cut_marker(size_t dropped) {
  return "\n[output cut: " + std::to_string(dropped) + " bytes not shown]\n";
}

size_t reap_children(uint32_t wait_ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  for (;;) {
    pid_t w = ::waitpid(-1, nullptr, WNOHANG);
    if (w > 0) continue;
    if (w < 0 && errno == ECHILD) return 0;
    if (w < 0 && errno == EINTR) continue;
    if (std::chrono::steady_clock::now() >= until) {
      // Count what is left (children still running).
      size_t n = 0;
      std::ifstream f("/proc/self/task/" + std::to_string(::getpid()) + "/children");
      for (long pid; f >> pid;) ++n;
      return n;
    }
    ::usleep(1000);
  }
}

ExecResult exec_limited(const ExecSpec& s) {
  ExecResult res;
  int in[2], out[2], err[2], rep[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC) || ::pipe2(rep, O_CLOEXEC)) {
    res.error = std::string("pipe: ") + std::strerror(errno);
    return res;
  }
  std::vector<char*> argv;
  for (const auto& a : s.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};

  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    res.error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], rep[0], rep[1]}) ::close(fd);
    return res;
  }
  if (pid == 0) child(s, in[0], out[1], err[1], argv.data(), envp, rep[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::close(rep[1]);

  // Did exec succeed? The report pipe closes on exec (EOF) or carries the failure.
  char buf[65536];
  std::string report;
  for (ssize_t n; (n = ::read(rep[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    report.append(buf, static_cast<size_t>(n));
  }
  ::close(rep[0]);
  if (!report.empty()) {
    ::close(in[1]);
    ::close(out[0]);
    ::close(err[0]);
    ::waitpid(pid, nullptr, 0);
    res.error = report;
    return res;
  }
  res.started = true;

  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  signal(SIGPIPE, SIG_IGN);
  size_t in_off = 0;
  int in_fd = in[1];
  if (s.stdin_data.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  int out_fd = out[0], err_fd = err[0];
  size_t out_total = 0, err_total = 0;
  const auto deadline = t0 + std::chrono::milliseconds(s.wall_ms);
  bool killed = false;
  auto kill_group = [&] {
    if (!killed) ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    killed = true;
  };
  while (out_fd >= 0 || err_fd >= 0) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      res.wall_killed = true;
      kill_group();
      break;
    }
    pollfd p[3];
    int n = 0;
    int i_out = -1, i_err = -1, i_in = -1;
    if (out_fd >= 0) { p[n] = {out_fd, POLLIN, 0}; i_out = n++; }
    if (err_fd >= 0) { p[n] = {err_fd, POLLIN, 0}; i_err = n++; }
    if (in_fd >= 0) { p[n] = {in_fd, POLLOUT, 0}; i_in = n++; }
    int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    if (s.on_stdout) {
      s.on_stdout({});
      ms = std::min(ms, kStreamTickMs);
    }
    int r = ::poll(p, static_cast<nfds_t>(n), ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    auto drain = [&](int idx, int& fd, std::string& keep, size_t& total, bool& cut) {
      if (idx < 0 || !(p[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      ssize_t got = ::read(fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) return;
      if (got <= 0) {
        ::close(fd);
        fd = -1;
        return;
      }
      total += static_cast<size_t>(got);
      size_t room = keep.size() < s.output_keep ? s.output_keep - keep.size() : 0;
      const size_t kept = std::min(room, static_cast<size_t>(got));
      keep.append(buf, kept);
      if (total > s.output_keep) cut = true;
      if (kept && s.on_stdout && &keep == &res.out) s.on_stdout(std::string_view(buf, kept));
    };
    drain(i_out, out_fd, res.out, out_total, res.out_cut);
    drain(i_err, err_fd, res.err, err_total, res.err_cut);
    if (i_in >= 0 && (p[i_in].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(in_fd, s.stdin_data.data() + in_off, s.stdin_data.size() - in_off);
      if (w > 0) in_off += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) in_off = s.stdin_data.size();
      if (in_off >= s.stdin_data.size()) {
        ::close(in_fd);
        in_fd = -1;
      }
    }
    if (out_total + err_total > s.output_kill) {
      res.output_killed = true;
      kill_group();
      break;
    }
  }
  for (int fd : {in_fd, out_fd, err_fd})
    if (fd >= 0) ::close(fd);
  if (res.out_cut) res.out += cut_marker(out_total - res.out.size());
  if (res.err_cut) res.err += cut_marker(err_total - res.err.size());

  // Pipes closed: the child is exiting (or holds no pipe but keeps running: bound by the deadline).
  int status = 0;
  rusage ru{};
  for (;;) {
    pid_t w = ::wait4(pid, &status, WNOHANG, &ru);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      res.wall_killed = res.wall_killed || !killed;
      kill_group();
      ::wait4(pid, &status, 0, &ru);
      break;
    }
    ::usleep(1000);
  }
  if (killed) ::kill(-pid, SIGKILL);  // stragglers in the group
  res.time_ms = static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
  res.cpu_ms = static_cast<uint32_t>(ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
                                     ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000);
  res.max_rss_kb = static_cast<uint32_t>(ru.ru_maxrss);
  if (WIFSIGNALED(status)) {
    res.signal = WTERMSIG(status);
  } else {
    res.exit_code = WEXITSTATUS(status);
  }
  return res;
}

}  // namespace mockloop::runner
