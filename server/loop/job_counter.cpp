#include "loop/job_counter.hpp"

namespace mockloop::loop {

std::function<void()> JobCounter::counted(std::function<void()> job) {
  struct Count {
    std::shared_ptr<InFlight> f;
    explicit Count(std::shared_ptr<InFlight> in) : f(std::move(in)) {
      std::lock_guard lock(f->mu);
      ++f->n;
    }
    ~Count() {
      std::lock_guard lock(f->mu);
      if (--f->n == 0) f->idle.notify_all();
    }
    Count(const Count&) = delete;
    Count& operator=(const Count&) = delete;
  };
  return [count = std::make_shared<Count>(in_flight_), job = std::move(job)] { job(); };
}

void JobCounter::wait_idle() {
  std::unique_lock lock(in_flight_->mu);
  in_flight_->idle.wait(lock, [this] { return in_flight_->n == 0; });
}

}  // namespace mockloop::loop
