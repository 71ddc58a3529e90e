// The transport's configuration: where to listen, what to serve, and every limit the
// transport enforces, each with its default beside it. Plain data; copied into the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace mockloop::net {

struct Limits {
  std::size_t max_header_bytes = 16 * 1024;            // request line + headers; over -> 431
  std::size_t max_body_bytes = 1024 * 1024;            // HTTP request body; over -> 413
  std::size_t max_ws_message_bytes = 8 * 1024 * 1024;  // one WebSocket message; over -> close 1009
  std::chrono::seconds handshake_timeout{10};          // TCP accept to complete request / WS handshake
  std::chrono::seconds http_idle_timeout{30};          // keep-alive HTTP connection with no request
  std::chrono::seconds ws_idle_timeout{60};            // WS with no traffic (pings keep it alive)
  std::size_t send_queue_max_frames = 4096;            // per connection; over -> close 1013
  std::size_t send_queue_max_bytes = 32 * 1024 * 1024; // per connection; over -> close 1013
  std::size_t max_connections = 20000;                 // whole process; over -> 503 / refused
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
};

}  // namespace mockloop::net
