#include "loop/study_hub.hpp"

#include <algorithm>

#include "loop/limits.hpp"
#include "loop/session_hub.hpp"
#include "loop/views.hpp"

namespace mockloop::loop {
namespace {

std::shared_ptr<const std::vector<uint8_t>> encode(const v1::ServerMessage& msg) {
  auto buf = std::make_shared<std::vector<uint8_t>>(msg.ByteSizeLong());
  msg.SerializeToArray(buf->data(), static_cast<int>(buf->size()));
  return buf;
}

}  // namespace

// ---------------------------------------------------------------- StudySession

StudySession::StudySession(StudyHub& hub, Principal principal, std::weak_ptr<room::Peer> peer)
    : hub_(hub), p_(std::move(principal)), peer_(std::move(peer)) {}

std::string StudySession::peer_id() const {
  std::lock_guard lock(mu_);
  return peer_id_;
}

void StudySession::send_frame(std::shared_ptr<const std::vector<uint8_t>> frame) {
  if (closed_) return;
  if (auto peer = peer_.lock()) peer->send(std::move(frame));
}

void StudySession::send(const v1::ServerMessage& msg) { send_frame(encode(msg)); }

void StudySession::send_error(uint64_t request_id, const Error& e) {
  v1::ServerMessage out;
  out.set_request_id(request_id);
  out.mutable_error()->set_code(std::string(info(e.code).wire_code));
  out.mutable_error()->set_message(exposed_to_client(e.code) ? e.message : "internal error");
  send(out);
}

void StudySession::close(uint16_t code, std::string reason) {
  if (closed_.exchange(true)) return;
  hub_.remove(*this);
  if (auto peer = peer_.lock()) peer->close(code, std::move(reason));
}

void StudySession::leave() {
  if (closed_.exchange(true)) return;
  hub_.remove(*this);
}

void StudySession::on_message(std::span<const uint8_t> frame) {
  if (closed_) return;
  if (frame.size() > kMaxSessionFrameBytes) {
    close(kCloseTooBig, "message too big");
    return;
  }
  v1::ClientMessage msg;
  if (!msg.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
    if (++bad_frames_ >= kMaxBadFrames) {
      close(room::kCloseInvalidPayload, "malformed messages");
      return;
    }
    send_error(0, make_error(Errc::invalid_argument, "malformed ClientMessage"));
    return;
  }
  hub_.handle(*this, msg);
}

// ---------------------------------------------------------------- StudyHub

StudyHub::StudyHub(LoopService& loops, StudyService& study) : loops_(loops), study_(study) {
  revoke_listener_ = loops_.on_revoke(
      [this](const std::string& token_id, const std::string& reason) { close_token(token_id, reason); });
}

StudyHub::~StudyHub() { loops_.remove_revoke_listener(revoke_listener_); }

Result<std::shared_ptr<StudySession>> StudyHub::open(std::string_view token, std::shared_ptr<room::Peer> peer) {
  auto p = loops_.authenticate(token);
  if (!p) return p.error();
  if (auto ok = study_.check_open(*p); !ok) return ok.error();
  {
    std::lock_guard lock(mu_);
    auto& n = open_[p->study_id];
    if (n >= kMaxStudySessions) return make_error(Errc::conflict, "the study room has 24 connections already");
    ++n;
  }
  return std::make_shared<StudySession>(*this, std::move(*p), peer);
}

void StudyHub::remove(StudySession& s) {
  const std::string& room = s.p_.study_id;
  {
    std::lock_guard lock(mu_);
    if (auto it = open_.find(room); it != open_.end() && --it->second == 0) open_.erase(it);
    if (auto it = rooms_.find(room); it != rooms_.end()) {
      std::erase_if(it->second, [&](const std::weak_ptr<StudySession>& w) {
        auto l = w.lock();
        return !l || l.get() == &s;
      });
      if (it->second.empty()) rooms_.erase(it);
    }
  }
  const std::string peer = s.peer_id();
  if (peer.empty()) return;
  auto peers = study_.leave(s.p_, peer);
  if (!peers) return;
  v1::ServerMessage out;
  *out.mutable_study_peers() = std::move(*peers);
  broadcast(room, std::move(out), nullptr, 0);
}

std::vector<std::shared_ptr<StudySession>> StudyHub::members(const std::string& study_id) {
  std::vector<std::shared_ptr<StudySession>> out;
  std::lock_guard lock(mu_);
  auto it = rooms_.find(study_id);
  if (it == rooms_.end()) return out;
  for (auto& w : it->second)
    if (auto s = w.lock(); s && !s->closed()) out.push_back(std::move(s));
  return out;
}

std::size_t StudyHub::session_count() {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [id, count] : open_) n += count;
  return n;
}

void StudyHub::broadcast(const std::string& study_id, v1::ServerMessage msg, StudySession* origin,
                         uint64_t request_id, bool reply) {
  auto frame = encode(msg);
  for (auto& s : members(study_id))
    if (s.get() != origin) s->send_frame(frame);
  if (origin && reply) {
    msg.set_request_id(request_id);
    origin->send(msg);
  }
}

void StudyHub::broadcast_change(const std::string& study_id, const StudyService::Change& c, StudySession* origin,
                                uint64_t request_id) {
  if (c.peers) {
    v1::ServerMessage out;
    *out.mutable_study_peers() = *c.peers;
    broadcast(study_id, std::move(out), origin, request_id);
  }
  if (c.timer) {
    v1::ServerMessage out;
    *out.mutable_timer() = *c.timer;
    broadcast(study_id, std::move(out), origin, request_id);
  }
}

void StudyHub::join(StudySession& s, const v1::ClientMessage& msg) {
  const uint64_t rid = msg.request_id();
  if (!s.peer_id().empty()) return s.send_error(rid, make_error(Errc::conflict, "already joined"));
  auto joined = study_.join(s.p_, msg.study_join().peer_id(), msg.study_join().name());
  if (!joined) return s.send_error(rid, joined.error());
  {
    std::lock_guard lock(s.mu_);
    s.peer_id_ = joined->peer_id;
  }
  if (s.closed()) {  // the connection ended meanwhile: remove() did not know the peer yet
    (void)study_.leave(s.p_, joined->peer_id);
    return;
  }
  {
    std::lock_guard lock(mu_);
    rooms_[s.p_.study_id].push_back(s.shared_from_this());
  }
  v1::ServerMessage snap;
  snap.set_request_id(rid);
  *snap.mutable_study_snapshot() = std::move(joined->snapshot);
  s.send(snap);
  v1::ServerMessage peers;
  *peers.mutable_study_peers() = std::move(joined->peers);
  broadcast(s.p_.study_id, std::move(peers), &s, 0, /*reply=*/false);
}

void StudyHub::handle(StudySession& s, const v1::ClientMessage& msg) {
  const uint64_t rid = msg.request_id();
  const std::string& room = s.p_.study_id;
  v1::ServerMessage out;
  out.set_request_id(rid);
  switch (msg.body_case()) {
    case v1::ClientMessage::kPing:
      out.mutable_pong()->set_client_time_ms(msg.ping().client_time_ms());
      out.mutable_pong()->set_server_time_ms(study_.now_ms());
      return s.send(out);
    case v1::ClientMessage::kStudyJoin:
      return join(s, msg);
    case v1::ClientMessage::kJoinRound:
    case v1::ClientMessage::kSaveScorecard:
    case v1::ClientMessage::kSubmitScorecard:
      return s.send_error(rid, make_error(Errc::forbidden, "a study room has no rounds or scorecards"));
    default:
      break;
  }
  const std::string peer = s.peer_id();
  if (peer.empty()) return s.send_error(rid, make_error(Errc::conflict, "send study_join first"));
  switch (msg.body_case()) {
    case v1::ClientMessage::kTimer: {
      auto c = study_.timer_command(s.p_, msg.timer());
      if (!c) return s.send_error(rid, c.error());
      return broadcast_change(room, *c, &s, rid);
    }
    case v1::ClientMessage::kSelectQuestion: {
      auto q = study_.select_question(s.p_, msg.select_question().question_id());
      if (!q) return s.send_error(rid, q.error());
      // Practice: every peer gets the prompt and the question with its hints.
      *out.mutable_question_selected()->mutable_prompt() = prompt_of(*q);
      *out.mutable_question_selected()->mutable_question() = std::move(*q);
      return broadcast(room, std::move(out), &s, rid);
    }
    case v1::ClientMessage::kStudyRotation: {
      auto peers = study_.set_rotation(s.p_, msg.study_rotation().enabled());
      if (!peers) return s.send_error(rid, peers.error());
      *out.mutable_study_peers() = std::move(*peers);
      return broadcast(room, std::move(out), &s, rid);
    }
    case v1::ClientMessage::kStudyFeedback: {
      auto fb = study_.submit_feedback(s.p_, peer, msg.study_feedback());
      if (!fb) return s.send_error(rid, fb.error());
      *out.mutable_study_feedback()->mutable_feedback() = std::move(*fb);
      return broadcast(room, std::move(out), &s, rid);
    }
    default:
      return s.send_error(rid, make_error(Errc::invalid_argument, "empty or unknown ClientMessage"));
  }
}

void StudyHub::close_token(const std::string& token_id, const std::string& reason) {
  std::vector<std::shared_ptr<StudySession>> victims;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, list] : rooms_)
      for (auto& w : list)
        if (auto s = w.lock(); s && s->p_.token_id == token_id) victims.push_back(std::move(s));
  }
  for (auto& s : victims) s->close(kCloseRevoked, reason);
}

void StudyHub::tick(std::chrono::system_clock::time_point now) {
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  for (const auto& room : study_.active_rooms()) {
    auto c = study_.advance(room, now_ms);
    if (c) broadcast_change(room, *c, nullptr, 0);
  }
}

}  // namespace mockloop::loop
