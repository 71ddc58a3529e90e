// What the transport hands to the layers above it, in plain types (no Beast/Asio here):
// an HTTP request for the API router, and a WebSocket connection for the session handlers
// (y-websocket docs, the interview session protocol). The Server owns the sockets; handlers
// hold these interfaces only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mockloop::net {

// One HTTP request, the only request model above the transport (the API router, the
// WebSocket routes). Decoding rule, the same everywhere: the path and every query
// component are percent-decoded; '+' is a space in the query only; a malformed escape
// ('%' not followed by two hex digits) anywhere in the target makes the transport answer
// 400 before any route sees the request, so a Request always decodes cleanly.
struct Request {
  std::string method;         // "GET", "POST", ...
  std::string path;           // percent-decoded path, e.g. "/api/loops/7"
  std::string query;          // raw query string without '?' (every component decodes)
  std::string authorization;  // raw Authorization header ("" if none)
  std::string accept;         // raw Accept header
  std::string forwarded_for;  // raw X-Forwarded-For header ("" if none)
  std::string forwarded_proto;  // raw X-Forwarded-Proto header ("" if none)
  std::string cookie;         // raw Cookie header ("" if none)
  std::string csrf_token;     // raw X-CSRF-Token header ("" if none)
  std::string host;           // raw Host header ("" if none)
  std::string body;
  std::string remote;         // peer address of the socket

  // The value of one query parameter, percent-decoded ("" when absent or malformed).
  std::string query_param(std::string_view name) const;
  // Every query parameter, decoded; a repeated name keeps its last value. Error
  // "invalid_argument" on a malformed escape.
  Result<std::map<std::string, std::string>> query_params() const;
  // The caller's credential, by one rule: the Authorization header when it is
  // "Bearer <token>" (scheme case-insensitive, spaces around the token trimmed); else the
  // `token` query parameter; else "". A header with another scheme counts as absent.
  std::string bearer_token() const;
  // The client's address for quotas and logs: the socket's peer, or, when `trust_proxy`
  // (a reverse proxy we run appends the address it saw, as nginx's
  // $proxy_add_x_forwarded_for does), the last X-Forwarded-For entry.
  std::string client_ip(bool trust_proxy) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra ones: Allow, Retry-After. They are set after the transport's security headers,
  // so a Content-Security-Policy here replaces kDefaultCsp for this response only (e.g. a
  // sandboxed HTML report).
  std::vector<std::pair<std::string, std::string>> headers;
};

// Sent on every HTTP response unless the response sets its own (Response::headers). The web
// client is built without inline scripts (client-web/index.html loads one module file).
inline constexpr std::string_view kDefaultCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// {"error":{"code":...,"message":...}} with the given status.
Response json_error(int status, std::string_view code, std::string_view message);
// The same for a typed error: status and code from the table in common/error.hpp; a 5xx
// message is replaced by "internal error".
Response json_error(Errc code, std::string_view message);

// Percent-decodes a URL path or query component. Returns false on a malformed escape.
// When `plus_as_space` is set, '+' decodes to ' ' (query strings).
bool url_decode(std::string_view in, std::string& out, bool plus_as_space = false);

// Splits a request target into a decoded path and the raw query. False when the target
// does not start with '/' or any path or query component has a malformed escape.
bool split_target(std::string_view target, std::string& path, std::string& query);

// A live WebSocket connection as seen from above. Thread-safe; all calls are non-blocking.
class WsConnection {
 public:
  virtual ~WsConnection() = default;
  virtual uint64_t id() const = 0;
  // Queues a binary frame. When the send queue passes its limit the connection closes
  // itself with 1013 and later frames are dropped.
  virtual void send(std::shared_ptr<const std::vector<uint8_t>> frame) = 0;
  // Sends a close frame with `code` and `reason` once pending frames are written. Idempotent.
  virtual void close(uint16_t code, std::string reason) = 0;
  // Runs `fn` on the connection's thread (where its handler runs), later, never inside this
  // call. False when the connection is already gone: `fn` is dropped unrun. Thread-safe.
  virtual bool post(std::function<void()> fn) = 0;
  // Back-pressure: stop reading this connection's socket until `until`, so its client is
  // slowed by TCP instead of being cut off. The message being handled is the last one
  // delivered before the pause (later ones already read stay buffered, unparsed); reading
  // resumes by itself at `until`. Each call replaces the last one's time; a time not in
  // the future resumes reading now. Reads also pause on their own while the send queue is
  // over its high-water mark (Limits). Called from another thread it is posted.
  virtual void pause_reads_until(std::chrono::steady_clock::time_point until) = 0;
};

// Receives one connection's messages, in order, on that connection's thread.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  virtual void on_message(std::span<const uint8_t> data) = 0;
  // After the on_message calls of a round: the reads its io thread found ready together
  // (one or more whole messages each, from this and other connections). Runs once per
  // round for each connection that read in it, after every on_message of the round and
  // before the writes they caused leave: work that serves them all at once (a group
  // commit) goes here. Not called after on_close.
  virtual void on_read_done() {}
  // The connection is gone (closed by either side or by the server). Called once.
  virtual void on_close() = 0;
};

// The answer to an upgrade request: a handler, or a refusal sent as a close frame right
// after the handshake (browsers can read a close reason, not an HTTP status).
struct WsAccept {
  std::shared_ptr<WsHandler> handler;
  uint16_t close_code = 0;
  std::string reason;
  // Whose connection this is (e.g. a key derived from its token; "" = not counted): the
  // transport refuses (1008, after calling handler->on_close()) a principal's connection
  // past Limits::max_connections_per_principal.
  std::string principal;
};

// The principal key of a bearer token for WsAccept::principal ("" for no token): a hash,
// so the transport keeps no token.
inline std::string principal_of_token(std::string_view token) {
  return token.empty() ? std::string() : "token:" + std::to_string(std::hash<std::string_view>{}(token));
}

using HttpRoute = std::function<Response(const Request&)>;
// Answers one request exactly once, from any thread; the response is written on the
// connection's own thread. Dropping it unanswered closes the connection.
using HttpReply = std::function<void(Response)>;
// A route that may answer later (work off the io thread). It must not block.
using AsyncHttpRoute = std::function<void(Request, HttpReply)>;
using WsRoute = std::function<WsAccept(const Request&, std::shared_ptr<WsConnection>)>;

}  // namespace mockloop::net
