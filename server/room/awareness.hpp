// The awareness states (cursors, names, selections) of one document's clients, with the
// rules of y-protocols' applyAwarenessUpdate: an entry wins when its clock is newer, or
// equal and a removal of a present state. Remembers which connection announced each client
// id so the states can be removed when that connection leaves, and when each was last
// renewed so stale ones can expire.
// Not thread-safe: the owning LiveDoc guards it with its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "wire/awareness_update.hpp"

namespace mockloop::room {

class Awareness {
 public:
  using Clock = std::chrono::steady_clock;

  // Applies entries announced by connection `owner`; returns how many changed anything.
  size_t apply(std::span<const wire::AwarenessEntry> entries, uint64_t owner, Clock::time_point now);

  // Number of client ids `owner` currently controls (non-null states).
  size_t owned_by(uint64_t owner) const;

  // Encoded awareness update with every present state; empty when there is none.
  wire::Bytes encode_present() const;

  // Removes the states announced by `owner` (clock + 1, state null, as Yjs'
  // removeAwarenessStates) and returns the encoded removal; empty when nothing changed.
  wire::Bytes remove_owner(uint64_t owner);

  // Removes the states not renewed since `cutoff`; returns the encoded removal or empty.
  wire::Bytes expire(Clock::time_point cutoff);

  size_t present() const;

  // Bytes of present states (their JSON), all owners together / announced by `owner`.
  size_t bytes() const { return bytes_; }
  size_t bytes_owned_by(uint64_t owner) const;
  // Those two as apply(entries, owner) would leave them (entries that would not win, by
  // the clock rule, count for nothing), without applying anything.
  struct Footprint {
    size_t owner_bytes = 0;
    size_t total_bytes = 0;
  };
  Footprint footprint_after(std::span<const wire::AwarenessEntry> entries, uint64_t owner) const;

 private:
  struct Client {
    uint64_t clock = 0;
    std::string state;  // JSON; empty when removed (the clock is kept, as Yjs keeps meta)
    uint64_t owner = 0;
    Clock::time_point updated;
  };
  template <typename Pred>
  wire::Bytes remove_if(Pred pred);

  std::unordered_map<uint64_t, Client> clients_;
  using ClientIt = std::unordered_map<uint64_t, Client>::const_iterator;
  // Yjs's rule: an entry replaces the known state `it` (clients_.end(): none) when its clock
  // is newer, or, at the same clock, when it removes a state that is present.
  bool supersedes(const wire::AwarenessEntry& e, ClientIt it) const;
  size_t bytes_ = 0;  // sum of clients_[*].state.size()
  std::unordered_map<uint64_t, size_t> owner_bytes_;  // the same by owner; no zero entries
  void add_bytes(uint64_t owner, size_t n);
  void sub_bytes(uint64_t owner, size_t n);
};

}  // namespace mockloop::room
