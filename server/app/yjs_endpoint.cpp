#include "app/yjs_endpoint.hpp"

#include <functional>
#include <string>

#include "common/log.hpp"

namespace mockloop::app {
namespace {

constexpr std::string_view kPrefix = "/yjs/";
constexpr size_t kMaxDocNameBytes = 256;  // longer names are refused (invalid_argument: 4400)

// One /yjs connection. It is accepted at once; its document joins when loaded (on the
// registry's loader thread when it must be read from SQLite), and the messages that arrive
// before that are kept, in order, and handled once joined. Everything here runs on the
// connection's thread: the join's result comes back through WsConnection::post.
class DocHandler final : public net::WsHandler {
 public:
  DocHandler(std::shared_ptr<room::Peer> peer, std::shared_ptr<net::WsConnection> ws, room::DocRegistry& registry,
             std::string principal)
      : peer_(std::move(peer)), ws_(std::move(ws)), registry_(registry), principal_(std::move(principal)) {}

  void on_message(std::span<const uint8_t> data) override {
    if (conn_) return conn_->handle(data);
    if (done_) return;
    pending_bytes_ += data.size();
    if (!paused_for_join_ && (pending_.size() + 1 >= kPauseAtPendingMessages || pending_bytes_ >= kPauseAtPendingBytes)) {
      // Slow the client down until its document is loaded rather than refuse it.
      paused_for_join_ = true;
      ws_->pause_reads_until(std::chrono::steady_clock::now() + kMaxJoinPause);
    }
    if (pending_.size() >= kMaxPendingMessages || pending_bytes_ > kMaxPendingBytes) {
      done_ = true;
      pending_.clear();
      ws_->close(close_code(Errc::busy), "too many messages before the document was loaded");
      return;
    }
    pending_.emplace_back(data.begin(), data.end());
  }
  void on_read_done() override {
    if (conn_) conn_->commit();
  }
  void on_close() override {
    registry_.untrack_principal(principal_, peer_->id());
    closed_ = true;
    done_ = true;
    pending_.clear();
    if (conn_) conn_->leave();
  }

  void joined(Result<std::shared_ptr<room::DocConnection>> r) {
    if (!r) {
      done_ = true;
      pending_.clear();
      if (!closed_) ws_->close(close_code(r.error().code), r.error().message);
      return;
    }
    if (closed_ || done_) return (*r)->leave();
    conn_ = std::move(*r);
    if (paused_for_join_) ws_->pause_reads_until({});  // read on (the rate may pause again below)
    for (const auto& m : pending_) conn_->handle(m);
    pending_.clear();
    conn_->commit();
  }

 private:
  static constexpr size_t kMaxPendingMessages = 256;     // before the join; over -> close 1013
  static constexpr size_t kMaxPendingBytes = 8u << 20;   // their bytes; over -> close 1013
  // Reads pause (until the join) once this many messages or bytes wait, so a client that
  // sends fast right after connecting is slowed, not closed by the limits above.
  static constexpr size_t kPauseAtPendingMessages = 64;
  static constexpr size_t kPauseAtPendingBytes = 1u << 20;
  static constexpr std::chrono::seconds kMaxJoinPause{30};  // a join slower than this: reads resume

  std::shared_ptr<room::Peer> peer_;  // the room holds it weakly; the session keeps it alive
  std::shared_ptr<net::WsConnection> ws_;
  room::DocRegistry& registry_;
  const std::string principal_;  // AccessDecision::principal, tracked in the registry until on_close
  std::shared_ptr<room::DocConnection> conn_;  // set once joined
  std::vector<std::vector<uint8_t>> pending_;  // messages before the join
  size_t pending_bytes_ = 0;
  bool closed_ = false;  // the connection is gone
  bool done_ = false;    // refused, failed or closed: nothing more to handle
  bool paused_for_join_ = false;  // reads paused until the join
};

// Who a connection acts for, for the room's per-principal quotas (room/limits.hpp): the
// principal the authorizer checked (a loop or study doc's token id), otherwise (an anonymous
// doc, whose token anyone can make up) its IP address; "" (not counted) for an anonymous
// client on a loopback address (a reverse proxy's clients all arrive from there).
std::string quota_principal(const room::AccessDecision& access, const std::string& remote) {
  if (!access.principal.empty()) return "token:" + access.principal;
  if (remote.empty() || remote == "::1" || remote.rfind("127.", 0) == 0 || remote.rfind("::ffff:127.", 0) == 0) return {};
  return "ip:" + remote;
}

net::WsAccept refuse(Errc code, std::string reason) {
  net::WsAccept a;
  a.close_code = close_code(code);
  a.reason = std::move(reason);
  return a;
}

}  // namespace

net::WsRoute make_yjs_route(room::DocRegistry& registry, room::Authorizer& authorizer) {
  return [&registry, &authorizer](const net::Request& req, std::shared_ptr<net::WsConnection> conn) {
    if (req.path.size() <= kPrefix.size() || req.path.compare(0, kPrefix.size(), kPrefix) != 0)
      return refuse(Errc::not_found, "no document name: connect to /yjs/<docName>");
    std::string doc_name = req.path.substr(kPrefix.size());
    if (doc_name.size() > kMaxDocNameBytes) return refuse(Errc::invalid_argument, "document name too long");
    const std::string token = req.bearer_token();
    room::AccessDecision access = authorizer.authorize(doc_name, token);
    if (!access.allowed) {
      log::info("yjs", "refused", {{"doc", doc_name}, {"code", std::string(name(access.refusal))}, {"reason", access.reason}});
      return refuse(access.refusal, access.reason.empty() ? "access denied" : access.reason);
    }
    auto peer = std::make_shared<PeerAdapter>(conn);
    // Tracked before the join, so a revocation while the document loads closes it too.
    registry.track_principal(access.principal, peer);
    auto handler = std::make_shared<DocHandler>(peer, conn, registry, access.principal);
    const std::string principal = quota_principal(access, req.remote);
    registry.join_async(doc_name, peer, access.read_only,
                        [handler, conn](Result<std::shared_ptr<room::DocConnection>> r) {
                          auto joined = std::make_shared<Result<std::shared_ptr<room::DocConnection>>>(std::move(r));
                          if (!conn->post([handler, joined] { handler->joined(std::move(*joined)); })) {
                            if (*joined) (**joined)->leave();  // the connection is already gone
                          }
                        },
                        principal);
    net::WsAccept a;
    a.handler = std::move(handler);
    a.principal = principal;  // the transport's cap over all documents (net::Limits)
    return a;
  };
}

}  // namespace mockloop::app
