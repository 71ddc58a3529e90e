// ID (client, clock) and the delete set: ranges of deleted clocks per client, the second half
// of every Yjs update.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace mockloop::crdt {

struct ID {
  uint64_t client = 0;
  uint64_t clock = 0;
  bool operator==(const ID&) const = default;
};

struct DeleteRange {
  uint64_t clock;
  uint64_t len;
};

// Client -> ranges. Ordered map: Yjs writes clients in descending order (we iterate reversed).
struct DeleteSet {
  std::map<uint64_t, std::vector<DeleteRange>> clients;

  bool empty() const { return clients.empty(); }
  void add(uint64_t client, uint64_t clock, uint64_t len) {
    if (len == 0) return;
    clients[client].push_back({clock, len});
  }
  // Yjs sortAndMergeDeleteSet: sort by clock and merge overlapping/adjacent ranges.
  void sort_and_merge();
  bool contains(ID id) const;
};

}  // namespace mockloop::crdt
