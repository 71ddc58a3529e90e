#include "crdt/id.hpp"

#include <algorithm>

namespace mockloop::crdt {

void DeleteSet::sort_and_merge() {
  for (auto& [client, ranges] : clients) {
    std::sort(ranges.begin(), ranges.end(),
              [](const DeleteRange& a, const DeleteRange& b) { return a.clock < b.clock; });
    size_t j = 1;
    for (size_t i = 1; i < ranges.size(); ++i) {
      DeleteRange& left = ranges[j - 1];
      const DeleteRange& right = ranges[i];
      if (left.clock + left.len >= right.clock) {
        left.len = std::max(left.len, right.clock + right.len - left.clock);
      } else {
        if (j < i) ranges[j] = right;
        ++j;
      }
    }
    if (!ranges.empty()) ranges.resize(j);
  }
}

bool DeleteSet::contains(ID id) const {
  auto it = clients.find(id.client);
  if (it == clients.end()) return false;
  const auto& r = it->second;
  size_t lo = 0, hi = r.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (r[mid].clock + r[mid].len <= id.clock) {
      lo = mid + 1;
    } else if (r[mid].clock > id.clock) {
      hi = mid;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace mockloop::crdt
