#include "loop/session_hub.hpp"

#include <algorithm>

#include "loop/limits.hpp"

namespace mockloop::loop {
// ---------------------------------------------------------------- Session

Session::Session(SessionHub& hub, std::weak_ptr<room::Peer> peer, std::shared_ptr<SerialQueue> queue)
    : QueuedSession(std::move(peer), std::move(queue), hub.jobs_, hub.options_.pause_reads_at), hub_(hub) {}

void Session::dispatch(const v1::ClientMessage& msg) { hub_.handle(*this, msg); }

void Session::detach() { hub_.remove(*this); }

std::chrono::steady_clock::duration Session::admit(const v1::ClientMessage& msg) {
  // Offers and candidates are cheap to send and fan out: over their rate, reads pause.
  if (!msg.has_call_signal()) return {};
  return signal_bucket_.take();
}

// ---------------------------------------------------------------- SessionHub

SessionHub::SessionHub(LoopService& service, SessionHubOptions options, CallOptions calls)
    : service_(service),
      options_(options),
      calls_(std::make_unique<CallHub>(*this, service, std::move(calls))),
      pool_(std::make_unique<WorkerPool>(options.workers, options.max_queued_sessions)) {
  revoke_listener_ = service_.on_revoke(
      [this](const std::string& token_id, const std::string& reason, uint16_t code) {
        close_token(token_id, reason, code);
      });
  panel_listener_ = service_.on_panel_changed(
      [this](const std::string& loop_id, uint32_t round) { broadcast_panel_changed({loop_id, round}); });
}

SessionHub::~SessionHub() {
  service_.remove_revoke_listener(revoke_listener_);
  service_.remove_panel_listener(panel_listener_);
  stop();
}

void SessionHub::stop() { pool_->stop(); }

void SessionHub::wait_idle() { jobs_.wait_idle(); }

std::shared_ptr<Session> SessionHub::open(std::string token, const std::shared_ptr<room::Peer>& peer) {
  auto s = std::make_shared<Session>(*this, peer, SerialQueue::create(*pool_, options_.max_queued_per_session));
  s->run([token = std::move(token)](Session& self) { self.hub_.open_now(self.shared_from_this(), token); });
  return s;
}

void SessionHub::open_now(const std::shared_ptr<Session>& s, const std::string& token) {
  const uint64_t ended_before = access_ended_.load();
  auto p = service_.authenticate(token);
  if (!p) return s->close(close_code(p.error().code), p.error().message);
  auto round = service_.default_round(*p);
  if (!round) return s->close(close_code(round.error().code), round.error().message);
  auto snap = service_.snapshot(*p, *round);
  if (!snap) return s->close(close_code(snap.error().code), snap.error().message);
  // The host's invite list shows who joined; failing to note it must not refuse the session.
  (void)service_.note_joined(*p);
  s->p_ = std::move(*p);
  v1::ServerMessage out;
  *out.mutable_snapshot() = std::move(*snap);
  *out.mutable_snapshot()->mutable_call() = calls_->describe(*s, *round);
  s->send(out);
  join(s, *round);
  if (access_ended_.load() == ended_before) return;
  // Some token's access ended while this one opened (revoked, expired or changed): if it
  // was this one, close_token() ran before join() and missed the session.
  auto again = service_.authenticate(token);
  if (!again) return s->close(close_code(again.error().code), again.error().message);
  if (again->participant.SerializeAsString() != s->p_.participant.SerializeAsString())
    s->close(kCloseAccessChanged, "access changed");
}

void SessionHub::join(const std::shared_ptr<Session>& s, uint32_t round) {
  // The call belongs to the round: moving to another round leaves it.
  if (round != s->round()) calls_->left(*s, s->round());
  const uint32_t old_round = s->round();
  bool was_member = false;
  {
    std::lock_guard lock(mu_);
    auto& old_members = rooms_[{s->p_.loop_id, s->round()}];
    was_member = std::erase_if(old_members, [&](const std::weak_ptr<Session>& w) {
                   auto l = w.lock();
                   return l == s;
                 }) > 0;
    std::erase_if(old_members, [](const std::weak_ptr<Session>& w) { return w.expired(); });
    if (old_members.empty()) rooms_.erase({s->p_.loop_id, s->round()});
    s->round_ = round;
    rooms_[{s->p_.loop_id, round}].push_back(s);
  }
  // Presence on the replay timeline (issue 19); this runs on the hub's worker. A failure to
  // note it must not refuse the session.
  if (was_member && old_round == round) return;
  if (was_member) (void)service_.record_presence(s->p_, old_round, false);
  (void)service_.record_presence(s->p_, round, true);
}

void SessionHub::remove(Session& s) {
  {
    std::lock_guard lock(mu_);
    auto it = rooms_.find({s.p_.loop_id, s.round()});
    if (it == rooms_.end()) return;
    // Presence on the replay timeline: noted on a worker (remove may run on an io thread).
    (void)pool_->post(jobs_.counted([this, p = s.p_, round = s.round()] { (void)service_.record_presence(p, round, false); }));
    std::erase_if(it->second, [&](const std::weak_ptr<Session>& w) {
      auto l = w.lock();
      return !l || l.get() == &s;
    });
    if (it->second.empty()) rooms_.erase(it);
  }
  calls_->left(s, s.round());
}

std::vector<std::shared_ptr<Session>> SessionHub::members(const RoomKey& room) {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return out;
  for (auto& w : it->second)
    if (auto s = w.lock(); s && !s->closed()) out.push_back(std::move(s));
  return out;
}

std::size_t SessionHub::session_count() {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [key, list] : rooms_)
    for (auto& w : list)
      if (auto s = w.lock(); s && !s->closed()) ++n;
  return n;
}

std::size_t SessionHub::room_count() {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [key, list] : rooms_) {
    for (auto& w : list) {
      if (auto s = w.lock(); s && !s->closed()) {
        ++n;
        break;
      }
    }
  }
  return n;
}

void SessionHub::handle(Session& s, const v1::ClientMessage& msg) {
  const uint64_t rid = msg.request_id();
  const uint32_t round = s.round();
  const RoomKey room{s.p_.loop_id, round};
  v1::ServerMessage out;
  out.set_request_id(rid);
  switch (msg.body_case()) {
    case v1::ClientMessage::kPing: {
      out.mutable_pong()->set_client_time_ms(msg.ping().client_time_ms());
      out.mutable_pong()->set_server_time_ms(service_.now_ms());
      s.send(out);
      return;
    }
    case v1::ClientMessage::kJoinRound: {
      auto snap = service_.snapshot(s.p_, msg.join_round().round_index());
      if (!snap) return s.send_error(rid, snap.error());
      join(s.shared_from_this(), msg.join_round().round_index());
      *out.mutable_snapshot() = std::move(*snap);
      *out.mutable_snapshot()->mutable_call() = calls_->describe(s, msg.join_round().round_index());
      s.send(out);
      return;
    }
    case v1::ClientMessage::kTimer: {
      auto t = service_.timer_command(s.p_, round, msg.timer());
      if (!t) return s.send_error(rid, t.error());
      broadcast_timer(room, *t, &s, rid);
      return;
    }
    case v1::ClientMessage::kSelectQuestion: {
      auto q = service_.select_question(s.p_, round, msg.select_question().question_id());
      if (!q) return s.send_error(rid, q.error());
      broadcast_question(room, *q, &s, rid);
      return;
    }
    case v1::ClientMessage::kSaveScorecard: {
      const auto& save = msg.save_scorecard();
      auto sc = service_.save_scorecard(s.p_, s.p_.loop_id, save.has_round_index() ? save.round_index() : round,
                                        save.draft(),
                                        save.has_base_revision() ? std::optional(save.base_revision()) : std::nullopt);
      if (!sc) return s.send_error(rid, sc.error());
      *out.mutable_scorecard()->mutable_scorecard() = std::move(*sc);
      s.send(out);
      return;
    }
    case v1::ClientMessage::kSubmitScorecard: {
      const auto& submit = msg.submit_scorecard();
      const uint32_t target = submit.has_round_index() ? submit.round_index() : round;
      auto sc = service_.submit_scorecard(s.p_, s.p_.loop_id, target,
                                          submit.has_base_revision() ? std::optional(submit.base_revision()) : std::nullopt);
      if (!sc) return s.send_error(rid, sc.error());
      // Submitting opens the colleagues' notes of that round (loop/notes_access.hpp): their
      // doc names go just before the reply (NotesDocs.round_index says which round).
      if (auto notes = service_.notes_docs(s.p_, target); notes) {
        v1::ServerMessage n;
        *n.mutable_notes() = std::move(*notes);
        s.send(n);
      }
      *out.mutable_scorecard()->mutable_scorecard() = std::move(*sc);
      s.send(out);
      return;
    }
    case v1::ClientMessage::kMoveLoop: {
      auto moved = service_.move_loop(s.p_, msg.move_loop().round_index(), msg.move_loop().take_break());
      if (!moved) return s.send_error(rid, moved.error());
      if (!moved->changed) {
        *out.mutable_progress() = moved->progress;
        s.send(out);
        return;
      }
      broadcast_progress(s.p_.loop_id, moved->progress,
                         std::make_pair(moved->from_round, moved->progress.current_round()), &s, rid);
      if (moved->started)
        broadcast_timer({s.p_.loop_id, moved->progress.current_round()}, *moved->started, nullptr, 0);
      return;
    }
    case v1::ClientMessage::kCallJoin: return calls_->join(s, msg.call_join(), rid);
    case v1::ClientMessage::kCallLeave: return calls_->leave(s, rid);
    case v1::ClientMessage::kCallSignal: return calls_->signal(s, msg.call_signal(), rid);
    case v1::ClientMessage::kCallAllowTalk: return calls_->allow_talk(s, msg.call_allow_talk(), rid);
    default:
      s.send_error(rid, make_error(Errc::invalid_argument, "empty or unknown ClientMessage"));
      return;
  }
}

void SessionHub::broadcast_timer(const RoomKey& room, const v1::TimerState& timer, Session* origin,
                                 uint64_t request_id) {
  v1::ServerMessage out;
  *out.mutable_timer() = timer;
  auto frame = encode_frame(out);
  for (auto& s : members(room)) {
    if (s.get() == origin) continue;
    s->send_frame(frame);
  }
  if (origin) {
    out.set_request_id(request_id);
    origin->send(out);
  }
}

void SessionHub::broadcast_question(const RoomKey& room, const QuestionSelection& q, Session* origin,
                                    uint64_t request_id) {
  v1::ServerMessage pub;
  *pub.mutable_question_selected()->mutable_prompt() = q.prompt;
  v1::ServerMessage staff = pub;
  *staff.mutable_question_selected()->mutable_question() = q.question;
  auto pub_frame = encode_frame(pub);
  auto staff_frame = encode_frame(staff);
  for (auto& s : members(room)) {
    if (s.get() == origin) continue;
    s->send_frame(is_staff_of_round(s->principal(), room.second) ? staff_frame : pub_frame);
  }
  if (origin) {
    v1::ServerMessage reply = is_staff_of_round(origin->principal(), room.second) ? staff : pub;
    reply.set_request_id(request_id);
    origin->send(reply);
  }
}

void SessionHub::broadcast_run(const std::string& loop_id, uint32_t round, const std::string& run_id,
                               const std::function<std::string(bool staff)>& view) {
  std::shared_ptr<const std::vector<uint8_t>> frames[2];  // [staff]
  for (auto& s : members({loop_id, round})) {
    const bool staff = is_staff_of_round(s->principal(), round);
    auto& f = frames[staff ? 1 : 0];
    if (!f) {
      v1::ServerMessage out;
      out.mutable_run_update()->set_run_id(run_id);
      out.mutable_run_update()->set_json(view(staff));
      f = encode_frame(out);
    }
    s->send_frame(f);
  }
}

void SessionHub::broadcast_run_update(const std::string& loop_id, uint32_t round, const v1::RunUpdate& update,
                                      bool staff_only) {
  v1::ServerMessage out;
  *out.mutable_run_update() = update;
  auto frame = encode_frame(out);
  for (auto& s : members({loop_id, round}))
    if (!staff_only || is_staff_of_round(s->principal(), round)) s->send_frame(frame);
}

void SessionHub::broadcast_panel_changed(const RoomKey& room) {
  v1::ServerMessage out;
  out.mutable_panel_changed()->set_round_index(room.second);
  auto frame = encode_frame(out);
  for (auto& s : members(room))
    if (is_staff_of_round(s->principal(), room.second)) s->send_frame(frame);
}

void SessionHub::broadcast_progress(const std::string& loop_id, const v1::LoopProgress& progress,
                                    std::optional<std::pair<uint32_t, uint32_t>> follow, Session* origin,
                                    uint64_t request_id) {
  std::vector<std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, list] : rooms_) {
      if (key.first != loop_id) continue;
      for (auto& w : list)
        if (auto s = w.lock(); s && !s->closed()) all.push_back(std::move(s));
    }
  }
  v1::ServerMessage pub;
  *pub.mutable_progress() = progress;
  auto frame = encode_frame(pub);
  for (auto& s : all) {
    if (s.get() == origin) {
      v1::ServerMessage reply = pub;
      reply.set_request_id(request_id);
      s->send(reply);
    } else {
      s->send_frame(frame);
    }
    if (!follow || follow->first == follow->second) continue;
    // On the session's own queue: its snapshot is built on a worker in order with its own
    // messages, and a JoinRound it sent meanwhile is seen (`round()` at that time).
    s->run([from = follow->first, to = follow->second](Session& self) {
      const bool candidate = self.principal().role() == v1::ROLE_CANDIDATE;
      if (self.round() != from && !(candidate && self.round() != to)) return;
      auto snap = self.hub_.service_.snapshot(self.principal(), to);
      if (!snap) return;  // an interviewer not assigned to the new round stays where it was
      self.hub_.join(self.shared_from_this(), to);
      v1::ServerMessage moved;
      *moved.mutable_snapshot() = std::move(*snap);
      *moved.mutable_snapshot()->mutable_call() = self.hub_.calls_->describe(self, to);
      self.send(moved);
    });
  }
}

void SessionHub::close_token(const std::string& token_id, const std::string& reason, uint16_t code) {
  ++access_ended_;  // before the search: see open_now()
  std::vector<std::shared_ptr<Session>> victims;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, list] : rooms_)
      for (auto& w : list)
        if (auto s = w.lock(); s && s->p_.token_id == token_id) victims.push_back(std::move(s));
  }
  for (auto& s : victims) s->close(code, reason);
}

void SessionHub::tick(std::chrono::system_clock::time_point now) {
  if (tick_queued_.exchange(true)) return;
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (!pool_->post(jobs_.counted([this, now_ms] {
        tick_now(now_ms);
        tick_queued_ = false;
      })))
    tick_queued_ = false;  // the pool is full or stopped: the next tick tries again
}

void SessionHub::tick_now(int64_t now_ms) {
  // Invites that expired since the last tick: their sessions (and, through the app's
  // listener, their /yjs connections) close with 4401.
  // A database error here is retried on the next tick (expire_due keeps its mark).
  (void)service_.expire_due(now_ms);
  std::vector<RoomKey> rooms;
  std::vector<std::string> loops;
  {
    std::lock_guard lock(mu_);
    for (auto it = rooms_.begin(); it != rooms_.end();) {
      std::erase_if(it->second, [](const std::weak_ptr<Session>& w) {
        auto s = w.lock();
        return !s || s->closed();
      });
      if (it->second.empty()) {
        it = rooms_.erase(it);
      } else {
        rooms.push_back(it->first);
        if (loops.empty() || loops.back() != it->first.first) loops.push_back(it->first.first);
        ++it;
      }
    }
  }
  // Breaks that ran out (or whose round was started by hand) end; the timer their end
  // started goes to the round's room. A database error is retried on the next tick.
  for (const auto& loop_id : loops) {
    auto ended = service_.end_break_if_due(loop_id, now_ms);
    if (!ended || !*ended) continue;
    broadcast_progress(loop_id, (*ended)->progress, std::nullopt, nullptr, 0);
    if ((*ended)->timer) broadcast_timer({loop_id, (*ended)->progress.current_round()}, *(*ended)->timer, nullptr, 0);
  }
  for (const auto& room : rooms) {
    auto changed = service_.advance_timer(room.first, room.second, now_ms);
    if (changed && *changed) broadcast_timer(room, **changed, nullptr, 0);
  }
}

}  // namespace mockloop::loop
