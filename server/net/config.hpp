// The transport's configuration: where to listen, what to serve, and every limit the
// transport enforces, each with its default beside it. Plain data; copied into the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mockloop::net {

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;            // request line + headers; over -> 431
  std::size_t max_body_bytes = 1024 * 1024;            // HTTP request body; over -> 413
  std::size_t max_ws_message_bytes = 8 * 1024 * 1024;  // one WebSocket message; over -> close 1009
  std::chrono::seconds handshake_timeout{10};          // TCP accept to complete request / WS handshake
  std::chrono::seconds http_idle_timeout{30};          // keep-alive HTTP connection with no request
  std::chrono::seconds ws_idle_timeout{60};            // WS with no traffic (pings keep it alive)
  std::size_t send_queue_max_frames = 4096;            // per connection, pongs and close included; over -> close 1013
  std::size_t send_queue_max_bytes = 32 * 1024 * 1024; // per connection, pongs and close included; over -> close 1013
  // A connection whose send queue holds more than this stops being read (its client is
  // slowed by TCP) until the queue drains below it: a client that does not read what it
  // is sent cannot make the server queue more for it (e.g. pongs for a ping flood).
  std::size_t send_queue_high_water_bytes = 4 * 1024 * 1024;  // per connection
  std::size_t send_queue_high_water_frames = 1024;            // per connection
  std::size_t max_connections = 20000;                 // whole process; over -> refused (closed)
  // Accepted sockets from one IP address, HTTP (also before its first request) and WS
  // alike; over -> the socket is closed at once. 0 = no limit. Loopback addresses are not
  // counted unless per_ip_counts_loopback: behind a reverse proxy (deploy/nginx) every
  // client arrives from there.
  std::size_t max_connections_per_ip = 64;
  bool per_ip_counts_loopback = false;
  // WebSockets of one principal over every route (WsAccept::principal: the route says
  // whose connection it is, e.g. its token); over -> close 1008 right after the handshake.
  // A coarse cap: the room's own quotas (room::Limits, per document) are finer. 0 = none.
  std::size_t max_connections_per_principal = 256;
  // accept() failing for lack of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM) waits this
  // long before the next try, doubling up to the max; such errors are logged once per
  // interval with a count.
  std::chrono::milliseconds accept_backoff_min{50};
  std::chrono::milliseconds accept_backoff_max{1000};
  std::chrono::seconds accept_error_log_interval{10};
};

// Which browsers' pages may talk to this server. A WebSocket upgrade or a POST, PUT, PATCH
// or DELETE that carries an Origin header is refused with 403 unless the origin's host:port
// is the request's own Host or the origin is listed in allowed_origins (exact match,
// e.g. "https://app.example.com"). Requests without Origin (curl, tests, non-browser
// clients) pass. allowed_hosts, when not empty, lists the only Host values served
// (host or host:port, case-insensitive); others get 403 (default: empty, any Host).
struct OriginPolicy {
  std::vector<std::string> allowed_origins;  // default: none besides the request's own Host
  std::vector<std::string> allowed_hosts;    // default: empty = any Host
};

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;        // 0 = pick a free port (tests)
  std::string static_dir;      // empty = no static files (API and WebSocket only)
  // io threads, each running its own io_context; a connection stays on the one it is given
  // at accept (round robin). A broadcast is written in the same call to the receivers on
  // the sender's thread and posted to the others' (ws_session.cpp). More than 1 spreads a
  // big fan-out over cores.
  int threads = 1;
  // Writes to many connections at once (a broadcast) leave in one system call through
  // io_uring where the kernel allows it, else one by one (net/send_batch.hpp).
  bool io_uring = true;
  Limits limits;
  OriginPolicy origins;
};

}  // namespace mockloop::net
