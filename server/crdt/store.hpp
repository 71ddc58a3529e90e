// StructStore: per client, the structs (items and GC) in ascending clock order, contiguous.
// Lookup by clock is a binary search (Yjs findIndexSS). Owned by DocImpl.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "crdt/item.hpp"

namespace mockloop::crdt {

class StructStore {
 public:
  using Structs = std::vector<Item*>;

  uint64_t state(uint64_t client) const {
    const Structs* s = structs(client);
    if (!s || s->empty()) return 0;
    const Item* last = s->back();
    return last->id.clock + last->len;
  }
  // Lookups go through a one-entry cache: edits come in runs from one client. Node-based
  // unordered_map keeps the cached pointer valid (clients are never removed).
  Structs* structs(uint64_t client) {
    if (cache_ && cache_client_ == client) return cache_;
    auto it = clients_.find(client);
    if (it == clients_.end()) return nullptr;
    cache_client_ = client;
    cache_ = &it->second;
    return cache_;
  }
  const Structs* structs(uint64_t client) const {
    return const_cast<StructStore*>(this)->structs(client);
  }
  Structs& structs_or_create(uint64_t client) { return clients_[client]; }
  const std::unordered_map<uint64_t, Structs>& clients() const { return clients_; }
  std::unordered_map<uint64_t, Structs>& clients() { return clients_; }

  // REQUIRES: item->id.clock == state(item->id.client).
  void add(Item* item) {
    Structs* s = structs(item->id.client);
    if (!s) s = &clients_[item->id.client];
    s->push_back(item);
  }

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
  // As find_index, for callers that visit clocks in ascending order: searches forward from
  // `hint` (galloping, then binary), so a run of nearby clocks costs a few probes each
  // instead of a full binary search. Falls back to find_index when s[hint] is past `clock`.
  static size_t find_index_from(const Structs& s, uint64_t clock, size_t hint) {
    if (hint >= s.size() || s[hint]->id.clock > clock) return find_index(s, clock);
    size_t lo = hint, step = 1;
    while (lo + step < s.size() && s[lo + step]->id.clock <= clock) {
      lo += step;
      step *= 2;
    }
    size_t hi = std::min(lo + step, s.size()) - 1;  // s[lo] starts at or before clock
    while (lo < hi) {
      size_t mid = (lo + hi + 1) / 2;
      if (s[mid]->id.clock <= clock) lo = mid;
      else hi = mid - 1;
    }
    return clock < s[lo]->id.clock + s[lo]->len ? lo : SIZE_MAX;
  }
  Item* find(ID id) {
    Structs* s = structs(id.client);
    if (!s) return nullptr;
    size_t i = find_index(*s, id.clock);
    return i == SIZE_MAX ? nullptr : (*s)[i];
  }

 private:
  std::unordered_map<uint64_t, Structs> clients_;
  uint64_t cache_client_ = 0;
  Structs* cache_ = nullptr;
};

}  // namespace mockloop::crdt
