// The WebSocket opening handshake, server side (RFC 6455 4.2), apart from the session that
// runs it: the HTTP answer to an upgrade request, and the close a route's refusal turns
// into right after the 101. The session (ws_session.cpp) writes the answer and applies the
// route's WsAccept; these say what both are. Pure functions over Beast's http types (no
// sockets, no state); any thread.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string>

#include "net/endpoints.hpp"

namespace mockloop::net {

using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;
using UpgradeResponse = boost::beast::http::response<boost::beast::http::string_body>;

// 101 Switching Protocols with Sec-WebSocket-Accept for a version-13 request with a key of
// at most 24 characters (a base64 16-byte nonce); otherwise 400 with a JSON error body,
// Sec-WebSocket-Version: 13 and Connection: close. Both carry the security headers.
UpgradeResponse upgrade_response(const UpgradeRequest& req);
inline bool switches_protocols(const UpgradeResponse& r) {
  return r.result() == boost::beast::http::status::switching_protocols;
}

// The close frame that ends an upgraded connection the route did not take.
struct WsRefusal {
  uint16_t code = 1008;
  std::string reason;
};
// A route's refusal (a WsAccept without handler): its code and reason, by default 1008
// "refused".
WsRefusal refusal_of(const WsAccept& a);
// The transport's own: the principal already holds Limits::max_connections_per_principal.
WsRefusal principal_cap_refusal();

}  // namespace mockloop::net
