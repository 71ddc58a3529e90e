#include "net/ws_upgrade.hpp"

#include "net/detail.hpp"
#include "net/ws_frame.hpp"

namespace mockloop::net {

UpgradeResponse upgrade_response(const UpgradeRequest& req) {
  UpgradeResponse res;
  res.version(11);
  res.set(http::field::server, "mockloop");
  const std::string key(req[http::field::sec_websocket_key]);
  if (req[http::field::sec_websocket_version] != "13" || key.empty() || key.size() > 24) {
    res.result(http::status::bad_request);
    res.set(http::field::content_type, "application/json");
    res.set(http::field::sec_websocket_version, "13");
    set_security_headers(res);
    res.body() = R"({"error":{"code":"bad_handshake","message":"a WebSocket version 13 handshake with a Sec-WebSocket-Key is required"}})";
    res.prepare_payload();
    res.keep_alive(false);
    return res;
  }
  res.result(http::status::switching_protocols);
  res.set(http::field::upgrade, "websocket");
  res.set(http::field::connection, "Upgrade");
  res.set(http::field::sec_websocket_accept, ws::accept_key(key));
  return res;
}

WsRefusal refusal_of(const WsAccept& a) {
  return WsRefusal{a.close_code != 0 ? a.close_code : uint16_t{1008}, a.reason.empty() ? "refused" : a.reason};
}

WsRefusal principal_cap_refusal() { return WsRefusal{1008, "too many connections for this token"}; }

}  // namespace mockloop::net
