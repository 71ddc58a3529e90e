// Internal to net: the Server's shared state and the session entry points. Included only
// by server.cpp and ws_session.cpp (the two Beast translation units).
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
  void start_ticker(size_t i);
  void begin_shutdown();
};

// Takes over a socket whose request asks for a WebSocket upgrade, with the bytes read
// behind that request (`early_bytes`); answers the handshake and runs the session.
void run_ws_session(Server::Impl* server, tcp::socket socket, std::vector<uint8_t> early_bytes,
                    http::request<http::string_body> req, WsRoute route, Request plain);

// Registers the WebSocket metrics so /metrics lists them before the first connection.
void register_ws_metrics();

}  // namespace mockloop::net
