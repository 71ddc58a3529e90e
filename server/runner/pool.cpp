#include "runner/pool.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <future>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.hpp"
#include "runner/flags.hpp"
#include "runner/frame.hpp"

extern char** environ;

namespace mockloop::runner {
namespace {

// One mockloop-runner child and its pipes; owned by one slot thread.
struct Child {
  pid_t pid = -1;
  int to = -1;    // its stdin
  int from = -1;  // its stdout

  bool start(const std::string& path, const std::vector<std::string>& flags) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return false;
    if (::pipe2(out, O_CLOEXEC) != 0) {
      ::close(in[0]);
      ::close(in[1]);
      return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    std::vector<char*> argv{const_cast<char*>(path.c_str())};
    for (const auto& f : flags) argv.push_back(const_cast<char*>(f.c_str()));
    argv.push_back(nullptr);
    // The runner gets no environment of the server's.
    char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
    int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), envp);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      ::close(in[1]);
      ::close(out[0]);
      pid = -1;
      return false;
    }
    to = in[1];
    from = out[0];
    return true;
  }

  void end() {
    if (to >= 0) ::close(to);  // EOF: the runner exits
    if (from >= 0) ::close(from);
    to = from = -1;
    if (pid > 0) {
      for (int i = 0; i < 200; ++i) {
        if (::waitpid(pid, nullptr, WNOHANG) == pid) {
          pid = -1;
          return;
        }
        ::usleep(10000);
      }
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
};

Reply error_reply(uint64_t id, std::string why) {
  Reply r;
  r.id = id;
  r.error = std::move(why);
  return r;
}

}  // namespace

RunnerPool::RunnerPool(PoolOptions options) : options_(std::move(options)) {
  ::signal(SIGPIPE, SIG_IGN);
  if (options_.slots == 0) options_.slots = 1;
  pids_ = std::make_unique<std::atomic<int>[]>(options_.slots);
  for (size_t i = 0; i < options_.slots; ++i) pids_[i] = 0;
  for (size_t i = 0; i < options_.slots; ++i) threads_.emplace_back([this, i] { slot_main(i); });
}

RunnerPool::~RunnerPool() { stop(); }

bool RunnerPool::submit(Request request, Done done, OnProgress progress) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queued) return false;
    request.id = next_id_++;
    queue_.push_back({std::move(request), std::move(done), std::move(progress)});
  }
  cv_.notify_one();
  return true;
}

Reply RunnerPool::probe() {
  Request q;
  q.op = Request::Op::probe;
  auto p = std::make_shared<std::promise<Reply>>();
  auto f = p->get_future();
  if (!submit(std::move(q), [p](Reply r) { p->set_value(std::move(r)); })) {
    Reply r;
    r.sandbox_reason = "runner pool is stopped or full";
    return r;
  }
  return f.get();
}

size_t RunnerPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void RunnerPool::stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
  }
  cv_.notify_all();
  for (size_t i = 0; i < options_.slots; ++i)
    if (int pid = pids_[i].load(); pid > 0) ::kill(pid, SIGKILL);
  for (auto& j : dropped) j.done(error_reply(j.request.id, "the server is shutting down"));
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void RunnerPool::slot_main(size_t index) {
  SandboxConfig config = options_.config;
  if (::geteuid() == 0) config.uid = options_.base_uid + static_cast<uint32_t>(index);
  const auto flags = runner_flags(config);
  Child child;
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    if (child.pid < 0) {
      bool stopping;
      {
        std::lock_guard lock(mu_);
        stopping = stopping_;
      }
      if (stopping || !child.start(options_.runner_path, flags)) {
        job.done(error_reply(job.request.id, stopping ? "the server is shutting down"
                                                      : "cannot start the runner '" + options_.runner_path + "'"));
        continue;
      }
      pids_[index] = child.pid;
    }
    std::optional<std::string> frame;
    if (write_frame(child.to, encode_request(job.request))) {
      // Progress frames (streaming runs) come first; the first other frame is the reply.
      while ((frame = read_frame(child.from, kMaxFrameBytes))) {
        auto p = decode_progress(*frame);
        if (!p) break;
        if (job.progress) job.progress(std::move(*p));
      }
    }
    if (!frame) {
      log::warn("runner", "slot " + std::to_string(index) + " died; restarting it");
      child.end();
      pids_[index] = 0;
      job.done(error_reply(job.request.id, "the runner failed during this run"));
      continue;
    }
    auto reply = decode_reply(*frame);
    job.done(reply ? std::move(*reply) : error_reply(job.request.id, reply.error().message));
  }
  pids_[index] = 0;
  child.end();
}

}  // namespace mockloop::runner
