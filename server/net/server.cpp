// Listener and HTTP sessions (after Beast's advanced server example): one HttpSession per
// TCP connection, on the io thread it was given at accept; reads with header/body limits and timeouts, answers
// from the routes, the built-in static file server or a JSON error, and hands WebSocket
// upgrades to run_ws_session.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "net/detail.hpp"
#include "net/origin_policy.hpp"

namespace mockloop::net {
namespace {

metrics::Gauge& http_connections() {
  static auto& g = metrics::gauge("mockloop_connections", "Open connections by kind", "kind=\"http\"");
  return g;
}
metrics::Counter& http_requests(int status) {
  static auto& c2 = metrics::counter("mockloop_http_requests_total", "HTTP requests by status class", "code=\"2xx\"");
  static auto& c3 = metrics::counter("mockloop_http_requests_total", "HTTP requests by status class", "code=\"3xx\"");
  static auto& c4 = metrics::counter("mockloop_http_requests_total", "HTTP requests by status class", "code=\"4xx\"");
  static auto& c5 = metrics::counter("mockloop_http_requests_total", "HTTP requests by status class", "code=\"5xx\"");
  return status >= 500 ? c5 : status >= 400 ? c4 : status >= 300 ? c3 : c2;
}
metrics::Counter& refused_connections() {
  static auto& c = metrics::counter("mockloop_connections_refused_total", "Connections refused at accept",
                                    "reason=\"max_connections\"");
  return c;
}
metrics::Counter& refused_per_ip() {
  static auto& c = metrics::counter("mockloop_connections_refused_total", "Connections refused at accept",
                                    "reason=\"max_connections_per_ip\"");
  return c;
}
metrics::Counter& refused_origin() {
  static auto& c = metrics::counter("mockloop_http_refused_origin_total",
                                    "Requests refused (403) for their Origin or Host header");
  return c;
}

// The per-IP limit that applies to `a` (0: none).
size_t per_ip_limit(const Limits& l, const asio::ip::address& a) {
  bool loopback = a.is_loopback() || (a.is_v6() && a.to_v6().is_v4_mapped() &&
                                      asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).is_loopback());
  return loopback && !l.per_ip_counts_loopback ? 0 : l.max_connections_per_ip;
}

bool state_changing(http::verb v) {
  return v == http::verb::post || v == http::verb::put || v == http::verb::patch || v == http::verb::delete_;
}

metrics::Counter& errors(const char* kind) {
  return metrics::counter("mockloop_errors_total", "Errors by kind", std::string("kind=\"") + kind + "\"");
}

template <typename Routes>
const typename Routes::value_type* find_route(const Routes& routes, std::string_view path) {
  const typename Routes::value_type* best = nullptr;
  for (const auto& r : routes) {
    const std::string& p = r.first;
    bool match = path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '/');
    if (match && (!best || p.size() > best->first.size())) best = &r;
  }
  return best;
}

class HttpSession : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Server::Impl* server, tcp::socket&& socket, IpSlot slot)
      : server_(server), stream_(std::move(socket)), slot_(std::move(slot)) {
    http_connections().add(1);
  }
  // Only a failed mutex lock could throw here; that ends the process (noexcept) as it should.
  ~HttpSession() override {  // NOLINT(bugprone-exception-escape)
    http_connections().sub(1);
    server_->unregister_session(id_);
  }

  void run() {
    id_ = server_->register_session(weak_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
  }

  void close_for_shutdown() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void do_read() {
    if (server_->stopping) return;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->config.limits.max_header_bytes));
    parser_->body_limit(server_->config.limits.max_body_bytes);
    stream_.expires_after(first_ ? server_->config.limits.handshake_timeout : server_->config.limits.http_idle_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    first_ = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::eof || ec == asio::error::connection_reset) {
      return do_close();
    }
    if (ec == http::error::header_limit) return send_error(Errc::headers_too_large, "request headers too large");
    if (ec == http::error::body_limit) return send_error(Errc::payload_too_large, "request body too large");
    if (ec) {
      errors("http_parse").inc();
      return send_error(Errc::invalid_argument, "malformed HTTP request: " + ec.message());
    }
    auto req = parser_->release();
    started_ = std::chrono::steady_clock::now();
    route_ = "refused";  // until a route, the static files or an upgrade takes the request
    Request plain;
    if (!split_target(req.target(), plain.path, plain.query)) {
      return send_error(Errc::invalid_argument, "malformed request target");
    }
    plain.method = std::string(req.method_string());
    plain.authorization = std::string(req[http::field::authorization]);
    plain.accept = std::string(req[http::field::accept]);
    plain.forwarded_for = std::string(req["X-Forwarded-For"]);
    plain.forwarded_proto = std::string(req["X-Forwarded-Proto"]);
    plain.cookie = std::string(req[http::field::cookie]);
    plain.csrf_token = std::string(req["X-CSRF-Token"]);
    plain.host = std::string(req[http::field::host]);
    beast::error_code rec;
    auto ep = stream_.socket().remote_endpoint(rec);
    if (!rec) plain.remote = ep.address().to_string();

    const bool upgrade = beast::websocket::is_upgrade(req);
    auto origin_it = req.find(http::field::origin);
    std::string origin = origin_it == req.end() ? std::string() : std::string(origin_it->value());
    if (auto allowed = check_origin(req[http::field::host], origin_it == req.end() ? nullptr : &origin,
                                    server_->config.origins, upgrade || state_changing(req.method()));
        !allowed) {
      refused_origin().inc();
      log::info("net", "refused by origin policy", {{"remote", plain.remote}, {"why", allowed.error().message}});
      return send_error(allowed.error().code, allowed.error().message);
    }
    if (upgrade) {
      auto* route = find_route(server_->ws_routes, plain.path);
      if (!route) return send_error(Errc::not_found, "no WebSocket endpoint at this path");
      stream_.expires_never();
      http_requests(101).inc();
      auto early = buffer_.cdata();
      std::vector<uint8_t> early_bytes(static_cast<const uint8_t*>(early.data()),
                                       static_cast<const uint8_t*>(early.data()) + early.size());
      run_ws_session(server_, stream_.release_socket(), std::move(early_bytes), req, route->second,
                     std::move(plain), std::move(slot_));
      return;
    }
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    plain.body = std::move(req.body());
    if (auto* route = find_route(server_->http_routes, plain.path)) {
      // The route answers now or later, from any thread; the answer is written here, on
      // this connection's thread. Nothing is read meanwhile (one request at a time).
      busy_ = true;
      route_ = route->first;
      route->second(std::move(plain), [self = shared_from_this(), ex = stream_.get_executor()](Response r) {
        asio::post(ex, [self, r = std::move(r)]() mutable { self->send_response(std::move(r)); });
      });
      return;
    }
    if (plain.method != "GET" && plain.method != "HEAD") {
      return send_error(Errc::method_not_allowed, "only GET and HEAD are served here");
    }
    route_ = "static";
    serve_static(plain, std::string(req[http::field::if_none_match]));
  }

  void serve_static(const Request& plain, const std::string& if_none_match) {
    auto file = server_->static_files.resolve(plain.path);
    if (!file) {
      return send_error(file.error().code, file.error().message);
    }
    if (!if_none_match.empty() && if_none_match == file->etag) {
      http::response<http::empty_body> res{http::status::not_modified, version_};
      res.set(http::field::etag, file->etag);
      res.set(http::field::cache_control, file->cache_control);
      set_security_headers(res);
      res.keep_alive(keep_alive_);
      return write(std::move(res));
    }
    http::file_body::value_type body;
    beast::error_code ec;
    body.open(file->fs_path.c_str(), beast::file_mode::scan, ec);
    if (ec) return send_error(Errc::not_found, "no such file");
    const bool head = plain.method == "HEAD";
    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                        std::make_tuple(http::status::ok, version_)};
    res.set(http::field::content_type, file->content_type);
    res.set(http::field::etag, file->etag);
    res.set(http::field::cache_control, file->cache_control);
    set_security_headers(res);
    res.content_length(file->size);
    res.keep_alive(keep_alive_);
    if (head) {
      http::response<http::empty_body> hres{http::status::ok, version_};
      hres.base() = res.base();
      return write(std::move(hres));
    }
    write(std::move(res));
  }

  void send_error(Errc code, std::string_view message) {
    keep_alive_ = false;
    send_response(json_error(code, message));
  }

  void send_response(Response r) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), version_ ? version_ : 11};
    res.set(http::field::content_type, r.content_type);
    res.set(http::field::cache_control, "no-store");
    set_security_headers(res);
    for (const auto& [name, value] : r.headers) {
      if (beast::iequals(name, "Set-Cookie")) res.insert(name, value);  // one line per cookie
      else res.set(name, value);  // may replace the CSP
    }
    res.keep_alive(keep_alive_);
    res.body() = std::move(r.body);
    res.prepare_payload();
    write(std::move(res));
  }

  template <typename Res>
  void write(Res&& res) {
    http_requests(res.result_int()).inc();
    if (started_) {
      // By the route's prefix ("/api", "/healthz", "static", "refused") and the status's
      // class ("2xx" .. "5xx"): a handful of series.
      metrics::histogram("mockloop_http_request_duration_seconds",
                         "HTTP requests from the end of reading to the start of writing the answer",
                         "route=\"" + route_ + "\",status=\"" + std::to_string(res.result_int() / 100) + "xx\"")
          .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - *started_).count());
      started_.reset();
    }
    busy_ = true;
    auto sp = std::make_shared<std::decay_t<Res>>(std::forward<Res>(res));
    bool close = !sp->keep_alive();
    stream_.expires_after(server_->config.limits.http_idle_timeout);
    http::async_write(stream_, *sp, [self = shared_from_this(), sp, close](beast::error_code ec, std::size_t bytes) {
      self->busy_ = false;
      static auto& out = metrics::counter("mockloop_bytes_out_total", "Bytes written", "proto=\"http\"");
      out.inc(bytes);
      if (ec || close || self->server_->stopping) return self->do_close();
      self->do_read();
    });
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  Server::Impl* server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  IpSlot slot_;  // this socket's place under its address's limit; moves on to a WsSession
  uint64_t id_ = 0;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool first_ = true;
  bool busy_ = false;  // a response is being written; touched only on the session's thread
  std::optional<std::chrono::steady_clock::time_point> started_;  // the request read, not yet answered
  std::string route_;  // the route prefix that took it, for the latency histogram
};

}  // namespace

Server::Impl::Impl(Config c)
    : config(std::move(c)),
      ioc(1),
      acceptor(ioc),
      signals(ioc, SIGINT, SIGTERM),
      grace_timer(ioc),
      accept_timer(ioc),
      static_files(config.static_dir) {
  for (int i = 1; i < config.threads; ++i) workers.push_back(std::make_unique<asio::io_context>(1));
}

Server::Impl::~Impl() {
  // Tickers, timers, signals and the acceptor go first (they need the io_context); then the
  // io_context, whose destruction destroys every pending handler and with it every session.
  tickers.clear();
  beast::error_code ec;
  acceptor.close(ec);
}

asio::any_io_executor Server::Impl::session_executor() {
  size_t i = next_context.fetch_add(1, std::memory_order_relaxed) % (workers.size() + 1);
  return i == 0 ? ioc.get_executor() : workers[i - 1]->get_executor();
}

uint64_t Server::Impl::register_session(std::weak_ptr<Closable> s) {
  uint64_t id = next_id.fetch_add(1);
  std::lock_guard lock(sessions_mu);
  sessions.emplace(id, std::move(s));
  return id;
}

void Server::Impl::unregister_session(uint64_t id) {
  bool last = false;
  {
    std::lock_guard lock(sessions_mu);
    sessions.erase(id);
    last = sessions.empty();
  }
  if (last && stopping) asio::post(ioc, [self = this] { self->grace_timer.cancel(); });
}

void Server::Impl::do_accept() {
  acceptor.async_accept(session_executor(), [self = this](beast::error_code ec, tcp::socket socket) {
    if (ec) return self->on_accept_error(ec);
    self->accept_backoff = std::chrono::milliseconds(0);
    if (self->stopping) return;
    size_t live;
    {
      std::lock_guard lock(self->sessions_mu);
      live = self->sessions.size();
    }
    beast::error_code ep_ec;
    auto ep = socket.remote_endpoint(ep_ec);
    std::optional<IpSlot> slot;
    if (live >= self->config.limits.max_connections) {
      refused_connections().inc();
    } else if (ep_ec) {
      // Reset before we could look at it: nothing to serve.
    } else if (!(slot = self->per_ip.take(ep.address().to_string(), per_ip_limit(self->config.limits, ep.address())))) {
      refused_per_ip().inc();
    }
    if (!slot) {
      beast::error_code ignore;
      socket.set_option(asio::socket_base::linger(true, 0), ignore);  // RST: no TIME_WAIT for refusals
      socket.close(ignore);
    } else {
      // Small frames (keystrokes, cursor moves) must leave at once, not wait for Nagle.
      beast::error_code nodelay_ec;
      socket.set_option(tcp::no_delay(true), nodelay_ec);
      std::make_shared<HttpSession>(self, std::move(socket), std::move(*slot))->run();
    }
    self->do_accept();
  });
}

void Server::Impl::on_accept_error(const boost::system::error_code& ec) {
  if (ec == asio::error::operation_aborted || stopping) return;
  errors("accept").inc();
  const auto& lim = config.limits;
  const bool out_of_resources = ec == asio::error::no_descriptors || ec.value() == ENFILE ||
                                ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
  // Out of descriptors or memory: retrying at once would fail again at once (a busy loop).
  if (out_of_resources) {
    accept_backoff = accept_backoff.count() == 0 ? lim.accept_backoff_min
                                                 : std::min(accept_backoff * 2, lim.accept_backoff_max);
  }
  ++accept_errors_unlogged;
  auto now = std::chrono::steady_clock::now();
  if (now >= accept_log_next) {
    log::warn("net", "accept failed", {{"error", ec.message()}, {"count", std::to_string(accept_errors_unlogged)},
                                       {"backoff_ms", std::to_string(out_of_resources ? accept_backoff.count() : 0)}});
    accept_errors_unlogged = 0;
    accept_log_next = now + lim.accept_error_log_interval;
  }
  if (!out_of_resources) return do_accept();  // that one connection failed (e.g. reset)
  accept_timer.expires_after(accept_backoff);
  accept_timer.async_wait([self = this](beast::error_code wait_ec) {
    if (wait_ec || self->stopping) return;
    self->do_accept();
  });
}

void Server::Impl::start_ticker(size_t i) {
  auto& t = tickers[i];
  t.timer->expires_after(t.period);
  t.timer->async_wait([self = this, i](beast::error_code ec) {
    if (ec || self->stopping) return;
    self->tickers[i].fn();
    self->start_ticker(i);
  });
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  log::info("net", "shutting down");
  beast::error_code ec;
  acceptor.close(ec);
  accept_timer.cancel();
  signals.cancel(ec);
  for (auto& t : tickers) t.timer->cancel();
  std::vector<std::shared_ptr<Closable>> live;
  {
    std::lock_guard lock(sessions_mu);
    for (auto& [id, w] : sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->close_for_shutdown();
  if (live.empty()) return;
  grace_timer.expires_after(std::chrono::seconds(5));
  grace_timer.async_wait([self = this](beast::error_code ec) {
    if (!ec) log::warn("net", "grace period over; stopping with connections still open");
    self->ioc.stop();
    for (auto& w : self->workers) w->stop();
  });
}

Server::Server(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  http_connections();
  http_requests(200);
  refused_connections();
  refused_per_ip();
  refused_origin();
  errors("http_parse");
  register_ws_metrics();
}

Server::~Server() = default;

void Server::add_http_route(std::string prefix, HttpRoute route) {
  impl_->http_routes.emplace_back(std::move(prefix), [route = std::move(route)](const Request& req, const HttpReply& reply) {
    reply(route(req));
  });
}

void Server::add_async_http_route(std::string prefix, AsyncHttpRoute route) {
  impl_->http_routes.emplace_back(std::move(prefix), std::move(route));
}

void Server::add_ws_route(std::string prefix, WsRoute route) {
  impl_->ws_routes.emplace_back(std::move(prefix), std::move(route));
}

void Server::add_ticker(std::chrono::milliseconds period, std::function<void()> fn) {
  impl_->tickers.push_back({period, std::move(fn), std::make_unique<asio::steady_timer>(impl_->ioc)});
}

Result<void> Server::start() {
  auto& a = impl_->acceptor;
  beast::error_code ec;
  auto addr = asio::ip::make_address(impl_->config.host, ec);
  if (ec) return make_error(Errc::io, "invalid listen address '" + impl_->config.host + "'");
  tcp::endpoint ep{addr, impl_->config.port};
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(Errc::io, "cannot listen on " + impl_->config.host + ":" +
                                           std::to_string(impl_->config.port) + ": " + ec.message());
  }
  if (!impl_->config.static_dir.empty() && !impl_->static_files.enabled()) {
    return make_error(Errc::io, "static directory '" + impl_->config.static_dir + "' does not exist");
  }
  impl_->signals.async_wait([impl = impl_.get()](beast::error_code ec, int sig) {
    if (ec) return;
    log::info("net", "signal received", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
    impl->begin_shutdown();
  });
  for (size_t i = 0; i < impl_->tickers.size(); ++i) impl_->start_ticker(i);
  impl_->do_accept();
  return {};
}

uint16_t Server::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void Server::run() {
  // The workers run until the main context is done (shutdown finished or timed out); their
  // guards keep them waiting for connections until then.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::thread> threads;
  for (auto& w : impl_->workers) {
    guards.push_back(asio::make_work_guard(*w));
    threads.emplace_back([ctx = w.get()] { ctx->run(); });
  }
  impl_->ioc.run();
  for (auto& g : guards) g.reset();
  for (auto& t : threads) t.join();
}

void Server::shutdown() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->begin_shutdown(); });
}

}  // namespace mockloop::net
