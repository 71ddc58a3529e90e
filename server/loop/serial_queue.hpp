// SerialQueue: runs the jobs posted to it one at a time, in post order, on a WorkerPool's
// threads and never on the caller's (an Asio strand over a thread pool, in plain C++). One
// per session: its messages keep their order while different sessions run in parallel.
// At most `max_queued` jobs wait (the running one does not count). While jobs wait, the
// queue has one drain job in the pool; that job holds a reference, so a queue dropped by its
// owner still runs what it accepted (unless the pool stops, which drops it unrun).
// post() is thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "common/result.hpp"
#include "loop/worker_pool.hpp"

namespace mockloop::loop {

class SerialQueue : public std::enable_shared_from_this<SerialQueue> {
 public:
  // REQUIRES: `pool` outlives every job posted here.
  static std::shared_ptr<SerialQueue> create(WorkerPool& pool, size_t max_queued);

  // Queues `job`; returns how many jobs now wait (this one included). Errc::busy (and
  // `job` is not kept) when max_queued jobs already wait or the pool refuses (its own
  // queue is full or it stopped).
  Result<size_t> post(std::function<void()> job);

  SerialQueue(WorkerPool& pool, size_t max_queued) : pool_(pool), max_queued_(max_queued) {}

 private:
  void drain();

  WorkerPool& pool_;
  const size_t max_queued_;
  std::mutex mu_;  // guards jobs_ and scheduled_
  std::deque<std::function<void()>> jobs_;
  bool scheduled_ = false;  // a drain job is in the pool or running
};

}  // namespace mockloop::loop
