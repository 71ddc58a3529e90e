// CallHub: the calls of the rounds (issue 17). One call per round of a loop, with at most
// kMaxCallPeers members; the browsers connect peer to peer (WebRTC) and the hub only relays
// their offers, answers and ICE candidates (CallSignal) between two members of the same
// call, and tells everyone in the round who is in it (CallState).
//
// Who may: the policy's `call` cells (loop/call_rules.hpp): read joins and listens, write
// talks; observers listen until the host lets them talk (CallAllowTalk, kept here in memory
// per loop, not stored). A signal is relayed only when sender and receiver are members of the
// same call now and neither token has expired; a session whose token is revoked is closed by
// the SessionHub and leaves its call on the way (left()), so nothing reaches it or comes from
// it after that. A token of another loop or a study token cannot even name a member: calls
// are looked up by the sender's own loop and round. A listen-only member's descriptions may
// not send audio or video (sdp_sends_media).
//
// Threads: every method runs on a worker of the SessionHub, join/leave/signal/allow_talk/
// describe on the calling session's queue, left() from wherever the session was removed.
// mu_ guards calls_, grants_ and next_epoch_; sends happen after it is released.
// Ownership: owned by the SessionHub; holds weak references to sessions.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "loop/call_limits.hpp"
#include "loop/loop_service.hpp"
#include "session.pb.h"

namespace mockloop::loop {

class Session;
class SessionHub;

class CallHub {
 public:
  CallHub(SessionHub& hub, LoopService& service, CallOptions options);

  // The requests of session `s` (on its queue); replies carry `rid`.
  void join(Session& s, const v1::CallJoin& m, uint64_t rid);
  void leave(Session& s, uint64_t rid);
  void signal(Session& s, const v1::CallSignal& m, uint64_t rid);
  void allow_talk(Session& s, const v1::CallAllowTalk& m, uint64_t rid);
  // The call of `round` as `s` sees it (for its StateSnapshot).
  v1::CallState describe(const Session& s, uint32_t round);
  // `s` is no longer in round `round` (moved, closed, revoked): takes it out of that call
  // and tells the round.
  void left(const Session& s, uint32_t round);

  // Members of every call (metrics and tests).
  std::size_t member_count();

 private:
  using RoomKey = std::pair<std::string, uint32_t>;
  struct Member {
    std::weak_ptr<Session> session;
    const Session* raw = nullptr;
    v1::CallPeer peer;
    int64_t expires_at_ms = 0;  // the member's token (0 = never)
  };

  // REQUIRES: mu_ held.
  v1::CallState state_for(const RoomKey& room, const Session& receiver);
  bool granted(const std::string& loop_id, const std::string& participant_id);
  // Sends each session of `room` its CallState (but `skip`).
  void tell_room(const RoomKey& room, const Session* skip);
  void add_ice_servers(v1::CallState& state, const std::string& participant_id) const;

  SessionHub& hub_;
  LoopService& service_;
  const CallOptions options_;
  std::mutex mu_;
  std::map<RoomKey, std::vector<Member>> calls_;
  std::map<std::string, std::set<std::string>> grants_;  // loop id -> observers let talk
  uint64_t next_epoch_ = 1;
};

}  // namespace mockloop::loop
