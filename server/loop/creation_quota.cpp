#include "loop/creation_quota.hpp"

#include <iterator>

namespace mockloop::loop {

int64_t CreationQuota::try_take(const std::string& client, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(client);
  if (it != windows_.end() && now_ms - it->second.start_ms >= kWindowMs) it->second = Window{now_ms, 0};
  if (it == windows_.end()) {
    if (windows_.size() >= max_tracked_) {
      for (auto w = windows_.begin(); w != windows_.end();)
        w = now_ms - w->second.start_ms >= kWindowMs ? windows_.erase(w) : std::next(w);
      if (windows_.size() >= max_tracked_) return kFullRetrySeconds;  // every slot is live
    }
    it = windows_.emplace(client, Window{now_ms, 0}).first;
  }
  if (it->second.used >= per_window_) {
    const int64_t left_ms = it->second.start_ms + kWindowMs - now_ms;
    return left_ms <= 1000 ? 1 : (left_ms + 999) / 1000;
  }
  ++it->second.used;
  return 0;
}

void CreationQuota::give_back(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(client);
  if (it != windows_.end() && it->second.used > 0) --it->second.used;
}

}  // namespace mockloop::loop
