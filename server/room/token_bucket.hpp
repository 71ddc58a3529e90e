// A token bucket: `rate` tokens per second up to `burst`. A take from an empty bucket is
// owed (the count goes below zero) and the caller is told how long to pause its client
// until the debt is repaid, so a fast client is slowed, not refused. Not thread-safe (one
// per connection, used on its thread).
#pragma once

#include <algorithm>
#include <chrono>

namespace mockloop::room {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst), last_(Clock::now()) {}

  // Takes one token, owing it when there is none. Returns how long the client should wait
  // before its next message so the bucket is out of debt: zero while it had a token.
  Clock::duration take(Clock::time_point now = Clock::now()) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    if (elapsed > 0) {
      tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
      last_ = now;
    }
    tokens_ -= 1.0;
    if (tokens_ >= 0) return Clock::duration::zero();
    double wait_s = rate_ > 0 ? -tokens_ / rate_ : 3600.0;
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::min(wait_s, 3600.0)));
  }

  // Tokens taken past an empty bucket and not yet repaid (as of the last take).
  double owed() const { return tokens_ < 0 ? -tokens_ : 0; }

 private:
  double rate_;
  double burst_;
  double tokens_;  // negative: owed
  Clock::time_point last_;
};

}  // namespace mockloop::room
