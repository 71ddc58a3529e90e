#include "app/yjs_endpoint.hpp"

#include <functional>
#include <string>

#include "common/log.hpp"

namespace mockloop::app {
namespace {

constexpr std::string_view kPrefix = "/yjs/";
constexpr size_t kMaxDocNameBytes = 256;  // longer names are refused (invalid_argument: 4400)

// Who a connection acts for, for the room's per-principal quotas (room/limits.hpp): the
// principal the authorizer checked (a loop or study doc's token id), otherwise (an anonymous
// doc, whose token anyone can make up) its IP address; "" (not counted) for an anonymous
// client on a loopback address (a reverse proxy's clients all arrive from there).
std::string quota_principal(const room::AccessDecision& access, const std::string& remote) {
  if (!access.principal.empty()) return "token:" + access.principal;
  if (remote.empty() || remote == "::1" || remote.rfind("127.", 0) == 0 || remote.rfind("::ffff:127.", 0) == 0) return {};
  return "ip:" + remote;
}

// One /yjs connection. It is accepted at once; it joins its document once its token is
// checked (authorized()) and the document is loaded (on the registry's loader thread when it
// must be read from SQLite), and the messages that arrive before that are kept, in order,
// and handled once joined. Everything here runs on the connection's thread: the check's and
// the join's results come back through WsConnection::post.
class DocHandler final : public net::WsHandler, public std::enable_shared_from_this<DocHandler> {
 public:
  DocHandler(std::shared_ptr<room::Peer> peer, std::shared_ptr<net::WsConnection> ws, room::DocRegistry& registry,
             std::string doc_name, std::string remote)
      : peer_(std::move(peer)),
        ws_(std::move(ws)),
        registry_(registry),
        doc_name_(std::move(doc_name)),
        remote_(std::move(remote)) {}

  // The token check's answer: refuse, or track the principal and start the join.
  void authorized(const room::AccessDecision& access) {
    if (done_) return;
    if (!access.allowed) {
      log::info("yjs", "refused", {{"doc", doc_name_}, {"code", std::string(name(access.refusal))}, {"reason", access.reason}});
      fail(access.refusal, access.reason.empty() ? "access denied" : access.reason);
      return;
    }
    // Tracked before the join, so a revocation while the document loads closes it too.
    principal_ = access.principal;
    actor_ = access.actor;
    registry_.track_principal(principal_, peer_);
    tracked_ = true;
    registry_.join_async(doc_name_, peer_, access.read_only,
                         [self = shared_from_this(), ws = ws_](Result<std::shared_ptr<room::DocConnection>> r) {
                           auto joined = std::make_shared<Result<std::shared_ptr<room::DocConnection>>>(std::move(r));
                           if (!ws->post([self, joined] { self->joined(std::move(*joined)); })) {
                             if (*joined) (**joined)->leave();  // the connection is already gone
                           }
                         },
                         quota_principal(access, remote_));
  }
  void fail(Errc code, std::string reason) {
    done_ = true;
    pending_.clear();
    if (!closed_) ws_->close(close_code(code), std::move(reason));
  }

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
    if (tracked_) registry_.untrack_principal(principal_, peer_->id());
    closed_ = true;
    done_ = true;
    pending_.clear();
    if (conn_) conn_->leave();
  }

  void joined(Result<std::shared_ptr<room::DocConnection>> r) {
    if (!r) return fail(r.error().code, r.error().message);
    if (closed_ || done_) return (*r)->leave();
    conn_ = std::move(*r);
    conn_->set_actor(actor_);
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
  const std::string doc_name_;
  const std::string remote_;
  std::string principal_;  // AccessDecision::principal, tracked in the registry until on_close
  std::string actor_;      // AccessDecision::actor: recorded with each update in the doc's history
  bool tracked_ = false;
  std::shared_ptr<room::DocConnection> conn_;  // set once joined
  std::vector<std::vector<uint8_t>> pending_;  // messages before the join
  size_t pending_bytes_ = 0;
  bool closed_ = false;  // the connection is gone
  bool done_ = false;    // refused, failed or closed: nothing more to handle
  bool paused_for_join_ = false;  // reads paused until the join
};

net::WsAccept refuse(Errc code, std::string reason) {
  net::WsAccept a;
  a.close_code = close_code(code);
  a.reason = std::move(reason);
  return a;
}

}  // namespace

net::WsRoute make_yjs_route(room::DocRegistry& registry, room::Authorizer& authorizer, loop::WorkerPool& pool) {
  return [&registry, &authorizer, &pool](const net::Request& req, const std::shared_ptr<net::WsConnection>& conn) {
    if (req.path.size() <= kPrefix.size() || req.path.compare(0, kPrefix.size(), kPrefix) != 0)
      return refuse(Errc::not_found, "no document name: connect to /yjs/<docName>");
    std::string doc_name = req.path.substr(kPrefix.size());
    if (doc_name.size() > kMaxDocNameBytes) return refuse(Errc::invalid_argument, "document name too long");
    std::string token = req.bearer_token();
    auto peer = std::make_shared<PeerAdapter>(conn);
    auto handler = std::make_shared<DocHandler>(peer, conn, registry, doc_name, req.remote);
    net::WsAccept a;
    if (!authorizer.blocks(doc_name)) {
      room::AccessDecision access = authorizer.authorize(doc_name, token);
      if (!access.allowed) {
        log::info("yjs", "refused", {{"doc", doc_name}, {"code", std::string(name(access.refusal))}, {"reason", access.reason}});
        return refuse(access.refusal, access.reason.empty() ? "access denied" : access.reason);
      }
      handler->authorized(access);
      a.principal = quota_principal(access, req.remote);  // the transport's cap over all documents (net::Limits)
    } else {
      // The check reads the database: on the pool. Until it answers, the transport counts
      // the connection under its token (one key per token, as its token id would be).
      const bool queued = pool.post([&authorizer, handler, conn, doc_name, token] {
        auto access = std::make_shared<room::AccessDecision>(authorizer.authorize(doc_name, token));
        conn->post([handler, access] { handler->authorized(*access); });
      });
      if (!queued) return refuse(Errc::busy, "too many connections waiting for their token check");
      a.principal = token.empty() ? std::string() : "doc-" + net::principal_of_token(token);
    }
    a.handler = std::move(handler);
    return a;
  };
}

}  // namespace mockloop::app
