// The /yjs/<docName> WebSocket endpoint: authorizes the token for the doc, joins the
// connection to the DocRegistry, and feeds it the connection's frames. Adapts net's
// WsConnection to room::Peer and room::DocConnection to net's WsHandler.
//
// Nothing here waits on an io thread: a name whose check may block (Authorizer::blocks, a
// loop document: SQLite) is accepted at once and checked on `pool`; the answer comes back
// through WsConnection::post, and a refusal closes with close_code(refusal) (4401, 4403,
// 4404; 4429 rate limited) exactly as an immediate refusal does. Messages that arrive
// meanwhile wait with those that arrive before the join (bounded, reads paused).
#pragma once

#include <cstddef>

#include "loop/worker_pool.hpp"
#include "net/endpoints.hpp"
#include "room/authorizer.hpp"
#include "room/doc_registry.hpp"

namespace mockloop::app {

// REQUIRES: `registry`, `authorizer` and `pool` outlive every connection the route accepts,
// and `pool` is stopped before `registry` and `authorizer` go away.
net::WsRoute make_yjs_route(room::DocRegistry& registry, room::Authorizer& authorizer, loop::WorkerPool& pool);

// room::Peer over a transport connection. Thread-safe (WsConnection is).
class PeerAdapter final : public room::Peer {
 public:
  explicit PeerAdapter(std::shared_ptr<net::WsConnection> conn) : conn_(std::move(conn)) {}
  uint64_t id() const override { return conn_->id(); }
  void send(std::shared_ptr<const std::vector<uint8_t>> frame) override { conn_->send(std::move(frame)); }
  void close(uint16_t code, std::string reason) override { conn_->close(code, std::move(reason)); }
  void pause_reads_until(std::chrono::steady_clock::time_point until) override { conn_->pause_reads_until(until); }

 private:
  std::shared_ptr<net::WsConnection> conn_;
};

}  // namespace mockloop::app
