// A token bucket: `rate` tokens per second up to `burst`. Not thread-safe (one per
// connection, used on its thread).
#pragma once

#include <algorithm>
#include <chrono>

namespace mockloop::room {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst), last_(Clock::now()) {}

  // Takes one token if available.
  bool take(Clock::time_point now = Clock::now()) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed > 0) {
      tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace mockloop::room
