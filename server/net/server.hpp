// The MockLoop transport: one listening port for HTTP and WebSocket (Boost.Beast), run on
// N io threads, each with its own io_context and its share of the connections. It routes HTTP requests and
// WebSocket upgrades by path prefix to handlers registered before start(), serves the
// static web client, enforces the transport limits in Config::Limits, and shuts down
// gracefully (stop accepting, close every WebSocket with 1001, then return from run()).
//
// Beast and Asio stay inside server.cpp/ws_session.cpp (this header is plain C++), so only
// those translation units pay for them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "net/config.hpp"
#include "net/endpoints.hpp"

namespace mockloop::net {

class Server {
 public:
  explicit Server(Config config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // REQUIRES: before start(). A request whose path equals `prefix` or starts with
  // `prefix` + "/" goes to the route; the longest matching prefix wins.
  void add_http_route(std::string prefix, HttpRoute route);
  // The same for a route that answers later through its HttpReply (work off the io
  // thread); the connection waits for that answer without holding its io thread.
  void add_async_http_route(std::string prefix, AsyncHttpRoute route);
  void add_ws_route(std::string prefix, WsRoute route);
  // Calls `fn` every `period` on an io thread until shutdown.
  void add_ticker(std::chrono::milliseconds period, std::function<void()> fn);

  // Binds and listens. Error "listen_failed" when the address cannot be bound.
  Result<void> start();
  // The bound port (useful with port 0). REQUIRES: start() succeeded.
  uint16_t port() const;

  // Runs the io threads (the caller's included) until shutdown completes. SIGINT and
  // SIGTERM trigger shutdown().
  void run();
  // Thread-safe. Stops accepting, closes WebSockets with 1001 "server shutting down",
  // closes idle HTTP connections, and lets run() return once they are gone (or after a
  // grace period of a few seconds).
  void shutdown();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mockloop::net
