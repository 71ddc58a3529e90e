// Internal to net: the Server's shared state and the session entry points. Included only
// by server.cpp and ws_session.cpp (the two Beast translation units).
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <vector>

#include "net/server.hpp"
#include "net/static_files.hpp"

namespace mockloop::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

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
  std::atomic<uint64_t> next_id{1};

  Config config;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace_timer;
  StaticFiles static_files;
  std::vector<std::pair<std::string, HttpRoute>> http_routes;  // fixed after start()
  std::vector<std::pair<std::string, WsRoute>> ws_routes;      // fixed after start()
  struct Ticker {
    std::chrono::milliseconds period;
    std::function<void()> fn;
    std::unique_ptr<asio::steady_timer> timer;
  };
  std::vector<Ticker> tickers;

  // With one io thread every handler runs on it in order: sessions get the io_context's
  // executor (no strand), and a send made on that thread may write at once. With more
  // threads each session gets its own strand.
  bool single_thread() const { return config.threads <= 1; }
  asio::any_io_executor session_executor();
  bool on_io_thread() { return single_thread() && ioc.get_executor().running_in_this_thread(); }

  uint64_t register_session(std::weak_ptr<Closable> s);
  void unregister_session(uint64_t id);
  void do_accept();
  void start_ticker(size_t i);
  void begin_shutdown();
};

// Takes over a socket whose request asks for a WebSocket upgrade, with the bytes read
// behind that request (`early_bytes`); answers the handshake and runs the session.
void run_ws_session(Server::Impl* server, tcp::socket socket, std::vector<uint8_t> early_bytes,
                    http::request<http::string_body> req, WsRoute route, Request plain);

// Registers the WebSocket metrics so /metrics lists them before the first connection.
void register_ws_metrics();

// Splits a request target into a decoded path and the raw query. False when malformed.
bool split_target(std::string_view target, std::string& path, std::string& query);

}  // namespace mockloop::net
