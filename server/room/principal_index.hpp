// PrincipalIndex: which live connections act for which principal (an opaque key the
// Authorizer chose, e.g. an invite token's id), so that everything a principal has open
// can be closed at once when its access ends (revocation, expiry). The room does not know
// what a key means; an empty key is never indexed.
//
// Thread-safety: every method may be called from any thread; one mutex guards the map.
// Peer::close is called after the mutex is released. Memory: one entry per open
// connection with a key; untrack() (the transport's on_close) removes it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "room/peer.hpp"

namespace mockloop::room {

class PrincipalIndex {
 public:
  void track(const std::string& key, const std::shared_ptr<Peer>& peer);
  void untrack(const std::string& key, uint64_t peer_id);
  // Closes every connection tracked under `key` with `code` and `reason` and forgets them.
  // Returns how many were still open.
  size_t close_all(const std::string& key, uint16_t code, const std::string& reason);
  size_t size() const;

 private:
  struct Entry {
    uint64_t id;
    std::weak_ptr<Peer> peer;
  };
  mutable std::mutex mu_;  // guards by_key_
  std::unordered_map<std::string, std::vector<Entry>> by_key_;
};

}  // namespace mockloop::room
