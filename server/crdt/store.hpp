// StructStore: per client, the structs (items and GC) in ascending clock order, contiguous.
// Lookup by clock is a binary search (Yjs findIndexSS). Owned by DocImpl.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "crdt/item.hpp"

namespace mockloop::crdt {

class StructStore {
 public:
  using Structs = std::vector<Item*>;

  uint64_t state(uint64_t client) const {
    auto it = clients_.find(client);
    if (it == clients_.end() || it->second.empty()) return 0;
    const Item* last = it->second.back();
    return last->id.clock + last->len;
  }
  Structs* structs(uint64_t client) {
    auto it = clients_.find(client);
    return it == clients_.end() ? nullptr : &it->second;
  }
  Structs& structs_or_create(uint64_t client) { return clients_[client]; }
  const std::unordered_map<uint64_t, Structs>& clients() const { return clients_; }
  std::unordered_map<uint64_t, Structs>& clients() { return clients_; }

  // REQUIRES: item->id.clock == state(item->id.client).
  void add(Item* item) { clients_[item->id.client].push_back(item); }

  // Index of the struct containing clock, or SIZE_MAX.
  static size_t find_index(const Structs& s, uint64_t clock) {
    if (s.empty()) return SIZE_MAX;
    size_t hi = s.size() - 1;
    const Item* last = s[hi];
    if (last->id.clock <= clock) return clock < last->id.clock + last->len ? hi : SIZE_MAX;
    size_t lo = 0;
    while (lo <= hi) {
      size_t mid = (lo + hi) / 2;
      const Item* m = s[mid];
      if (m->id.clock <= clock) {
        if (clock < m->id.clock + m->len) return mid;
        lo = mid + 1;
      } else {
        if (mid == 0) break;
        hi = mid - 1;
      }
    }
    return SIZE_MAX;
  }
  Item* find(ID id) {
    Structs* s = structs(id.client);
    if (!s) return nullptr;
    size_t i = find_index(*s, id.clock);
    return i == SIZE_MAX ? nullptr : (*s)[i];
  }

 private:
  std::unordered_map<uint64_t, Structs> clients_;
};

}  // namespace mockloop::crdt
