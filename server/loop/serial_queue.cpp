#include "loop/serial_queue.hpp"

namespace mockloop::loop {

std::shared_ptr<SerialQueue> SerialQueue::create(WorkerPool& pool, size_t max_queued) {
  return std::make_shared<SerialQueue>(pool, max_queued);
}

Result<size_t> SerialQueue::post(std::function<void()> job) {
  size_t waiting = 0;
  {
    std::lock_guard lock(mu_);
    if (jobs_.size() >= max_queued_) return make_error(Errc::busy, "too many messages waiting");
    jobs_.push_back(std::move(job));
    waiting = jobs_.size();
    if (scheduled_) return waiting;
    scheduled_ = true;
  }
  if (pool_.post([self = shared_from_this()] { self->drain(); })) return waiting;
  std::function<void()> refused;  // destroyed outside the lock
  {
    std::lock_guard lock(mu_);
    scheduled_ = false;
    refused = std::move(jobs_.back());
    jobs_.pop_back();
  }
  return make_error(Errc::busy, "the server is busy");
}

void SerialQueue::drain() {
  // At most max_queued_ jobs per turn, then back to the end of the pool's queue, so a
  // session that keeps sending does not hold a worker while others wait. If the pool
  // refuses the new turn (full or stopping), the queue keeps this worker instead.
  for (size_t ran = 0;; ++ran) {
    std::function<void()> job;
    {
      std::lock_guard lock(mu_);
      if (jobs_.empty()) {
        scheduled_ = false;
        return;
      }
      if (ran >= max_queued_ && pool_.post([self = shared_from_this()] { self->drain(); })) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace mockloop::loop
