#include "room/awareness.hpp"

#include <algorithm>

namespace mockloop::room {

size_t Awareness::apply(std::span<const wire::AwarenessEntry> entries, uint64_t owner, Clock::time_point now) {
  size_t changed = 0;
  for (const auto& e : entries) {
    bool removal = e.is_removal();
    auto it = clients_.find(e.client_id);
    if (!supersedes(e, it)) continue;
    if (removal && it == clients_.end()) continue;  // nothing to remove; do not grow the map
    Client& c = clients_[e.client_id];
    c.clock = e.clock;
    c.updated = now;
    sub_bytes(c.owner, c.state.size());
    c.owner = owner;
    if (removal) {
      c.state.clear();
    } else {
      c.state.assign(e.state_json);
    }
    add_bytes(owner, c.state.size());
    ++changed;
  }
  return changed;
}

bool Awareness::supersedes(const wire::AwarenessEntry& e, ClientIt it) const {
  const uint64_t current = it == clients_.end() ? 0 : it->second.clock;
  const bool present = it != clients_.end() && !it->second.state.empty();
  return current < e.clock || (current == e.clock && e.is_removal() && present);
}

size_t Awareness::owned_by(uint64_t owner) const {
  size_t n = 0;
  for (const auto& [id, c] : clients_) n += (c.owner == owner && !c.state.empty()) ? 1 : 0;
  return n;
}

void Awareness::add_bytes(uint64_t owner, size_t n) {
  if (n == 0) return;
  bytes_ += n;
  owner_bytes_[owner] += n;
}

void Awareness::sub_bytes(uint64_t owner, size_t n) {
  if (n == 0) return;
  bytes_ -= n;
  auto it = owner_bytes_.find(owner);
  if (it != owner_bytes_.end() && (it->second -= n) == 0) owner_bytes_.erase(it);
}

size_t Awareness::bytes_owned_by(uint64_t owner) const {
  auto it = owner_bytes_.find(owner);
  return it == owner_bytes_.end() ? 0 : it->second;
}

Awareness::Footprint Awareness::footprint_after(std::span<const wire::AwarenessEntry> entries, uint64_t owner) const {
  Footprint f{bytes_owned_by(owner), bytes_};
  std::vector<uint64_t> seen;  // an id repeated in one message: its later states add, never subtract
  seen.reserve(entries.size());
  for (const auto& e : entries) {
    bool removal = e.is_removal();
    auto it = clients_.find(e.client_id);
    if (!supersedes(e, it)) continue;
    bool again = std::find(seen.begin(), seen.end(), e.client_id) != seen.end();
    seen.push_back(e.client_id);
    size_t old = it == clients_.end() || again ? 0 : it->second.state.size();
    size_t now = removal ? 0 : e.state_json.size();
    f.total_bytes = f.total_bytes - old + now;
    if (it != clients_.end() && it->second.owner == owner) f.owner_bytes -= old;  // old <= what owner holds
    f.owner_bytes += now;
  }
  return f;
}

size_t Awareness::present() const {
  size_t n = 0;
  for (const auto& [id, c] : clients_) n += c.state.empty() ? 0 : 1;
  return n;
}

wire::Bytes Awareness::encode_present() const {
  std::vector<wire::AwarenessEntry> entries;
  for (const auto& [id, c] : clients_) {
    if (!c.state.empty()) entries.push_back({id, c.clock, c.state});
  }
  if (entries.empty()) return {};
  return wire::encode_awareness_update(entries);
}

template <typename Pred>
wire::Bytes Awareness::remove_if(Pred pred) {
  std::vector<wire::AwarenessEntry> removed;
  for (auto& [id, c] : clients_) {
    if (c.state.empty() || !pred(c)) continue;
    sub_bytes(c.owner, c.state.size());
    c.state.clear();
    ++c.clock;
    removed.push_back({id, c.clock, "null"});
  }
  if (removed.empty()) return {};
  return wire::encode_awareness_update(removed);
}

wire::Bytes Awareness::remove_owner(uint64_t owner) {
  return remove_if([owner](const Client& c) { return c.owner == owner; });
}

wire::Bytes Awareness::expire(Clock::time_point cutoff) {
  // Forget removed clients once they are as old as the timeout, so the map stays bounded.
  std::erase_if(clients_, [cutoff](const auto& kv) { return kv.second.state.empty() && kv.second.updated < cutoff; });
  return remove_if([cutoff](const Client& c) { return c.updated < cutoff; });
}

}  // namespace mockloop::room
