// ID (client, clock) and the delete set: ranges of deleted clocks per client, the second half
// of every Yjs update.
#pragma once

#include <cstdint>
#include <algorithm>
#include <utility>
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

// Small sorted vector map (client ids are few per update): no node allocations.
template <class V>
class FlatMap {
 public:
  using value_type = std::pair<uint64_t, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  iterator begin() { return v_.begin(); }
  iterator end() { return v_.end(); }
  const_iterator begin() const { return v_.begin(); }
  const_iterator end() const { return v_.end(); }
  auto rbegin() const { return v_.rbegin(); }
  auto rend() const { return v_.rend(); }
  size_t size() const { return v_.size(); }
  bool empty() const { return v_.empty(); }
  void clear() { v_.clear(); }
  // Bulk build: append in any order, then sort_keys() once.
  void append_unsorted(uint64_t k, V v) { v_.emplace_back(k, std::move(v)); }
  void sort_keys() {
    std::sort(v_.begin(), v_.end(),
              [](const value_type& a, const value_type& b) { return a.first < b.first; });
  }
  iterator find(uint64_t k) {
    auto it = lower(k);
    return it != v_.end() && it->first == k ? it : v_.end();
  }
  const_iterator find(uint64_t k) const {
    auto it = std::lower_bound(v_.begin(), v_.end(), k,
                               [](const value_type& a, uint64_t key) { return a.first < key; });
    return it != v_.end() && it->first == k ? it : v_.end();
  }
  V& operator[](uint64_t k) {
    auto it = lower(k);
    if (it == v_.end() || it->first != k) it = v_.insert(it, value_type(k, V{}));
    return it->second;
  }

 private:
  iterator lower(uint64_t k) {
    return std::lower_bound(v_.begin(), v_.end(), k,
                            [](const value_type& a, uint64_t key) { return a.first < key; });
  }
  std::vector<value_type> v_;
};

// Client -> ranges, ascending by client: Yjs writes clients in descending order (we iterate
// reversed).
struct DeleteSet {
  FlatMap<std::vector<DeleteRange>> clients;

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
