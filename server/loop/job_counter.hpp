// JobCounter: how many of a hub's jobs are queued and not yet run or dropped, so that
// wait_idle() can block until they are done (tests, shutdown). A job wrapped by counted()
// counts from the wrap until it has run or been destroyed unrun. The count is shared with
// the jobs, which may outlive the counter (a transport still holding their session).
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>

namespace mockloop::loop {

class JobCounter {
 public:
  // Wraps `job` so that it counts until it has run or been dropped.
  std::function<void()> counted(std::function<void()> job);
  // Blocks until the count is zero. Never call it from a job.
  void wait_idle();

 private:
  struct InFlight {
    std::mutex mu;  // guards n
    std::condition_variable idle;
    size_t n = 0;
  };
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
};

}  // namespace mockloop::loop
