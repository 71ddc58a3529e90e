// WebSocket sessions: the session owns its socket, timer, frame reader and bounded
// send queue, with exactly one write in flight (as in Beast's chat-multi example). The
// framing is ours (net/ws_frame) rather than Beast's websocket::stream so that
//   - a write carries every frame queued since the last one (one system call for many
//     messages: a broadcast to a busy connection costs a copy, not a syscall), and
//   - a read takes whatever the socket holds into a per-thread buffer and hands every
//     whole message in it to the handler, so an idle connection keeps no read buffer.
// Layers above see a session through WsConnection (an Outbox holding only a weak
// reference, so a handler never keeps a dead session alive) and talk to it through their
// WsHandler.
//
// Threads: a session lives on one io thread (the io_context it was given at accept), where
// everything but send()/post_close() runs. send() may be called from any thread; it
// appends under `out_mu_`. On the session's own thread it writes at once when the session
// is idle (a broadcast is then one system call per receiver and no handler), or, while
// that thread handles a read, when the read is done (Cork); from another thread it posts
// one flush per batch. Such an inline write never finishes the session on the caller's
// stack (the caller may hold its document's lock): an error posts the finish.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstring>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "net/detail.hpp"
#include "net/send_batch.hpp"
#include "net/ws_frame.hpp"

namespace mockloop::net {

namespace {

struct WsMetrics {
  metrics::Gauge& connections = metrics::gauge("mockloop_connections", "Open connections by kind", "kind=\"ws\"");
  metrics::Counter& msgs_in = metrics::counter("mockloop_ws_messages_in_total", "WebSocket messages received");
  metrics::Counter& msgs_out = metrics::counter("mockloop_ws_messages_out_total", "WebSocket messages sent");
  metrics::Counter& writes = metrics::counter("mockloop_ws_writes_total", "WebSocket socket writes (each carries one or more messages)");
  metrics::Counter& short_writes = metrics::counter("mockloop_ws_short_writes_total", "WebSocket writes that found the socket buffer full (the rest waits for the socket)");
  metrics::Counter& batched_writes = metrics::counter("mockloop_ws_batched_writes_total", "WebSocket socket writes issued together through io_uring (a subset of the writes)");
  metrics::Counter& bytes_in = metrics::counter("mockloop_bytes_in_total", "Bytes read", "proto=\"ws\"");
  metrics::Counter& bytes_out = metrics::counter("mockloop_bytes_out_total", "Bytes written", "proto=\"ws\"");
  metrics::Counter& overflow = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                                "reason=\"send_queue_full\"");
  metrics::Counter& too_big = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                               "reason=\"message_too_big\"");
  metrics::Counter& text = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                            "reason=\"text_frame\"");
  metrics::Counter& protocol = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                                "reason=\"protocol_error\"");
  metrics::Counter& timeout = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                               "reason=\"timeout\"");
};

WsMetrics& m() {
  static WsMetrics* x = new WsMetrics();
  return *x;
}

constexpr std::size_t kReadChunkBytes = 64 * 1024;        // per-thread read buffer, one read's most
constexpr std::size_t kCopyBelowBytes = 4 * 1024;         // smaller frames are copied into one write buffer
constexpr std::size_t kMaxFramesPerWrite = 256;           // frames gathered into one write
constexpr std::size_t kKeepBufferBytes = 64 * 1024;       // larger idle buffers are released
constexpr std::chrono::seconds kCloseTimeout{5};          // wait for the peer's close frame

using Frame = std::shared_ptr<const std::vector<uint8_t>>;

struct OutFrame {
  Frame payload;
  ws::Opcode opcode;
};

class WsSession;

// Per io thread: its sessions armed by sends made while the thread handles one read are
// written when that read is handled, so the messages of one read reach each receiver in
// one write (and a broadcast needs no handler per receiver). Bounded by the open
// connections (a session is listed at most once: it is armed).
// Sessions of other io threads armed meanwhile are handed to their thread in one posted
// handler per thread (not one per session).
struct Cork {
  bool active = false;
  std::vector<std::shared_ptr<WsSession>> armed;
  std::vector<std::pair<asio::io_context*, std::vector<std::shared_ptr<WsSession>>>> remote;
};
thread_local Cork t_cork;

// Per io thread: the sessions that read in the current round (the reads the thread found
// ready together, from one poll) and wait for WsHandler::on_read_done, which runs for all
// of them once every read of the round is handled (a posted handler queues behind them).
// So one group commit serves every connection that wrote at the same moment. Bounded by
// the open connections (a session is listed at most once: in_round_). Weak: a round that
// never runs (the io_context stopped) keeps no session alive past the server.
struct ReadRound {
  bool scheduled = false;
  std::vector<std::weak_ptr<WsSession>> sessions;
};
thread_local ReadRound t_round;

// What handlers hold: forwards to the session while it lives, does nothing after.
class Outbox : public WsConnection {
 public:
  Outbox(uint64_t id, std::weak_ptr<WsSession> s) : id_(id), session_(std::move(s)) {}
  uint64_t id() const override { return id_; }
  void send(std::shared_ptr<const std::vector<uint8_t>> frame) override;
  void close(uint16_t code, std::string reason) override;
  bool post(std::function<void()> fn) override;

 private:
  uint64_t id_;
  std::weak_ptr<WsSession> session_;
};

class WsSession : public Closable, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Server::Impl* server, tcp::socket&& socket, std::vector<uint8_t> early_bytes)
      : server_(server),
        socket_(std::move(socket)),
        ctx_(Server::Impl::context_of(socket_.get_executor())),
        timer_(socket_.get_executor()),
        rbuf_(std::move(early_bytes)),
        reader_(server->config.limits.max_ws_message_bytes, events()) {
    m().connections.add(1);
  }
  ~WsSession() override {
    m().connections.sub(1);
    server_->unregister_session(id_);
  }

  void run(http::request<http::string_body> req, WsRoute route, Request plain) {
    id_ = server_->register_session(weak_from_this());
    route_ = std::move(route);
    plain_ = std::move(plain);
    beast::error_code ec;
    socket_.non_blocking(true, ec);
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->set(http::field::server, "mockloop");
    std::string key(req[http::field::sec_websocket_key]);
    if (req[http::field::sec_websocket_version] != "13" || key.empty() || key.size() > 24) {
      res->result(http::status::bad_request);
      res->set(http::field::content_type, "application/json");
      res->set(http::field::sec_websocket_version, "13");
      res->body() = R"({"error":{"code":"bad_handshake","message":"a WebSocket version 13 handshake with a Sec-WebSocket-Key is required"}})";
      res->prepare_payload();
      res->keep_alive(false);
      refused_handshake_ = true;
    } else {
      res->result(http::status::switching_protocols);
      res->set(http::field::upgrade, "websocket");
      res->set(http::field::connection, "Upgrade");
      res->set(http::field::sec_websocket_accept, ws::accept_key(key));
    }
    arm_timer(server_->config.limits.handshake_timeout);
    http::async_write(socket_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->on_handshake(ec);
    });
  }

  // Thread-safe: queue one binary message.
  void send(Frame frame) {
    const auto& lim = server_->config.limits;
    std::unique_lock lock(out_mu_);
    if (out_closed_) return;
    out_frames_ += 1;
    out_bytes_ += frame->size();
    if (out_frames_ > lim.send_queue_max_frames || out_bytes_ > lim.send_queue_max_bytes) {
      out_closed_ = true;
      pending_.clear();
      lock.unlock();
      m().overflow.inc();
      log::warn("net", "send queue full, closing", {{"conn", std::to_string(id_)}});
      return post_close(1013, "send queue full: reconnect and resync");
    }
    pending_.push_back(OutFrame{std::move(frame), ws::kBinary});
    if (armed_) return;
    armed_ = true;
    lock.unlock();
    if (ctx_.get_executor().running_in_this_thread()) {
      if (!t_cork.active) return flush(/*inline_call=*/true);
      t_cork.armed.push_back(shared_from_this());
      return;
    }
    if (t_cork.active) return cork_remote();
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->flush(); });
  }

  // Lists this session (armed, of another io thread) for its thread's handler at the end
  // of the current CorkScope. A few io threads: a linear search.
  void cork_remote() {
    for (auto& [ctx, sessions] : t_cork.remote) {
      if (ctx == &ctx_) return sessions.push_back(shared_from_this());
    }
    t_cork.remote.emplace_back(&ctx_, std::vector<std::shared_ptr<WsSession>>{shared_from_this()});
  }

  void post_task(std::function<void()> fn) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), fn = std::move(fn)] { fn(); });
  }

  void post_close(uint16_t code, std::string reason) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), code, r = std::move(reason)]() mutable {
      self->request_close(code, std::move(r));
    });
  }

  void close_for_shutdown() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (!self->accepted_) return self->finish();
      self->request_close(1001, "server shutting down");
    });
  }

 private:
  ws::ReaderEvents events() {
    ws::ReaderEvents ev;
    ev.on_message = [this](std::span<const uint8_t> msg) { on_message(msg); };
    ev.on_ping = [this](std::span<const uint8_t> payload) {
      queue_control(ws::kPong, std::make_shared<const std::vector<uint8_t>>(payload.begin(), payload.end()));
    };
    ev.on_close = [this](uint16_t code, std::string_view) { on_peer_close(code); };
    ev.on_error = [this](uint16_t code, std::string reason) {
      if (code == ws::kCloseTooBig) m().too_big.inc();
      else if (code == ws::kCloseUnsupportedData) m().text.inc();
      else m().protocol.inc();
      request_close(code, std::move(reason));
    };
    return ev;
  }

  void on_handshake(beast::error_code ec) {
    if (ec || refused_handshake_) return finish();
    accepted_ = true;
    if (server_->stopping) {
      request_close(1001, "server shutting down");
    } else {
      auto outbox = std::make_shared<Outbox>(id_, weak_from_this());
      WsAccept a = route_(plain_, outbox);
      if (!a.handler) {
        request_close(a.close_code ? a.close_code : 1008, a.reason.empty() ? "refused" : a.reason);
      } else {
        handler_ = std::move(a.handler);
      }
    }
    route_ = nullptr;
    arm_timer(idle_period());
    if (!rbuf_.empty()) {
      // Frames the client sent right behind its handshake.
      std::size_t used = reader_.consume(rbuf_);
      rbuf_.erase(rbuf_.begin(), rbuf_.begin() + static_cast<std::ptrdiff_t>(used));
      if (handler_) join_round();
    }
    do_read();
  }

  // ---- reading ------------------------------------------------------------------------

  void do_read() {
    if (closed_ || reader_.failed()) return;
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
      self->on_readable(ec);
    });
  }

  // Lists the sends made on this thread until it goes out of scope, then writes them.
  class CorkScope {
   public:
    CorkScope() : owner_(!t_cork.active) {
      if (owner_) t_cork.active = true;
    }
    ~CorkScope() {
      if (!owner_) return;
      t_cork.active = false;
      auto remote = std::move(t_cork.remote);
      t_cork.remote.clear();
      for (auto& [ctx, sessions] : remote) {
        asio::post(*ctx, [sessions = std::move(sessions)] {
          CorkScope cork;  // what their writes cause leaves together too
          flush_all(sessions, /*inline_call=*/false);
        });
      }
      auto armed = std::move(t_cork.armed);
      t_cork.armed.clear();
      flush_all(armed, /*inline_call=*/true);
      armed.clear();
      if (t_cork.armed.empty()) t_cork.armed = std::move(armed);  // keep the capacity
    }
    CorkScope(const CorkScope&) = delete;
    CorkScope& operator=(const CorkScope&) = delete;

   private:
    bool owner_;
  };

  void on_readable(beast::error_code ec) {
    if (ec || closed_) return finish();
    CorkScope cork;
    bool more = read_available();
    if (handler_) join_round();  // also after a protocol error: what was handled gets done
    if (more) do_read();
  }

  void join_round() {
    if (in_round_) return;
    in_round_ = true;
    t_round.sessions.push_back(weak_from_this());
    if (t_round.scheduled) return;
    t_round.scheduled = true;
    asio::post(ctx_, [] { end_round(); });
  }

  // The sends of every on_read_done of the round leave together at its end.
  static void end_round() {
    CorkScope cork;
    auto sessions = std::move(t_round.sessions);
    t_round.sessions.clear();
    t_round.scheduled = false;
    for (auto& w : sessions) {
      auto s = w.lock();
      if (!s) continue;
      s->in_round_ = false;
      if (s->handler_) s->handler_->on_read_done();  // null once finished
    }
  }

  // Handles every whole message the socket holds. False when the session is done reading.
  bool read_available() {
    beast::error_code ec;
    thread_local std::vector<uint8_t> chunk(kReadChunkBytes);
    for (;;) {
      std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) break;
      if (ec) {
        finish();  // EOF or reset: the peer is gone
        return false;
      }
      activity_ = true;
      m().bytes_in.inc(n);
      if (rbuf_.empty()) {
        std::span<uint8_t> data(chunk.data(), n);
        std::size_t used = reader_.consume(data);
        if (used < n) rbuf_.assign(chunk.begin() + static_cast<std::ptrdiff_t>(used), chunk.begin() + static_cast<std::ptrdiff_t>(n));
      } else {
        rbuf_.insert(rbuf_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
        std::size_t used = reader_.consume(rbuf_);
        rbuf_.erase(rbuf_.begin(), rbuf_.begin() + static_cast<std::ptrdiff_t>(used));
        if (rbuf_.empty() && rbuf_.capacity() > kKeepBufferBytes) rbuf_.shrink_to_fit();
      }
      if (closed_ || reader_.failed()) return false;
      if (n < chunk.size()) break;  // the socket had no more
    }
    return true;
  }

  void on_message(std::span<const uint8_t> msg) {
    m().msgs_in.inc();
    if (handler_ && !close_requested_) handler_->on_message(msg);
  }

  void on_peer_close(uint16_t code) {
    close_received_ = true;
    if (close_sent_) return finish();
    if (!close_requested_) {
      // Echo the peer's code (RFC 6455 5.5.1), then drop the connection once it is written.
      request_close(code == ws::kCloseNoStatus ? ws::kCloseNormal : code, "");
    }
  }

  // ---- writing ------------------------------------------------------------------------

  // Own thread: a control frame goes out after the frames queued before it.
  void queue_control(ws::Opcode op, Frame payload) {
    {
      std::lock_guard lock(out_mu_);
      if (close_queued_) return;
      if (op == ws::kClose) {
        close_queued_ = true;
        out_closed_ = true;  // nothing after the close frame
      }
      pending_.push_back(OutFrame{std::move(payload), op});
      if (armed_) return;
      armed_ = true;
    }
    flush();
  }

  void request_close(uint16_t code, std::string reason) {
    if (close_requested_ || closed_) return;
    close_requested_ = true;
    if (!accepted_) return finish();
    auto payload = ws::close_payload(code, reason);
    queue_control(ws::kClose, std::make_shared<const std::vector<uint8_t>>(std::move(payload)));
  }

  // Own thread, with armed_ set: writes everything pending, or disarms when there is nothing.
  // `inline_call`: called from send() on another session's (or a handler's) stack.
  void flush(bool inline_call = false) {
    if (!take_batch()) return;
    // Most writes fit the socket buffer: try at once, and wait for the socket only when not.
    beast::error_code ec;
    std::size_t n = socket_.write_some(buffers_, ec);
    after_write(n, ec, inline_call);
  }

  // flush() for many sessions of this thread: with io_uring, the first write of each
  // leaves in one system call (net/send_batch). A session is listed at most once.
  static void flush_all(const std::vector<std::shared_ptr<WsSession>>& sessions, bool inline_call) {
    thread_local bool busy = false;  // a write's consequences (finish) may flush again
    SendBatcher* batcher = nullptr;
    if (sessions.size() >= 2 && !busy) batcher = SendBatcher::for_this_thread(sessions.front()->server_->config.io_uring);
    if (batcher == nullptr) {
      for (const auto& s : sessions) s->flush(inline_call);
      return;
    }
    busy = true;
    thread_local std::vector<WsSession*> ready;  // bounded by the open connections
    thread_local std::vector<iovec> iovs;
    thread_local std::vector<SendJob> jobs;
    ready.clear();
    iovs.clear();
    jobs.clear();
    for (const auto& s : sessions) {
      if (s->take_batch()) ready.push_back(s.get());
    }
    for (WsSession* s : ready) {
      for (const auto& b : s->buffers_) iovs.push_back(iovec{const_cast<void*>(b.data()), b.size()});
    }
    std::size_t first = 0;  // iovs is complete: pointers into it stay valid
    for (WsSession* s : ready) {
      SendJob j;
      j.fd = s->socket_.native_handle();
      j.msg.msg_iov = iovs.data() + first;
      j.msg.msg_iovlen = s->buffers_.size();
      first += s->buffers_.size();
      jobs.push_back(j);
    }
    batcher->send_all(jobs);
    m().batched_writes.inc(jobs.size());
    for (std::size_t i = 0; i < ready.size(); ++i) {
      ssize_t r = jobs[i].result;
      beast::error_code ec;
      if (r < 0) ec.assign(static_cast<int>(-r), beast::system_category());
      ready[i]->after_write(r < 0 ? 0 : static_cast<std::size_t>(r), ec, inline_call);
    }
    busy = false;
  }

  // Own thread, armed_: moves what is pending (up to kMaxFramesPerWrite) into batch_ and
  // lays out its buffers. False when there is nothing to write (disarmed) or the session
  // is closed.
  bool take_batch() {
    if (closed_) return false;
    {
      std::lock_guard lock(out_mu_);
      if (pending_.empty()) {
        armed_ = false;
        return false;
      }
      std::size_t take = std::min(pending_.size(), kMaxFramesPerWrite);
      batch_.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(take)));
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    build_buffers();
    return true;
  }

  // A non-blocking write of batch_ wrote `n` bytes or failed with `ec`: done, or the rest
  // waits for the socket.
  void after_write(std::size_t n, beast::error_code ec, bool inline_call) {
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
      return inline_call ? finish_later() : finish();
    }
    if (ec) n = 0;
    if (n == batch_bytes_) return on_written(n, inline_call);
    m().short_writes.inc();
    written_ = n;
    auto rest = buffers_after(n);
    asio::async_write(socket_, rest, [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
      if (ec) return self->finish();
      self->on_written(self->written_ + bytes);
    });
  }

  // Lays out headers and payloads: small frames are copied into wbuf_, large ones are
  // referenced where they are.
  void build_buffers() {
    std::size_t copy = 0;
    for (const auto& f : batch_) copy += ws::kMaxFrameHeaderBytes + (f.payload->size() < kCopyBelowBytes ? f.payload->size() : 0);
    wbuf_.resize(copy);
    buffers_.clear();
    batch_bytes_ = 0;
    std::size_t pos = 0, seg = 0;
    for (const auto& f : batch_) {
      const auto& p = *f.payload;
      pos += ws::encode_header(wbuf_.data() + pos, f.opcode, p.size());
      if (p.size() < kCopyBelowBytes) {
        if (!p.empty()) std::memcpy(wbuf_.data() + pos, p.data(), p.size());
        pos += p.size();
      } else {
        buffers_.emplace_back(wbuf_.data() + seg, pos - seg);
        buffers_.emplace_back(p.data(), p.size());
        batch_bytes_ += pos - seg + p.size();
        seg = pos;
      }
    }
    if (pos > seg) {
      buffers_.emplace_back(wbuf_.data() + seg, pos - seg);
      batch_bytes_ += pos - seg;
    }
  }

  std::vector<asio::const_buffer> buffers_after(std::size_t n) {
    std::vector<asio::const_buffer> rest;
    for (const auto& b : buffers_) {
      if (n >= b.size()) {
        n -= b.size();
        continue;
      }
      rest.push_back(b + n);
      n = 0;
    }
    return rest;
  }

  void on_written(std::size_t bytes, bool inline_call = false) {
    m().writes.inc();
    m().bytes_out.inc(bytes);
    std::size_t data_frames = 0, data_bytes = 0;
    bool had_close = false;
    for (const auto& f : batch_) {
      if (f.opcode == ws::kBinary) {
        ++data_frames;
        data_bytes += f.payload->size();
      } else if (f.opcode == ws::kClose) {
        had_close = true;
      }
    }
    m().msgs_out.inc(data_frames);
    batch_.clear();
    if (wbuf_.capacity() > kKeepBufferBytes) {
      wbuf_ = {};
      buffers_.shrink_to_fit();
    }
    {
      std::lock_guard lock(out_mu_);
      out_frames_ -= std::min(out_frames_, data_frames);
      out_bytes_ -= std::min(out_bytes_, data_bytes);
    }
    if (had_close) {
      close_sent_ = true;
      if (close_received_ || reader_.failed()) {
        return inline_call ? finish_later() : finish();
      }
      arm_timer(kCloseTimeout);
    }
    flush(inline_call);
  }

  // ---- timers -------------------------------------------------------------------------

  std::chrono::steady_clock::duration idle_period() const {
    return std::chrono::milliseconds(server_->config.limits.ws_idle_timeout) / 2;
  }

  void arm_timer(std::chrono::steady_clock::duration d) {
    timer_.expires_after(d);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->on_timer();
    });
  }

  // Handshake and close deadlines; keep-alive: a ping after half the idle timeout without
  // traffic, and the connection dropped after the other half.
  void on_timer() {
    if (closed_) return;
    if (!accepted_ || close_sent_) {
      m().timeout.inc();
      return finish();
    }
    if (activity_) {
      activity_ = false;
      ping_sent_ = false;
    } else if (!ping_sent_) {
      ping_sent_ = true;
      queue_control(ws::kPing, std::make_shared<const std::vector<uint8_t>>());
    } else {
      m().timeout.inc();
      return finish();
    }
    arm_timer(idle_period());
  }

  // For inline writes: the caller may hold its document's lock, and finish() calls the
  // handler's on_close, which takes it.
  void finish_later() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->finish(); });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    {
      std::lock_guard lock(out_mu_);
      out_closed_ = true;
      pending_.clear();
    }
    batch_.clear();
    if (handler_) {
      auto h = std::move(handler_);
      h->on_close();
    }
  }

  Server::Impl* server_;
  tcp::socket socket_;         // its executor is the session's io_context's
  asio::io_context& ctx_;      // the one io thread this session runs on
  asio::steady_timer timer_;   // handshake, keep-alive and close deadlines
  std::vector<uint8_t> rbuf_;  // the unparsed tail of earlier reads; bounded by the reader's wants
  ws::FrameReader reader_;
  WsRoute route_;
  Request plain_;
  std::shared_ptr<WsHandler> handler_;

  std::mutex out_mu_;  // guards the fields up to armed_
  std::vector<OutFrame> pending_;  // bounded by Limits::send_queue_max_frames / _bytes
  std::size_t out_frames_ = 0;     // data frames pending or being written
  std::size_t out_bytes_ = 0;      // their payload bytes
  bool out_closed_ = false;        // later sends are dropped
  bool close_queued_ = false;
  bool armed_ = false;             // a flush is posted or a write is in flight

  // The write in flight (own thread only).
  std::vector<OutFrame> batch_;
  std::vector<uint8_t> wbuf_;
  std::vector<asio::const_buffer> buffers_;
  std::size_t batch_bytes_ = 0;
  std::size_t written_ = 0;

  uint64_t id_ = 0;
  bool refused_handshake_ = false;
  bool accepted_ = false;
  bool activity_ = false;
  bool ping_sent_ = false;
  bool close_requested_ = false;
  bool close_sent_ = false;
  bool close_received_ = false;
  bool closed_ = false;
  bool in_round_ = false;  // listed in t_round
};

void Outbox::send(std::shared_ptr<const std::vector<uint8_t>> frame) {
  if (auto s = session_.lock()) s->send(std::move(frame));
}

void Outbox::close(uint16_t code, std::string reason) {
  if (auto s = session_.lock()) s->post_close(code, std::move(reason));
}

bool Outbox::post(std::function<void()> fn) {
  auto s = session_.lock();
  if (!s) return false;
  s->post_task(std::move(fn));
  return true;
}

}  // namespace

void register_ws_metrics() { m(); }

void run_ws_session(Server::Impl* server, tcp::socket socket, std::vector<uint8_t> early_bytes,
                    http::request<http::string_body> req, WsRoute route, Request plain) {
  std::make_shared<WsSession>(server, std::move(socket), std::move(early_bytes))
      ->run(std::move(req), std::move(route), std::move(plain));
}

}  // namespace mockloop::net
