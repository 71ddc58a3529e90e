#include "app/loop_endpoints.hpp"

#include "app/yjs_endpoint.hpp"

namespace mockloop::app {
namespace {

class SessionHandler final : public net::WsHandler {
 public:
  SessionHandler(std::shared_ptr<room::Peer> peer, std::shared_ptr<loop::Session> session)
      : peer_(std::move(peer)), session_(std::move(session)) {}
  void on_message(std::span<const uint8_t> data) override { session_->on_message(data); }
  void on_close() override { session_->leave(); }

 private:
  std::shared_ptr<room::Peer> peer_;  // the session holds it weakly
  std::shared_ptr<loop::Session> session_;
};

class StudyHandler final : public net::WsHandler {
 public:
  StudyHandler(std::shared_ptr<room::Peer> peer, std::shared_ptr<loop::StudySession> session)
      : peer_(std::move(peer)), session_(std::move(session)) {}
  void on_message(std::span<const uint8_t> data) override { session_->on_message(data); }
  void on_close() override { session_->leave(); }

 private:
  std::shared_ptr<room::Peer> peer_;  // the session holds it weakly
  std::shared_ptr<loop::StudySession> session_;
};

}  // namespace

net::AsyncHttpRoute make_api_route(loop::ApiRouter& router) {
  return [&router](net::Request req, net::HttpReply reply) { router.handle_async(std::move(req), std::move(reply)); };
}

net::WsRoute make_session_route(loop::SessionHub& hub) {
  return [&hub](const net::Request& req, std::shared_ptr<net::WsConnection> conn) {
    net::WsAccept a;
    if (req.path != "/session") {
      a.close_code = close_code(Errc::not_found);
      a.reason = "connect to /session?token=...";
      return a;
    }
    auto peer = std::make_shared<PeerAdapter>(std::move(conn));
    std::string token = req.bearer_token();
    a.principal = net::principal_of_token(token);
    // Accepted at once; the hub authenticates on a worker and closes a refused session
    // with close_code(Errc) (4401, 4403), as a refusal here would have.
    auto session = hub.open(std::move(token), peer);
    a.handler = std::make_shared<SessionHandler>(std::move(peer), std::move(session));
    return a;
  };
}

net::WsRoute make_study_route(loop::StudyHub& hub) {
  return [&hub](const net::Request& req, std::shared_ptr<net::WsConnection> conn) {
    net::WsAccept a;
    if (req.path != kStudySessionPath) {
      a.close_code = close_code(Errc::not_found);
      a.reason = "connect to /session/study?token=...";
      return a;
    }
    auto peer = std::make_shared<PeerAdapter>(std::move(conn));
    std::string token = req.bearer_token();
    a.principal = net::principal_of_token(token);
    // Accepted at once; the hub authenticates on a worker and closes a refusal (4401, 4403).
    auto session = hub.open(std::move(token), peer);
    a.handler = std::make_shared<StudyHandler>(std::move(peer), std::move(session));
    return a;
  };
}

}  // namespace mockloop::app
