#include "loop/call_hub.hpp"

#include <algorithm>

#include "loop/call_rules.hpp"
#include "loop/limits.hpp"
#include "loop/session_hub.hpp"
#include "loop/turn_credentials.hpp"

namespace mockloop::loop {
namespace {

bool expired(int64_t expires_at_ms, int64_t now_ms) { return expires_at_ms != 0 && expires_at_ms <= now_ms; }

bool is_turn_url(const std::string& url) { return url.starts_with("turn:") || url.starts_with("turns:"); }

}  // namespace

CallHub::CallHub(SessionHub& hub, LoopService& service, CallOptions options)
    : hub_(hub), service_(service), options_(std::move(options)) {}

bool CallHub::granted(const std::string& loop_id, const std::string& participant_id) {
  auto it = grants_.find(loop_id);
  return it != grants_.end() && it->second.count(participant_id) > 0;
}

v1::CallState CallHub::state_for(const RoomKey& room, const Session& receiver) {
  v1::CallState st;
  st.set_round_index(room.second);
  st.set_max_peers(static_cast<uint32_t>(kMaxCallPeers));
  bool turn = !options_.turn_secret.empty() && std::ranges::any_of(options_.ice_servers, is_turn_url);
  st.set_turn_configured(turn);
  st.set_can_allow_talk(permitted(receiver.principal(), room.first, policy::Resource::call_moderation,
                                  policy::Action::write));
  if (auto g = grants_.find(room.first); g != grants_.end() && st.can_allow_talk())
    for (const auto& pid : g->second) st.add_talk_allowed(pid);
  auto it = calls_.find(room);
  if (it == calls_.end()) return st;
  for (const auto& m : it->second) {
    if (m.raw == &receiver) {
      st.set_joined(true);
      st.set_epoch(m.peer.epoch());
      st.set_may_talk(m.peer.may_talk());
    } else {
      *st.add_peers() = m.peer;
    }
  }
  return st;
}

void CallHub::add_ice_servers(v1::CallState& state, const std::string& participant_id) const {
  v1::IceServer* turn = nullptr;
  for (const auto& url : options_.ice_servers) {
    if (!is_turn_url(url)) {
      state.add_ice_servers()->add_urls(url);
      continue;
    }
    if (options_.turn_secret.empty()) continue;  // a TURN server is useless without credentials
    if (!turn) {
      turn = state.add_ice_servers();
      const int64_t now_s = service_.now_ms() / 1000;
      auto c = make_turn_credentials(options_.turn_secret, participant_id, now_s, options_.turn_ttl.count());
      turn->set_username(c.username);
      turn->set_credential(c.credential);
      state.set_ice_expires_at_ms(c.expires_at_s * 1000);
    }
    turn->add_urls(url);
  }
}

void CallHub::tell_room(const RoomKey& room, const Session* skip) {
  for (auto& s : hub_.members(room)) {
    if (s.get() == skip) continue;
    v1::ServerMessage out;
    {
      std::lock_guard lock(mu_);
      *out.mutable_call_state() = state_for(room, *s);
    }
    s->send(out);
  }
}

v1::CallState CallHub::describe(const Session& s, uint32_t round) {
  std::lock_guard lock(mu_);
  return state_for({s.principal().loop_id, round}, s);
}

void CallHub::join(Session& s, const v1::CallJoin& m, uint64_t rid) {
  const Principal& p = s.principal();
  const RoomKey room{p.loop_id, s.round()};
  bool grant = false;
  {
    std::lock_guard lock(mu_);
    grant = granted(p.loop_id, p.participant.id());
  }
  auto rights = call_rights(service_, p, room.second, grant);
  if (!rights) return s.send_error(rid, rights.error());
  std::shared_ptr<Session> replaced;
  v1::ServerMessage reply;
  reply.set_request_id(rid);
  {
    std::lock_guard lock(mu_);
    auto& members = calls_[room];
    std::erase_if(members, [](const Member& x) { return x.session.expired(); });
    auto self = std::ranges::find(members, &s, &Member::raw);
    if (self == members.end()) {
      // The same person joining again (a reload, another tab) replaces the earlier member.
      auto same = std::ranges::find_if(members, [&](const Member& x) { return x.peer.participant_id() == p.participant.id(); });
      if (same != members.end()) {
        replaced = same->session.lock();
        members.erase(same);
      }
      if (members.size() >= kMaxCallPeers) {
        if (members.empty()) calls_.erase(room);
        return s.send_error(rid, make_error(Errc::conflict, "the call is full (" + std::to_string(kMaxCallPeers) +
                                                                " people)"));
      }
      Member fresh;
      fresh.session = s.weak_from_this();
      fresh.raw = &s;
      fresh.expires_at_ms = p.expires_at_ms;
      fresh.peer.set_participant_id(p.participant.id());
      fresh.peer.set_display_name(p.participant.display_name());
      fresh.peer.set_role(p.role());
      fresh.peer.set_epoch(next_epoch_++);
      members.push_back(std::move(fresh));
      self = members.end() - 1;
    }
    self->peer.set_may_talk(rights->talk);
    self->peer.set_audio_only(m.audio_only());
    *reply.mutable_call_state() = state_for(room, s);
  }
  add_ice_servers(*reply.mutable_call_state(), p.participant.id());
  s.send(reply);
  if (replaced && replaced.get() != &s) {
    v1::ServerMessage out;
    {
      std::lock_guard lock(mu_);
      *out.mutable_call_state() = state_for({replaced->principal().loop_id, replaced->round()}, *replaced);
    }
    out.mutable_call_state()->set_ended_reason("joined the call from another page");
    replaced->send(out);
  }
  tell_room(room, &s);
  // Closed meanwhile (revoked while this ran): its left() may have run before the add.
  if (s.closed()) left(s, room.second);
}

void CallHub::leave(Session& s, uint64_t rid) {
  left(s, s.round());
  v1::ServerMessage reply;
  reply.set_request_id(rid);
  {
    std::lock_guard lock(mu_);
    *reply.mutable_call_state() = state_for({s.principal().loop_id, s.round()}, s);
  }
  s.send(reply);
}

void CallHub::left(const Session& s, uint32_t round) {
  const RoomKey room{s.principal().loop_id, round};
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(room);
    if (it == calls_.end()) return;
    const auto before = it->second.size();
    std::erase_if(it->second, [&](const Member& x) { return x.raw == &s || x.session.expired(); });
    const bool removed = it->second.size() != before;
    if (it->second.empty()) calls_.erase(it);
    if (!removed) return;
  }
  tell_room(room, &s);
}

void CallHub::signal(Session& s, const v1::CallSignal& m, uint64_t rid) {
  if (auto ok = check_signal(m); !ok) return s.send_error(rid, ok.error());
  const RoomKey room{s.principal().loop_id, s.round()};
  const int64_t now = service_.now_ms();
  std::shared_ptr<Session> target;
  v1::ServerMessage out;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(room);
    const Member* from = nullptr;
    const Member* to = nullptr;
    if (it != calls_.end()) {
      for (const auto& x : it->second) {
        if (x.raw == &s) from = &x;
        else if (x.peer.participant_id() == m.peer_id()) to = &x;
      }
    }
    if (!from) return s.send_error(rid, make_error(Errc::forbidden, "join the round's call before signalling"));
    if (expired(from->expires_at_ms, now)) return s.send_error(rid, make_error(Errc::unauthenticated, "invite expired"));
    if (!to || (m.peer_epoch() != 0 && m.peer_epoch() != to->peer.epoch()))
      return s.send_error(rid, make_error(Errc::not_found, "no such peer in this call"));
    if (expired(to->expires_at_ms, now)) return s.send_error(rid, make_error(Errc::not_found, "no such peer in this call"));
    if (m.has_description() && !from->peer.may_talk() && sdp_sends_media(m.description().sdp()))
      return s.send_error(rid, make_error(Errc::forbidden, "listen-only: the description may not send audio or video"));
    target = to->session.lock();
    if (!target || target->closed()) return s.send_error(rid, make_error(Errc::not_found, "no such peer in this call"));
    auto* sig = out.mutable_call_signal();
    *sig = m;
    sig->set_peer_id(from->peer.participant_id());
    sig->set_peer_epoch(from->peer.epoch());
  }
  target->send(out);
}

void CallHub::allow_talk(Session& s, const v1::CallAllowTalk& m, uint64_t rid) {
  const Principal& p = s.principal();
  if (auto ok = permit(p, p.loop_id, policy::Resource::call_moderation, policy::Action::write); !ok)
    return s.send_error(rid, ok.error());
  if (m.participant_id().empty() || m.participant_id().size() > kMaxCallPeerIdBytes)
    return s.send_error(rid, make_error(Errc::invalid_argument, "participant_id must be 1 to " +
                                                                    std::to_string(kMaxCallPeerIdBytes) + " bytes"));
  std::vector<RoomKey> changed;
  v1::ServerMessage reply;
  reply.set_request_id(rid);
  {
    std::lock_guard lock(mu_);
    auto& g = grants_[p.loop_id];
    if (m.allowed()) {
      if (g.size() >= static_cast<size_t>(kMaxParticipants) && !g.count(m.participant_id()))
        return s.send_error(rid, make_error(Errc::invalid_argument, "too many talk grants"));
      g.insert(m.participant_id());
    } else {
      g.erase(m.participant_id());
    }
    if (g.empty()) grants_.erase(p.loop_id);
    // Observers already in a call change at once (their page renegotiates to send or stop).
    for (auto& [room, members] : calls_) {
      if (room.first != p.loop_id) continue;
      for (auto& x : members) {
        if (x.peer.participant_id() != m.participant_id() || x.peer.role() != v1::ROLE_OBSERVER) continue;
        x.peer.set_may_talk(m.allowed());
        changed.push_back(room);
      }
    }
    *reply.mutable_call_state() = state_for({p.loop_id, s.round()}, s);
  }
  s.send(reply);
  for (const auto& room : changed) tell_room(room, room.second == s.round() ? &s : nullptr);
}

std::size_t CallHub::member_count() {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [room, members] : calls_) n += members.size();
  return n;
}

}  // namespace mockloop::loop
