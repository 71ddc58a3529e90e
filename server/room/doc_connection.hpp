// One connection's membership in one document: the handle the transport's WebSocket
// session holds after DocRegistry::join, and feeds every binary frame it receives.
//
// Owned by the session. on_message() must be called from one thread at a time (the
// session's thread); leave() and the destructor from any thread. It keeps its document
// alive; the DocRegistry must outlive it.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>

#include "room/live_doc.hpp"
#include "room/peer.hpp"
#include "room/token_bucket.hpp"

namespace mockloop::room {

class DocConnection {
 public:
  // `ticket` is the connection's admission under PrincipalQuota, held until leave().
  DocConnection(std::shared_ptr<LiveDoc> doc, const std::shared_ptr<Peer>& peer, bool read_only,
                const Limits& limits, std::shared_ptr<const void> ticket = nullptr);
  ~DocConnection();
  DocConnection(const DocConnection&) = delete;
  DocConnection& operator=(const DocConnection&) = delete;

  // Handles one y-protocols frame from the client. Replies and broadcasts go out through
  // Peer::send; a malformed frame, an invalid update or a limit closes this connection
  // (only this one) through Peer::close with 1003/1007/1008/1011/1013/4429 and a reason.
  // Over the update rate the message is still handled and the peer is paused
  // (Peer::pause_reads_until) until the rate allows the next one; only a debt past
  // Limits::max_update_debt closes (4429).
  // Commits what it submitted at once (LiveDoc::commit).
  void on_message(std::span<const uint8_t> frame);
  // The same, leaving the commit to a later commit() call: a session handles every message
  // of one read, then commits them together (one transaction, one broadcast each).
  void handle(std::span<const uint8_t> frame);
  void commit() { doc_->commit(); }

  // Leaves the document (awareness removal is broadcast to the others). Idempotent.
  void leave();

  const std::string& doc_name() const { return doc_->name(); }
  // Who this connection acts for, recorded with each update in the doc's history (a
  // participant id, AccessDecision::actor). Set once, before the first message is handled.
  void set_actor(std::string actor) { actor_ = std::move(actor); }
  bool read_only() const { return read_only_; }

 private:
  void close(uint16_t code, std::string_view reason, std::string_view metric_reason);
  // Takes a rate token: true to handle the message (pausing the peer when over the rate),
  // false when the connection was closed for its debt.
  bool take_token();

  const std::shared_ptr<LiveDoc> doc_;
  const std::weak_ptr<Peer> peer_;
  const uint64_t peer_id_;
  const bool read_only_;
  const size_t max_awareness_bytes_;  // Limits: read-only or read-write
  std::shared_ptr<const void> ticket_;  // released by leave() (left_ guards it)
  TokenBucket bucket_;  // used on the session's thread only
  const double max_debt_;  // Limits::max_update_debt
  std::atomic<bool> left_{false};
  std::string actor_;
  std::vector<wire::AwarenessEntry> scratch_;  // reused awareness decode buffer (session thread only)
};

}  // namespace mockloop::room
