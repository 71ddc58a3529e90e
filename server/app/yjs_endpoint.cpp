#include "app/yjs_endpoint.hpp"

#include "common/log.hpp"

namespace mockloop::app {
namespace {

constexpr std::string_view kPrefix = "/yjs/";
constexpr size_t kMaxDocNameBytes = 256;  // longer names are refused (1008)

class DocHandler final : public net::WsHandler {
 public:
  DocHandler(std::shared_ptr<room::Peer> peer, std::shared_ptr<room::DocConnection> conn)
      : peer_(std::move(peer)), conn_(std::move(conn)) {}
  void on_message(std::span<const uint8_t> data) override { conn_->handle(data); }
  void on_read_done() override { conn_->commit(); }
  void on_close() override { conn_->leave(); }

 private:
  std::shared_ptr<room::Peer> peer_;  // the room holds it weakly; the session keeps it alive
  std::shared_ptr<room::DocConnection> conn_;
};

net::WsAccept refuse(uint16_t code, std::string reason) {
  net::WsAccept a;
  a.close_code = code;
  a.reason = std::move(reason);
  return a;
}

}  // namespace

net::WsRoute make_yjs_route(room::DocRegistry& registry, room::Authorizer& authorizer) {
  return [&registry, &authorizer](const net::Request& req, std::shared_ptr<net::WsConnection> conn) {
    if (req.path.size() <= kPrefix.size() || req.path.compare(0, kPrefix.size(), kPrefix) != 0)
      return refuse(1008, "no document name: connect to /yjs/<docName>");
    std::string doc_name = req.path.substr(kPrefix.size());
    if (doc_name.size() > kMaxDocNameBytes) return refuse(1008, "document name too long");
    std::string token = req.query_param("token");
    if (token.empty() && req.authorization.rfind("Bearer ", 0) == 0) token = req.authorization.substr(7);
    room::AccessDecision access = authorizer.authorize(doc_name, token);
    if (!access.allowed) {
      log::info("yjs", "refused", {{"doc", doc_name}, {"reason", access.reason}});
      return refuse(1008, access.reason.empty() ? "access denied" : access.reason);
    }
    auto peer = std::make_shared<PeerAdapter>(std::move(conn));
    auto joined = registry.join(doc_name, peer, access.read_only);
    if (!joined) {
      const auto& code = joined.error().code;
      uint16_t close = code == "load_failed" ? 1011 : 1013;
      return refuse(close, joined.error().message);
    }
    net::WsAccept a;
    a.handler = std::make_shared<DocHandler>(std::move(peer), std::move(*joined));
    return a;
  };
}

}  // namespace mockloop::app
