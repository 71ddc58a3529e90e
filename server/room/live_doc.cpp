#include "room/live_doc.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "room/room_metrics.hpp"
#include "wire/message.hpp"

namespace mockloop::room {

namespace {

constexpr uint64_t kNoSender = ~uint64_t{0};

Frame make_frame(std::vector<uint8_t> bytes) { return std::make_shared<const std::vector<uint8_t>>(std::move(bytes)); }

}  // namespace

namespace {

bool history_kept(const std::string& name, const RoomContext& ctx) {
  return ctx.writer != nullptr && ctx.history.retention_days != kHistoryOff && ctx.history.keeps &&
         ctx.history.keeps(name);
}

}  // namespace

LiveDoc::LiveDoc(std::string name, const RoomContext& ctx)
    : name_(std::move(name)), ctx_(ctx), keeps_history_(history_kept(name_, ctx)), idle_since_(ctx.clock()) {}

LiveDoc::~LiveDoc() {
  if (state_ != State::loading && doc_ != nullptr) RoomMetrics::get().docs_loaded.sub(1);
}

void LiveDoc::finish_load(std::unique_ptr<CrdtDoc> doc, size_t logged_updates, size_t logged_bytes,
                          size_t snapshot_bytes) {
  {
    std::lock_guard lock(mu_);
    doc_ = std::move(doc);
    logged_ = logged_updates;
    logged_bytes_ = logged_bytes;
    snapshot_bytes_ = snapshot_bytes;
    state_ = State::ready;
    idle_since_ = ctx_.clock();
  }
  RoomMetrics::get().docs_loaded.add(1);
  loaded_cv_.notify_all();
  run_load_waiters();
}

void LiveDoc::fail_load(const Error& error) {
  {
    std::lock_guard lock(mu_);
    load_error_ = error;
    state_ = State::closed;
  }
  loaded_cv_.notify_all();
  run_load_waiters();
}

void LiveDoc::when_loaded(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (state_ == State::loading) {
      load_waiters_.push_back(std::move(fn));
      return;
    }
  }
  fn();
}

void LiveDoc::run_load_waiters() {
  std::vector<std::function<void()>> waiters;
  {
    std::lock_guard lock(mu_);
    waiters.swap(load_waiters_);
  }
  for (auto& fn : waiters) fn();
}

Result<void> LiveDoc::wait_loaded() {
  std::unique_lock lock(mu_);
  loaded_cv_.wait(lock, [&] { return state_ != State::loading; });
  if (state_ == State::ready) return {};
  if (load_error_) return *load_error_;
  return make_error(Errc::closed, "document " + name_ + " was unloaded");
}

bool LiveDoc::closed() const {
  std::lock_guard lock(mu_);
  return state_ == State::closed;
}

bool LiveDoc::close_if_unused() {
  std::lock_guard lock(mu_);
  if (state_ == State::closed) return true;
  if (state_ != State::ready || !members_.empty() || !load_waiters_.empty() || uncommitted_ != 0) return false;
  state_ = State::closed;
  return true;
}

void LiveDoc::close_removed(uint16_t code, const std::string& reason) {
  std::vector<std::shared_ptr<Peer>> peers;
  {
    std::lock_guard lock(mu_);
    if (state_ == State::closed) return;
    state_ = State::closed;
    load_error_ = make_error(Errc::closed, reason);
    for (const auto& m : members_)
      if (auto p = m.peer.lock()) peers.push_back(std::move(p));
    RoomMetrics::get().connections.sub(static_cast<int64_t>(members_.size()));
    members_.clear();
  }
  for (auto& p : peers) p->close(code, reason);
}

size_t LiveDoc::stored_bytes() const {
  std::lock_guard lock(mu_);
  return logged_bytes_ + snapshot_bytes_;
}

size_t LiveDoc::member_count() const {
  std::lock_guard lock(mu_);
  return members_.size();
}

Result<void> LiveDoc::add_member(const std::shared_ptr<Peer>& peer) {
  std::lock_guard lock(mu_);
  if (state_ != State::ready) return make_error(Errc::closed, "document " + name_ + " was unloaded");
  if (members_.size() >= ctx_.limits.max_connections_per_doc) {
    return make_error(Errc::doc_full, "document " + name_ + " has the maximum number of connections");
  }
  members_.push_back(Member{peer->id(), peer});
  RoomMetrics::get().connections.add(1);
  peer->send(make_frame(wire::encode_sync_step1(doc_->state_vector())));
  if (auto states = awareness_.encode_present(); !states.empty()) {
    peer->send(make_frame(wire::encode_awareness(states)));
  }
  return {};
}

void LiveDoc::remove_member(uint64_t peer_id) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.id == peer_id; });
  if (it == members_.end()) return;
  members_.erase(it);
  RoomMetrics::get().connections.sub(1);
  if (members_.empty()) idle_since_ = ctx_.clock();
  if (auto removal = awareness_.remove_owner(peer_id); !removal.empty()) {
    broadcast_locked(make_frame(wire::encode_awareness(removal)), peer_id);
  }
}

void LiveDoc::broadcast_locked(const Frame& frame, uint64_t except) {
  size_t sent = 0;
  for (const auto& m : members_) {
    if (m.id == except) continue;
    if (auto p = m.peer.lock()) {
      p->send(frame);
      ++sent;
    }
  }
  RoomMetrics::get().broadcast_frames.inc(sent);
}

Result<void> LiveDoc::sync_step1(const std::shared_ptr<Peer>& peer, ByteView state_vector) {
  std::unique_lock lock(mu_);
  if (state_ != State::ready) return make_error(Errc::closed, "document closed");
  // A fresh client (empty state vector: one zero byte) gets the whole state, which stays
  // the same until the next change: encode it once for every such joiner.
  const bool fresh = state_vector.size() == 1 && state_vector[0] == 0;
  Frame frame = fresh ? full_state_ : nullptr;
  if (frame == nullptr) {
    auto diff = doc_->encode_diff(state_vector);
    if (!diff) return make_error(Errc::invalid_state_vector, diff.error().message);
    frame = make_frame(wire::encode_sync_step2(*diff));
    if (fresh && frame->size() <= ctx_.limits.max_cached_state_bytes) full_state_ = frame;
  } else {
    RoomMetrics::get().state_cache_hits.inc();
  }
  if (uncommitted_ == 0 || ctx_.writer == nullptr) {
    peer->send(std::move(frame));
    return {};
  }
  // The diff may include updates not committed yet: send it once they are.
  std::weak_ptr<Peer> weak = peer;
  auto r = ctx_.writer->submit(store::WriteOp::barrier([weak, frame](const Result<uint64_t>& r) {
                                 if (!r) return;  // the doc fails and closes its members
                                 if (auto p = weak.lock()) p->send(frame);
                               }),
                               /*ignore_limit=*/true);
  if (!r) {
    auto to_close = fail_locked("persistence unavailable: " + r.error().message);
    lock.unlock();
    for (auto& p : to_close) p->close(kCloseInternalError, "persistence unavailable");
    return make_error(Errc::closed, "document closed");
  }
  return {};  // commit() commits it, then sends it
}

Result<void> LiveDoc::apply_update(uint64_t sender, Frame frame, ByteView update, bool frame_is_update,
                                   std::string_view actor) {
  std::unique_lock lock(mu_);
  if (state_ != State::ready) return make_error(Errc::closed, "document closed");
  if (ctx_.writer != nullptr && !ctx_.writer->has_capacity()) {
    return make_error(Errc::busy, "server busy: persistence queue full");
  }
  if (update.size() > ctx_.limits.max_update_bytes) {
    return make_error(Errc::too_big, "update of " + std::to_string(update.size()) + " bytes is over the limit of " +
                                     std::to_string(ctx_.limits.max_update_bytes));
  }
  if (ctx_.writer != nullptr && logged_bytes_ + snapshot_bytes_ + update.size() > ctx_.limits.max_doc_bytes) {
    return make_error(Errc::doc_too_large, "document size limit reached");  // before applying: nothing changes
  }
  auto applied = doc_->apply_update(update);
  if (!applied) return applied.error();  // Errc::invalid_update or Errc::too_big: nothing applied
  if (!*applied) return {};  // changed nothing: nothing to store or relay
  full_state_ = nullptr;
  RoomMetrics::get().updates_applied.inc();
  Frame out = frame_is_update ? std::move(frame) : make_frame(wire::encode_sync_update(update));
  if (ctx_.writer == nullptr) {
    broadcast_locked(out, sender);
    return {};
  }
  // The update view points into `frame`, which the op keeps alive until completion.
  ByteView stored = update;
  std::shared_ptr<const void> owner = frame_is_update ? std::static_pointer_cast<const void>(out)
                                                      : std::static_pointer_cast<const void>(frame);
  ++uncommitted_;
  ++logged_;
  logged_bytes_ += update.size();
  auto applied_at = Clock::now();  // real time: a latency metric
  auto op = store::WriteOp::append(name_, std::move(owner), stored,
                                   [self = shared_from_this(), sender, out, applied_at](const Result<uint64_t>& r) {
                                     self->on_committed(r, sender, out, applied_at);
                                   });
  if (keeps_history_) {
    last_history_ms_ = std::max(last_history_ms_, ctx_.history.now_ms());
    op.history = store::HistoryStamp{last_history_ms_, std::string(actor)};
    ++since_checkpoint_;
  }
  auto r = ctx_.writer->submit(std::move(op), /*ignore_limit=*/true);
  if (!r) {
    --uncommitted_;
    auto to_close = fail_locked("persistence unavailable: " + r.error().message);
    lock.unlock();
    for (auto& p : to_close) p->close(kCloseInternalError, "persistence unavailable");
    return make_error(Errc::closed, "document closed");
  }
  return {};  // commit() commits it, then sends it
}

Result<bool> LiveDoc::server_edit(const MakeUpdate& make_update, std::string_view actor) {
  Bytes state;
  {
    std::lock_guard lock(mu_);
    if (state_ != State::ready) return make_error(Errc::closed, "document closed");
    auto s = doc_->encode_diff({});
    if (!s) return s.error();
    state = std::move(*s);
  }
  auto update = make_update(state);
  if (!update) return update.error();
  if (update->empty()) return false;
  auto frame = std::make_shared<const std::vector<uint8_t>>(std::move(*update));
  if (auto r = apply_update(/*sender=*/0, frame, *frame, /*frame_is_update=*/false, actor); !r) return r.error();
  commit();
  return true;
}

void LiveDoc::commit() {
  if (ctx_.writer != nullptr) ctx_.writer->drain();  // commit_on_caller: commits and broadcasts here
}

void LiveDoc::on_committed(const Result<uint64_t>& r, uint64_t sender, const Frame& frame,
                           Clock::time_point applied_at) {
  auto& m = RoomMetrics::get();
  m.persist_latency.observe(std::chrono::duration<double>(Clock::now() - applied_at).count());
  std::vector<std::shared_ptr<Peer>> to_close;
  std::string reason;
  {
    std::lock_guard lock(mu_);
    --uncommitted_;
    if (r) {
      if (state_ == State::ready) broadcast_locked(frame, sender);
      return;
    }
    m.persist_errors.inc();
    reason = "database error: " + r.error().message;
    to_close = fail_locked(reason);
  }
  for (auto& p : to_close) p->close(kCloseInternalError, reason.substr(0, 120));
}

std::vector<std::shared_ptr<Peer>> LiveDoc::fail_locked(const std::string& reason) {
  std::vector<std::shared_ptr<Peer>> peers;
  if (state_ == State::closed) return peers;
  log::error("room", "document closed: persistence failed", {{"doc", name_}, {"error", reason}});
  state_ = State::closed;
  load_error_ = make_error(Errc::closed, reason);
  for (const auto& m : members_) {
    if (auto p = m.peer.lock()) peers.push_back(std::move(p));
  }
  RoomMetrics::get().connections.sub(static_cast<int64_t>(members_.size()));
  RoomMetrics::get().closed("persistence").inc(peers.size());
  members_.clear();
  return peers;
}

Result<void> LiveDoc::awareness(uint64_t sender, const Frame& frame, std::span<const wire::AwarenessEntry> entries,
                                size_t max_sender_bytes) {
  std::lock_guard lock(mu_);
  if (state_ != State::ready) return make_error(Errc::closed, "document closed");
  RoomMetrics::get().awareness_messages.inc();
  auto after = awareness_.footprint_after(entries, sender);
  if (after.owner_bytes > max_sender_bytes) return make_error(Errc::awareness_too_large, "awareness state too large");
  if (after.total_bytes > ctx_.limits.max_awareness_bytes_per_doc && after.total_bytes > awareness_.bytes()) {
    RoomMetrics::get().awareness_dropped.inc();  // the states already held stay; this one is refused
    return {};
  }
  awareness_.apply(entries, sender, ctx_.clock());
  if (awareness_.owned_by(sender) > ctx_.limits.max_awareness_clients_per_connection) {
    if (auto removal = awareness_.remove_owner(sender); !removal.empty()) {
      broadcast_locked(make_frame(wire::encode_awareness(removal)), sender);
    }
    return make_error(Errc::too_many_clients, "too many awareness clients on one connection");
  }
  broadcast_locked(frame, sender);
  return {};
}

void LiveDoc::query_awareness(const std::shared_ptr<Peer>& peer) {
  std::lock_guard lock(mu_);
  if (state_ != State::ready) return;
  auto states = awareness_.encode_present();
  if (states.empty()) states = wire::encode_awareness_update({});
  peer->send(make_frame(wire::encode_awareness(states)));
}

void LiveDoc::submit_compaction_locked() {
  Result<Bytes> snapshot = doc_->encode_diff({});
  if (!snapshot) return;  // keep the log; it is complete on its own
  compacting_ = true;
  logged_ = 0;
  logged_bytes_ = 0;
  snapshot_bytes_ = snapshot->size();
  auto r = ctx_.writer->submit(
      store::WriteOp::compact(name_, std::move(*snapshot), store::kAllLogged,
                              [self = shared_from_this()](const Result<uint64_t>& r) {
                                std::lock_guard lock(self->mu_);
                                self->compacting_ = false;
                                if (r) {
                                  RoomMetrics::get().compactions.inc();
                                } else {
                                  RoomMetrics::get().persist_errors.inc();
                                  log::error("room", "compaction failed; the log is kept",
                                             {{"doc", self->name_}, {"error", r.error().message}});
                                }
                              }),
      /*ignore_limit=*/true);
  if (!r) {
    compacting_ = false;
    log::error("room", "compaction not queued", {{"doc", name_}, {"error", r.error().message}});
  }
}

void LiveDoc::submit_checkpoint_locked(std::string label) {
  // Submitted under mu_ like every append, so the state encoded here is exactly the history
  // rows queued before it (the writer commits in submission order).
  Result<Bytes> state = doc_->encode_diff({});
  if (!state) return;  // the rows alone still rebuild the doc, only slower
  since_checkpoint_ = 0;
  auto r = ctx_.writer->submit(store::WriteOp::checkpoint(name_, std::move(*state), std::move(label),
                                                          [name = name_](const Result<uint64_t>& r) {
                                                            if (!r)
                                                              log::error("room", "history checkpoint failed",
                                                                         {{"doc", name}, {"error", r.error().message}});
                                                          }),
                               /*ignore_limit=*/true);
  if (!r) log::error("room", "history checkpoint not queued", {{"doc", name_}, {"error", r.error().message}});
}

void LiveDoc::checkpoint(std::string label) {
  std::lock_guard lock(mu_);
  if (state_ != State::ready || !keeps_history_ || since_checkpoint_ == 0) return;
  submit_checkpoint_locked(std::move(label));
}

bool LiveDoc::tick(Clock::time_point now) {
  std::vector<std::shared_ptr<Peer>> none;
  std::lock_guard lock(mu_);
  if (state_ == State::loading) return false;
  if (state_ == State::closed) return true;
  if (auto removal = awareness_.expire(now - ctx_.limits.awareness_timeout); !removal.empty()) {
    broadcast_locked(make_frame(wire::encode_awareness(removal)), kNoSender);
  }
  if (members_.empty()) full_state_ = nullptr;  // no one left to join quickly after
  bool idle = members_.empty() && now - idle_since_ >= ctx_.limits.idle_unload_after && uncommitted_ == 0;
  if (idle) {
    if (keeps_history_ && since_checkpoint_ > 0) submit_checkpoint_locked("unloaded");
    if (ctx_.writer != nullptr && logged_ > 0) submit_compaction_locked();
    state_ = State::closed;
    return true;
  }
  if (ctx_.writer != nullptr && !compacting_ && logged_ >= ctx_.limits.compact_after_updates &&
      logged_bytes_ >= snapshot_bytes_) {
    submit_compaction_locked();
  }
  if (keeps_history_ && since_checkpoint_ >= ctx_.history.checkpoint_every) {
    submit_checkpoint_locked("every " + std::to_string(ctx_.history.checkpoint_every) + " updates");
  }
  return false;
}

}  // namespace mockloop::room
