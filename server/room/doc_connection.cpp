#include "room/doc_connection.hpp"

#include "crdt/any.hpp"

#include "room/errc_of.hpp"
#include "room/room_metrics.hpp"
#include "wire/awareness_update.hpp"
#include "wire/message.hpp"

namespace mockloop::room {

namespace {

Frame copy_frame(std::span<const uint8_t> bytes) {
  return std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end());
}

// The same payload view, re-pointed into `copy` (a copy of `frame`).
ByteView rebase(ByteView view, std::span<const uint8_t> frame, const Frame& copy) {
  return ByteView(copy->data() + (view.data() - frame.data()), view.size());
}

}  // namespace

DocConnection::DocConnection(std::shared_ptr<LiveDoc> doc, const std::shared_ptr<Peer>& peer, bool read_only,
                             const Limits& limits, std::shared_ptr<const void> ticket)
    : doc_(std::move(doc)),
      peer_(peer),
      peer_id_(peer->id()),
      read_only_(read_only),
      max_awareness_bytes_(read_only ? limits.max_read_only_awareness_bytes : limits.max_awareness_bytes_per_connection),
      ticket_(std::move(ticket)),
      bucket_(limits.max_updates_per_second, limits.update_burst),
      max_debt_(limits.max_update_debt) {}

bool DocConnection::take_token() {
  auto now = TokenBucket::Clock::now();
  auto wait = bucket_.take(now);
  if (wait == TokenBucket::Clock::duration::zero()) return true;
  if (bucket_.owed() > max_debt_) {
    close(kCloseRateAbuse, "rate limit: kept sending while paused", "rate_limit");
    return false;
  }
  RoomMetrics::get().rate_paused.inc();
  if (auto p = peer_.lock()) p->pause_reads_until(now + wait);
  return true;  // handled: the client is slowed, not refused
}

DocConnection::~DocConnection() { leave(); }

void DocConnection::leave() {
  if (left_.exchange(true)) return;
  ticket_.reset();
  doc_->remove_member(peer_id_);
  doc_->commit();  // what it handled but did not commit yet
}

void DocConnection::close(uint16_t code, std::string_view reason, std::string_view metric_reason) {
  RoomMetrics::get().closed(metric_reason).inc();
  if (auto p = peer_.lock()) p->close(code, std::string(reason));
  leave();
}

void DocConnection::on_message(std::span<const uint8_t> frame) {
  handle(frame);
  commit();
}

void DocConnection::handle(std::span<const uint8_t> frame) {
  if (left_.load(std::memory_order_relaxed)) return;
  wire::Message msg;
  if (auto e = wire::decode_message(frame, msg); e != wire::DecodeErrc::ok) {
    RoomMetrics::get().malformed(wire::to_string(e)).inc();
    close(close_code(errc_of(e)), std::string("malformed message: ") + std::string(wire::to_string(e)), "malformed");
    return;
  }
  auto handle_update = [&](ByteView update, bool frame_is_update) {
    if (read_only_) {
      RoomMetrics::get().read_only_updates_dropped.inc();
      return;
    }
    if (!take_token()) return;
    Frame copy = copy_frame(frame);
    auto r = doc_->apply_update(peer_id_, copy, rebase(update, frame, copy), frame_is_update, actor_);
    if (r) return;
    const Errc code = r.error().code;
    if (code == Errc::invalid_update) {
      RoomMetrics::get().malformed("invalid_update").inc();
      close(close_code(code), "invalid update", "invalid_update");
    } else if (code == Errc::too_big) {
      close(close_code(code), "refused: " + r.error().message.substr(0, 100), "too_big");
    } else if (code == Errc::busy) {
      close(close_code(code), r.error().message, "busy");
    } else if (code == Errc::doc_too_large) {
      close(close_code(code), r.error().message, "doc_too_large");
    }
  };
  if (auto* s1 = std::get_if<wire::SyncStep1>(&msg)) {
    auto p = peer_.lock();
    if (!p) return;
    auto r = doc_->sync_step1(p, s1->state_vector);
    if (!r && r.error().code == Errc::invalid_state_vector) {
      RoomMetrics::get().malformed("invalid_state_vector").inc();
      close(close_code(Errc::invalid_state_vector), "invalid state vector", "invalid_state_vector");
    }
  } else if (auto* s2 = std::get_if<wire::SyncStep2>(&msg)) {
    handle_update(s2->update, false);
  } else if (auto* u = std::get_if<wire::SyncUpdate>(&msg)) {
    handle_update(u->update, true);
  } else if (auto* a = std::get_if<wire::AwarenessMessage>(&msg)) {
    if (!take_token()) return;
    if (auto e = wire::decode_awareness_update(a->update, scratch_); e != wire::DecodeErrc::ok) {
      RoomMetrics::get().malformed("invalid_awareness").inc();
      return close(close_code(errc_of(e)), "malformed awareness update", "malformed");
    }
    // States are relayed verbatim to every other client: refuse any that is not JSON
    // (parse_json is O(n log n) in the keys and bounds them). One state over what this
    // connection may hold in all is refused before it is parsed, as LiveDoc would after.
    for (const auto& entry : scratch_) {
      if (entry.state_json.size() > max_awareness_bytes_) {
        scratch_.clear();
        return close(kClosePolicy, "awareness state too large", "awareness_bytes");
      }
      if (!entry.is_removal() && !crdt::parse_json(entry.state_json).ok()) {
        scratch_.clear();
        RoomMetrics::get().malformed("invalid_awareness").inc();
        return close(kCloseInvalidPayload, "awareness state is not valid JSON or over its key/depth limits", "malformed");
      }
    }
    auto r = doc_->awareness(peer_id_, copy_frame(frame), scratch_, max_awareness_bytes_);
    scratch_.clear();
    if (!r && r.error().code == Errc::too_many_clients)
      close(close_code(Errc::too_many_clients), r.error().message, "awareness_clients");
    if (!r && r.error().code == Errc::awareness_too_large)
      close(close_code(Errc::awareness_too_large), r.error().message, "awareness_bytes");
  } else if (std::holds_alternative<wire::QueryAwareness>(msg)) {
    if (auto p = peer_.lock()) doc_->query_awareness(p);
  }
  // AuthMessage: only servers send it; a client's is well-formed and ignored.
}

}  // namespace mockloop::room
