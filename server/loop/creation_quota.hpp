// CreationQuota: how many things (loops, study rooms) one client address may create per
// window (an hour), counted in fixed windows that start at the address's first creation.
// Memory is bounded: at most `max_tracked` addresses are remembered; expired windows are
// pruned when that fills, and a new address is refused while it stays full. Thread-safe
// (one mutex guards the table).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mockloop::loop {

class CreationQuota {
 public:
  static constexpr int64_t kWindowMs = 3'600'000;       // one hour
  static constexpr size_t kDefaultMaxTracked = 100'000;  // client addresses remembered
  static constexpr int64_t kFullRetrySeconds = 60;        // Retry-After while the table is full

  CreationQuota(size_t per_window, size_t max_tracked = kDefaultMaxTracked)
      : per_window_(per_window), max_tracked_(max_tracked) {}

  // Takes one unit for `client` at `now_ms`. 0 when taken; else the seconds until the
  // client's window ends (for Retry-After), at least 1.
  int64_t try_take(const std::string& client, int64_t now_ms);
  // Gives back a unit taken at `now_ms` whose creation then failed.
  void give_back(const std::string& client);

 private:
  struct Window {
    int64_t start_ms = 0;
    size_t used = 0;
  };
  const size_t per_window_;
  const size_t max_tracked_;
  std::mutex mu_;  // guards windows_
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace mockloop::loop
