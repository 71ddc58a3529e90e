#include "room/principal_index.hpp"

#include <algorithm>

namespace mockloop::room {

void PrincipalIndex::track(const std::string& key, const std::shared_ptr<Peer>& peer) {
  if (key.empty() || !peer) return;
  std::lock_guard lock(mu_);
  by_key_[key].push_back(Entry{peer->id(), peer});
}

void PrincipalIndex::untrack(const std::string& key, uint64_t peer_id) {
  if (key.empty()) return;
  std::lock_guard lock(mu_);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return;
  auto& v = it->second;
  v.erase(std::remove_if(v.begin(), v.end(), [&](const Entry& e) { return e.id == peer_id || e.peer.expired(); }),
          v.end());
  if (v.empty()) by_key_.erase(it);
}

size_t PrincipalIndex::close_all(const std::string& key, uint16_t code, const std::string& reason) {
  std::vector<Entry> entries;
  {
    std::lock_guard lock(mu_);
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return 0;
    entries = std::move(it->second);
    by_key_.erase(it);
  }
  size_t closed = 0;
  for (auto& e : entries) {
    if (auto p = e.peer.lock()) {
      p->close(code, reason);
      ++closed;
    }
  }
  return closed;
}

size_t PrincipalIndex::size() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [k, v] : by_key_) n += v.size();
  return n;
}

}  // namespace mockloop::room
