// What the transport hands to the layers above it, in plain types (no Beast/Asio here):
// an HTTP request for the API router, and a WebSocket connection for the session handlers
// (y-websocket docs, the interview session protocol). The Server owns the sockets; handlers
// hold these interfaces only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace mockloop::net {

struct Request {
  std::string method;         // "GET", "POST", ...
  std::string path;           // percent-decoded path, e.g. "/api/loops/7"
  std::string query;          // raw query string without '?'
  std::string authorization;  // raw Authorization header ("" if none)
  std::string accept;         // raw Accept header
  std::string body;
  std::string remote;         // peer address, for logs

  // The value of one query parameter, percent-decoded ("" when absent).
  std::string query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// {"error":{"code":...,"message":...}} with the given status.
Response json_error(int status, std::string_view code, std::string_view message);

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
};

using HttpRoute = std::function<Response(const Request&)>;
using WsRoute = std::function<WsAccept(const Request&, std::shared_ptr<WsConnection>)>;

}  // namespace mockloop::net
