#include "loop/study_hub.hpp"

#include <algorithm>

#include "loop/limits.hpp"
#include "loop/session_hub.hpp"
#include "loop/views.hpp"

namespace mockloop::loop {
// ---------------------------------------------------------------- StudySession

StudySession::StudySession(StudyHub& hub, std::weak_ptr<room::Peer> peer, std::shared_ptr<SerialQueue> queue)
    : QueuedSession(std::move(peer), std::move(queue), hub.jobs_, hub.options_.pause_reads_at), hub_(hub) {}

std::string StudySession::peer_id() const {
  std::lock_guard lock(mu_);
  return peer_id_;
}

void StudySession::dispatch(const v1::ClientMessage& msg) { hub_.handle(*this, msg); }

void StudySession::detach() { hub_.remove(*this); }

// ---------------------------------------------------------------- StudyHub

StudyHub::StudyHub(LoopService& loops, StudyService& study, SessionHubOptions options)
    : loops_(loops),
      study_(study),
      options_(options),
      pool_(std::make_unique<WorkerPool>(options.workers, options.max_queued_sessions)) {
  revoke_listener_ = loops_.on_revoke(
      [this](const std::string& token_id, const std::string& reason, uint16_t code) {
        close_token(token_id, reason, code);
      });
}

StudyHub::~StudyHub() {
  loops_.remove_revoke_listener(revoke_listener_);
  stop();
}

void StudyHub::stop() { pool_->stop(); }

void StudyHub::wait_idle() { jobs_.wait_idle(); }

std::shared_ptr<StudySession> StudyHub::open(std::string token, const std::shared_ptr<room::Peer>& peer) {
  auto s = std::make_shared<StudySession>(*this, peer, SerialQueue::create(*pool_, options_.max_queued_per_session));
  s->run([token = std::move(token)](StudySession& self) { self.hub_.open_now(self.shared_from_this(), token); });
  return s;
}

void StudyHub::open_now(const std::shared_ptr<StudySession>& s, const std::string& token) {
  const uint64_t ended_before = access_ended_.load();
  auto p = loops_.authenticate(token);
  if (!p) return s->close(close_code(p.error().code), p.error().message);
  if (auto ok = study_.check_open(*p); !ok) return s->close(close_code(ok.error().code), ok.error().message);
  {
    std::lock_guard lock(mu_);
    auto& list = open_[p->study_id];
    if (list.size() >= kMaxStudySessions) return s->close(close_code(Errc::conflict), "the study room has 24 connections already");
    list.push_back(s);
    s->p_ = std::move(*p);
    s->counted_ = true;
  }
  if (access_ended_.load() == ended_before) return;
  // Some token's access ended while this one opened: if it was this one, close_token()
  // ran before the session was listed and missed it.
  if (auto again = loops_.authenticate(token); !again) s->close(close_code(again.error().code), again.error().message);
}

void StudyHub::remove(StudySession& s) {
  std::string room, peer;
  {
    std::lock_guard lock(mu_);
    if (!s.counted_.exchange(false)) return;  // never opened: nothing to undo
    room = s.p_.study_id;
    for (auto* lists : {&open_, &rooms_}) {
      auto it = lists->find(room);
      if (it == lists->end()) continue;
      std::erase_if(it->second, [&](const std::weak_ptr<StudySession>& w) {
        auto l = w.lock();
        return !l || l.get() == &s;
      });
      if (it->second.empty()) lists->erase(it);
    }
    peer = s.peer_id();
  }
  if (peer.empty()) return;
  // The service's mutex may be held over SQLite: the peer leaves on a worker.
  if (!pool_->post(jobs_.counted([this, p = s.p_, peer] { leave_now(p, peer); }))) leave_now(s.p_, peer);
}

void StudyHub::leave_now(const Principal& p, const std::string& peer_id) {
  auto peers = study_.leave(p, peer_id);
  if (!peers) return;
  v1::ServerMessage out;
  *out.mutable_study_peers() = std::move(*peers);
  broadcast(p.study_id, std::move(out), nullptr, 0);
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
  for (auto& [id, list] : open_) n += list.size();
  return n;
}

void StudyHub::broadcast(const std::string& study_id, v1::ServerMessage msg, StudySession* origin,
                         uint64_t request_id, bool reply) {
  auto frame = encode_frame(msg);
  for (auto& s : members(study_id))
    if (s.get() != origin) s->send_frame(frame);
  if (origin && reply) {
    msg.set_request_id(request_id);
    origin->send(msg);
  }
}

void StudyHub::broadcast_run_update(const std::string& study_id, const v1::RunUpdate& update) {
  v1::ServerMessage out;
  *out.mutable_run_update() = update;
  broadcast(study_id, std::move(out), nullptr, 0, false);
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
  bool gone = false;
  {
    std::lock_guard lock(mu_);
    gone = !s.counted_;  // the connection ended meanwhile: remove() did not know the peer
    if (!gone) {
      std::lock_guard peer_lock(s.mu_);
      s.peer_id_ = joined->peer_id;
      rooms_[s.p_.study_id].push_back(s.shared_from_this());
    }
  }
  if (gone) return leave_now(s.p_, joined->peer_id);
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

void StudyHub::close_token(const std::string& token_id, const std::string& reason, uint16_t code) {
  ++access_ended_;  // before the search: see open_now()
  std::vector<std::shared_ptr<StudySession>> victims;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, list] : open_)  // joined or not: a session that never joined closes too
      for (auto& w : list)
        if (auto s = w.lock(); s && s->p_.token_id == token_id) victims.push_back(std::move(s));
  }
  for (auto& s : victims) s->close(code, reason);
}

void StudyHub::tick(std::chrono::system_clock::time_point now) {
  if (tick_queued_.exchange(true)) return;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (!pool_->post(jobs_.counted([this, now_ms] {
        for (const auto& room : study_.active_rooms()) {
          auto c = study_.advance(room, now_ms);
          if (c) broadcast_change(room, *c, nullptr, 0);
        }
        tick_queued_ = false;
      })))
    tick_queued_ = false;  // the pool is full or stopped: the next tick tries again
}

}  // namespace mockloop::loop
