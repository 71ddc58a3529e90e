// WorkerPool: a few threads that run blocking work (SQLite, document replay) off the io
// threads, in arrival order, with a bounded queue. Owned by its user; stop() (or the
// destructor) finishes the jobs already running, drops the queued ones unrun, and joins.
// post() is thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mockloop::loop {

class WorkerPool {
 public:
  // `threads` >= 1; at most `max_queued` jobs wait (running ones do not count).
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`. False (and `job` is not kept) when the queue is full or the pool stopped.
  bool post(std::function<void()> job);
  void stop();

 private:
  void run();

  const size_t max_queued_;
  std::mutex mu_;  // guards queue_ and stopping_
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mockloop::loop
