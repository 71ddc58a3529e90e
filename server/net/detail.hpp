// Internal to net: the Server's shared state and the session entry points. Included only
// by net's Beast translation units (server.cpp, ws_session.cpp, ws_upgrade.cpp).
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/server.hpp"
#include "net/static_files.hpp"

namespace mockloop::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Connections counted by key, each under a limit: by peer address
// (Limits::max_connections_per_ip) and by principal (Limits::max_connections_per_principal).
// Thread-safe.
class ConnectionCounts {
 public:
  class Slot;
  // A slot for one more connection under `key`, or nullopt when `limit` (0: none) are open.
  std::optional<Slot> take(const std::string& key, size_t limit);

 private:
  void release(const std::string& key);
  std::mutex mu_;                                  // guards counts_
  std::unordered_map<std::string, size_t> counts_;  // open connections by key (no zeros)
};

// One connection counted under its key; the count drops when the slot is destroyed. Moves
// with the socket (an HTTP session's per-IP slot goes on to its WebSocket session). Empty
// when default-made. REQUIRES: the ConnectionCounts outlives it.
class ConnectionCounts::Slot {
 public:
  Slot() = default;
  Slot(ConnectionCounts* counts, std::string key) : counts_(counts), key_(std::move(key)) {}
  Slot(Slot&& o) noexcept : counts_(std::exchange(o.counts_, nullptr)), key_(std::move(o.key_)) {}
  Slot& operator=(Slot&& o) noexcept {
    if (this != &o) {
      reset();
      counts_ = std::exchange(o.counts_, nullptr);
      key_ = std::move(o.key_);
    }
    return *this;
  }
  ~Slot() { reset(); }
  void reset() {
    if (counts_ != nullptr) std::exchange(counts_, nullptr)->release(key_);
  }

 private:
  ConnectionCounts* counts_ = nullptr;
  std::string key_;
};

inline std::optional<ConnectionCounts::Slot> ConnectionCounts::take(const std::string& key, size_t limit) {
  std::lock_guard lock(mu_);
  size_t& n = counts_[key];
  if (limit != 0 && n >= limit) {
    if (n == 0) counts_.erase(key);
    return std::nullopt;
  }
  ++n;
  return Slot(this, key);
}

inline void ConnectionCounts::release(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it != counts_.end() && --it->second == 0) counts_.erase(it);
}

using IpSlot = ConnectionCounts::Slot;

// Sets the security headers every HTTP response carries: `csp` as
// Content-Security-Policy (kDefaultCsp when empty), no referrer, no sniffing, no framing,
// own-origin opener.
inline void set_security_headers(http::fields& f, std::string_view csp = {}) {
  f.set("Content-Security-Policy", csp.empty() ? kDefaultCsp : csp);
  f.set("Referrer-Policy", "no-referrer");
  f.set("X-Content-Type-Options", "nosniff");
  f.set("X-Frame-Options", "DENY");
  f.set("Cross-Origin-Opener-Policy", "same-origin");
}

// A session the Server can ask to go away at shutdown.
class Closable {
 public:
  virtual ~Closable() = default;
  virtual void close_for_shutdown() = 0;  // thread-safe
};

// Owned by Server. Sessions and pending handlers refer to it by raw pointer: the io_context
// is destroyed inside ~Impl (destroying every pending handler and so every session) while
// the members declared before it, which sessions touch on destruction, are still alive.
struct Server::Impl {
  explicit Impl(Config c);
  ~Impl();

  std::mutex sessions_mu;                               // guards sessions
  std::map<uint64_t, std::weak_ptr<Closable>> sessions;  // live HTTP and WS sessions
  std::atomic<bool> stopping{false};
  ConnectionCounts per_ip;         // accepted sockets by peer address
  ConnectionCounts per_principal;  // WebSockets by WsAccept::principal
  std::atomic<uint64_t> next_id{1};

  Config config;
  // One io_context per io thread: `ioc` (thread 0: the acceptor, signals, tickers and its
  // share of the connections) and `workers` (config.threads - 1 more). A connection stays
  // on the context it was given at accept (round robin), so its handlers never run
  // concurrently and need no strand; other threads reach it only by posting.
  asio::io_context ioc;
  std::vector<std::unique_ptr<asio::io_context>> workers;
  std::atomic<size_t> next_context{0};
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace_timer;
  // accept() out of resources: the next try waits (Limits::accept_backoff_*); errors are
  // logged at most once per Limits::accept_error_log_interval with a count. ioc thread only.
  asio::steady_timer accept_timer;
  std::chrono::milliseconds accept_backoff{0};  // 0: the last accept succeeded
  std::chrono::steady_clock::time_point accept_log_next{};
  size_t accept_errors_unlogged = 0;
  StaticFiles static_files;
  std::vector<std::pair<std::string, AsyncHttpRoute>> http_routes;  // fixed after start()
  std::vector<std::pair<std::string, WsRoute>> ws_routes;      // fixed after start()
  struct Ticker {
    std::chrono::milliseconds period;
    std::function<void()> fn;
    std::unique_ptr<asio::steady_timer> timer;
  };
  std::vector<Ticker> tickers;

  // The executor of the io_context the next connection goes to.
  asio::any_io_executor session_executor();
  // The io_context behind a session's executor (one of ioc and workers).
  static asio::io_context& context_of(const asio::any_io_executor& ex) {
    return static_cast<asio::io_context&>(asio::query(ex, asio::execution::context));
  }

  uint64_t register_session(std::weak_ptr<Closable> s);
  void unregister_session(uint64_t id);
  void do_accept();
  void on_accept_error(const boost::system::error_code& ec);
  void start_ticker(size_t i);
  void begin_shutdown();
};

// Takes over a socket whose request asks for a WebSocket upgrade, with the bytes read
// behind that request (`early_bytes`); answers the handshake and runs the session.
void run_ws_session(Server::Impl* server, tcp::socket socket, std::vector<uint8_t> early_bytes,
                    const http::request<http::string_body>& req, WsRoute route, Request plain, IpSlot slot);


// Registers the WebSocket metrics so /metrics lists them before the first connection.
void register_ws_metrics();

}  // namespace mockloop::net
