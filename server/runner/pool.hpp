// RunnerPool: the server's side of the runner. Starts `slots` mockloop-runner processes
// (posix_spawn, pipes on their stdin/stdout) and one thread per slot that owns its process:
// it takes the next queued job, writes the request frame, blocks reading the reply frame
// and calls the job's callback - on that slot thread, so callers post the result to their
// own executor; io threads never wait on a child. A runner that dies is restarted and its
// job answered with SANDBOX_ERROR. When root, slot i's sandbox runs as uid base_uid + i
// (RLIMIT_NPROC then counts one slot's processes only). Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runner/limits.hpp"
#include "runner/protocol.hpp"

namespace mockloop::runner {

struct PoolOptions {
  std::string runner_path;   // the mockloop-runner executable
  SandboxConfig config;      // passed on as flags
  size_t slots = 2;          // concurrent runs (default: the number of cores)
  size_t max_queued = 64;    // jobs waiting for a slot
  uint32_t base_uid = 60000; // used when the server runs as root
};

class RunnerPool {
 public:
  using Done = std::function<void(Reply)>;
  // Progress frames of a streaming request (protocol.hpp), on the slot thread, in order,
  // all before `done`.
  using OnProgress = std::function<void(Progress)>;

  explicit RunnerPool(PoolOptions options);
  ~RunnerPool();
  RunnerPool(const RunnerPool&) = delete;
  RunnerPool& operator=(const RunnerPool&) = delete;

  // Queues `request`; `done` runs later on a slot thread with the reply. False (and `done`
  // is dropped) when the queue is full or the pool stopped.
  bool submit(Request request, Done done, OnProgress progress = {});
  // Blocking: probes the sandbox and runtimes through a slot (startup, tests).
  Reply probe();
  // Answers queued jobs with an error, kills the runners (a run in progress is answered
  // with an error too: its sandbox dies with its runner) and joins. Idempotent.
  void stop();

  size_t queued() const;

 private:
  struct Job {
    Request request;
    Done done;
    OnProgress progress;
  };
  struct Slot;
  void slot_main(size_t index);

  PoolOptions options_;
  mutable std::mutex mu_;  // guards queue_, stopping_
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  uint64_t next_id_ = 1;
  std::vector<std::thread> threads_;
  // Each slot's runner pid (0: none), so stop() can end a run in progress at once.
  std::unique_ptr<std::atomic<int>[]> pids_;
};

}  // namespace mockloop::runner
