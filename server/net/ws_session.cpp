// WebSocket sessions: the session owns its socket, timers, frame reader and bounded
// send queue (net/ws_writer: what each write carries), with exactly one write in flight
// (as in Beast's chat-multi example). Its protocol state is a WsState (net/ws_state: handshake, open,
// the closing handshake from either side, closed); the opening handshake's answer and a
// route's refusal are net/ws_upgrade's. The
// framing is ours (net/ws_frame) rather than Beast's websocket::stream so that
//   - a write carries every frame queued since the last one (one system call for many
//     messages: a broadcast to a busy connection costs a copy, not a syscall), and
//   - a read takes whatever the socket holds into a per-thread buffer and hands every
//     whole message in it to the handler, so an idle connection keeps no read buffer.
// Layers above see a session through WsConnection (an Outbox holding only a weak
// reference, so a handler never keeps a dead session alive) and talk to it through their
// WsHandler.
//
// Back-pressure: the session stops reading its socket (TCP then slows the client) while
// its handler asked for a pause (a rate limit: WsConnection::pause_reads_until) or its
// send queue is over the high-water mark (Limits::send_queue_high_water_*), and reads on
// when the pause ends or the queue drains; messages already read wait unparsed in rbuf_.
// Only the hard queue limits close (1013).
//
// Threads: a session lives on one io thread (the io_context it was given at accept), where
// everything but send()/post_close() runs. send() may be called from any thread; it
// appends to the writer (under its mutex). On the session's own thread it writes at once when the session
// is idle (a broadcast is then one system call per receiver and no handler), or, while
// that thread handles a read, when the read is done (Cork); from another thread it posts
// one flush per batch. Such an inline write never finishes the session on the caller's
// stack (the caller may hold its document's lock): an error posts the finish.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "net/detail.hpp"
#include "net/send_batch.hpp"
#include "net/ws_frame.hpp"
#include "net/ws_state.hpp"
#include "net/ws_upgrade.hpp"
#include "net/ws_writer.hpp"

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
  metrics::Counter& principal = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                                 "reason=\"max_connections_per_principal\"");
};

WsMetrics& m() {
  static WsMetrics* x = new WsMetrics();
  return *x;
}

constexpr std::size_t kReadChunkBytes = 64 * 1024;        // per-thread read buffer, one read's most
constexpr std::size_t kMaxChunksPerRead = 16;             // then wait for readiness again (fairness)
constexpr std::size_t kKeepBufferBytes = 64 * 1024;       // larger idle read buffers are released
constexpr std::chrono::seconds kCloseTimeout{5};          // wait for the peer's close frame

using Frame = std::shared_ptr<const std::vector<uint8_t>>;
using Clock = std::chrono::steady_clock;

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
  void pause_reads_until(std::chrono::steady_clock::time_point until) override;

 private:
  uint64_t id_;
  std::weak_ptr<WsSession> session_;
};

class WsSession : public Closable, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Server::Impl* server, tcp::socket&& socket, std::vector<uint8_t> early_bytes, IpSlot slot)
      : server_(server),
        socket_(std::move(socket)),
        ctx_(Server::Impl::context_of(socket_.get_executor())),
        timer_(socket_.get_executor()),
        resume_timer_(socket_.get_executor()),
        rbuf_(std::move(early_bytes)),
        reader_(server->config.limits.max_ws_message_bytes, events()),
        writer_(writer_limits(server->config.limits)),
        slot_(std::move(slot)) {
    m().connections.add(1);
  }
  ~WsSession() override {
    m().connections.sub(1);
    server_->unregister_session(id_);
  }

  void run(const http::request<http::string_body>& req, WsRoute route, Request plain) {
    id_ = server_->register_session(weak_from_this());
    route_ = std::move(route);
    plain_ = std::move(plain);
    beast::error_code ec;
    socket_.non_blocking(true, ec);
    auto res = std::make_shared<UpgradeResponse>(upgrade_response(req));
    if (!switches_protocols(*res)) state_.refuse_handshake();
    arm_timer(server_->config.limits.handshake_timeout);
    http::async_write(socket_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->on_handshake(ec);
    });
  }

  // Thread-safe: queue one binary message.
  void send(Frame frame) { after_push(writer_.push_message(std::move(frame))); }

  void post_task(std::function<void()> fn) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), fn = std::move(fn)] { fn(); });
  }

  void post_close(uint16_t code, std::string reason) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), code, r = std::move(reason)] {
      self->request_close(code, r);
    });
  }

  void close_for_shutdown() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->request_close(1001, "server shutting down");  // before the 101 is written: finish
    });
  }

  // Back-pressure from the handler (WsConnection::pause_reads_until). Own thread.
  void pause_reads_until(Clock::time_point until) {
    if (!ctx_.get_executor().running_in_this_thread()) {
      asio::post(socket_.get_executor(), [self = shared_from_this(), until] { self->pause_reads_until(until); });
      return;
    }
    if (state_.closed()) return;
    if (until <= Clock::now()) {  // resume now
      if (rate_until_ == Clock::time_point{}) return;
      rate_until_ = {};
      asio::post(socket_.get_executor(), [self = shared_from_this()] { self->resume_reads(); });
      return;
    }
    rate_until_ = until;
    reader_.stop_after_frame();  // when called from a message being handled: the last one
    if (resume_armed_ && resume_timer_.expiry() <= until) return;  // its handler re-arms for the later time
    arm_resume_timer();
  }

 private:
  static WsWriter::Limits writer_limits(const Limits& l) {
    WsWriter::Limits w;
    w.max_frames = l.send_queue_max_frames;
    w.max_bytes = l.send_queue_max_bytes;
    w.high_water_frames = std::min(l.send_queue_high_water_frames, l.send_queue_max_frames);
    w.high_water_bytes = std::min(l.send_queue_high_water_bytes, l.send_queue_max_bytes);
    return w;
  }

  ws::ReaderEvents events() {
    ws::ReaderEvents ev;
    ev.on_message = [this](std::span<const uint8_t> msg) { on_message(msg); };
    ev.on_ping = [this](std::span<const uint8_t> payload) { after_push(writer_.push_pong(payload)); };
    ev.on_close = [this](uint16_t code, std::string_view) { on_peer_close(code); };
    ev.on_error = [this](uint16_t code, const std::string& reason) {
      if (code == ws::kCloseTooBig) m().too_big.inc();
      else if (code == ws::kCloseUnsupportedData) m().text.inc();
      else m().protocol.inc();
      request_close(code, reason);
    };
    return ev;
  }

  void on_handshake(beast::error_code ec) {
    if (ec || !state_.handshake_written()) return finish();
    if (server_->stopping) {
      request_close(1001, "server shutting down");
    } else {
      auto outbox = std::make_shared<Outbox>(id_, weak_from_this());
      WsAccept a = route_(plain_, outbox);
      if (!a.handler) {
        auto refusal = refusal_of(a);
        request_close(refusal.code, refusal.reason);
      } else if (!take_principal_slot(a.principal)) {
        a.handler->on_close();  // it may have joined something: let it leave
        m().principal.inc();
        auto refusal = principal_cap_refusal();
        request_close(refusal.code, refusal.reason);
      } else {
        handler_ = std::move(a.handler);
      }
    }
    route_ = nullptr;
    arm_timer(idle_period());
    if (!rbuf_.empty()) {
      // Frames the client sent right behind its handshake.
      CorkScope cork;
      consume_buffered();
      if (handler_) join_round();
    }
    do_read();
  }

  bool take_principal_slot(const std::string& principal) {
    if (principal.empty()) return true;
    auto slot = server_->per_principal.take(principal, server_->config.limits.max_connections_per_principal);
    if (!slot) return false;
    principal_slot_ = std::move(*slot);
    return true;
  }

  // ---- reading ------------------------------------------------------------------------

  // Reads stop while the handler asked for a pause (rate) or the send queue is over its
  // high-water mark, and only while open: a closing session reads on to see the close.
  bool paused() {
    if (!state_.open()) return false;
    if (queue_paused_) return true;
    if (rate_until_ == Clock::time_point{}) return false;
    if (Clock::now() < rate_until_) return true;
    rate_until_ = {};
    return false;
  }

  void do_read() {
    if (state_.closed() || reader_.failed() || read_waiting_ || paused()) return;
    read_waiting_ = true;
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
    // Only an allocation (the posted flushes) could throw here; that ends the process
    // (noexcept) as it should: a lost flush would leave sessions silent.
    ~CorkScope() {  // NOLINT(bugprone-exception-escape)
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
    read_waiting_ = false;
    if (ec || state_.closed()) return finish();
    CorkScope cork;
    bool more = read_available();
    if (handler_) join_round();  // also after a protocol error: what was handled gets done
    if (more) do_read();         // not while paused: resume_reads() goes on
  }

  // After a pause: handles the whole messages read before it, then reads on.
  // A wait for the socket may be pending (the pause ended before the socket was drained):
  // the buffered messages are handled now all the same, since that wait only fires for new
  // bytes and the client may have sent everything already.
  void resume_reads() {
    if (state_.closed() || reader_.failed() || paused()) return;
    if (!rbuf_.empty()) {
      CorkScope cork;
      consume_buffered();
      if (handler_) join_round();
      if (state_.closed() || reader_.failed()) return;
      check_high_water();
    }
    do_read();
  }

  void arm_resume_timer() {
    resume_armed_ = true;
    const uint64_t gen = ++resume_gen_;
    resume_timer_.expires_at(rate_until_);
    resume_timer_.async_wait([self = shared_from_this(), gen](beast::error_code ec) {
      if (gen != self->resume_gen_) return;  // re-armed since
      self->resume_armed_ = false;
      if (ec || self->state_.closed()) return;
      if (self->rate_until_ != Clock::time_point{} && Clock::now() < self->rate_until_) return self->arm_resume_timer();
      self->resume_reads();
    });
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

  // Handles the whole messages in rbuf_ (up to a pause).
  void consume_buffered() {
    std::size_t used = reader_.consume(rbuf_);
    rbuf_.erase(rbuf_.begin(), rbuf_.begin() + static_cast<std::ptrdiff_t>(used));
    if (rbuf_.empty() && rbuf_.capacity() > kKeepBufferBytes) rbuf_.shrink_to_fit();
  }

  // Handles rbuf_'s whole messages until a pause or until only a partial frame is left.
  // False when the session is done reading.
  bool drain_buffered() {
    while (!rbuf_.empty() && !paused()) {
      const std::size_t before = rbuf_.size();
      consume_buffered();
      if (state_.closed() || reader_.failed()) return false;
      check_high_water();
      if (rbuf_.size() == before) break;  // a partial frame: waits for more bytes
    }
    return true;
  }

  // A client that does not read what it is sent is not read either, until it does.
  void check_high_water() {
    if (state_.open() && writer_.over_high_water()) queue_paused_ = true;
  }

  // Handles every whole message the socket holds, up to a pause. False when the session
  // is done reading.
  bool read_available() {
    beast::error_code ec;
    thread_local std::vector<uint8_t> chunk(kReadChunkBytes);
    std::size_t chunks = 0;
    for (;;) {
      if (paused()) return true;  // the rest stays in the socket; resume_reads() goes on
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
        consume_buffered();
      }
      if (state_.closed() || reader_.failed()) return false;
      check_high_water();
      if (n < chunk.size()) {  // the socket had no more
        // A pause that ended while the reader was stopped leaves whole messages in rbuf_
        // with nothing left in the socket to wake a read: handle them now.
        if (!drain_buffered()) return false;
        if (!paused()) break;
      }
      if (++chunks == kMaxChunksPerRead) return true;  // the others on this thread get their turn
    }
    return true;
  }

  void on_message(std::span<const uint8_t> msg) {
    m().msgs_in.inc();
    if (handler_ && state_.open()) handler_->on_message(msg);
  }

  void on_peer_close(uint16_t code) {
    switch (state_.peer_closed()) {
      case WsState::Do::send_close:
        // Echo the peer's code (RFC 6455 5.5.1), then drop the connection once it is written.
        return after_push(writer_.push_close(ws::close_payload(code == ws::kCloseNoStatus ? ws::kCloseNormal : code, "")));
      case WsState::Do::finish: return finish();
      default: return;
    }
  }

  void request_close(uint16_t code, std::string_view reason) {
    switch (state_.close_requested()) {
      case WsState::Do::finish: return finish();
      case WsState::Do::send_close: break;
      default: return;
    }
    after_push(writer_.push_close(ws::close_payload(code, reason)));
    // A paused session reads on while closing (to see the peer's close frame).
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->resume_reads(); });
  }

  // ---- writing (what to write: net/ws_writer; here: when, and the system calls) -------

  // After a push: a flush to schedule, or a full queue to close.
  void after_push(WsWriter::Push r) {
    if (r == WsWriter::Push::schedule) return schedule_flush();
    if (r != WsWriter::Push::overflow) return;
    m().overflow.inc();
    log::warn("net", "send queue full, closing", {{"conn", std::to_string(id_)}});
    post_close(1013, "send queue full: reconnect and resync");
  }

  // The writer was idle: on this session's thread write at once, or at the end of the
  // read being handled (Cork); from another thread post one flush.
  void schedule_flush() {
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

  // Own thread, armed: writes everything pending, or disarms when there is nothing.
  // `inline_call`: called from send() on another session's (or a handler's) stack.
  void flush(bool inline_call = false) {
    if (state_.closed() || !writer_.take_batch()) return;
    // Most writes fit the socket buffer: try at once, and wait for the socket only when not.
    auto [n, err] = write_some();
    after_write(n, err, inline_call);
  }

  // One non-blocking write of what is left of the batch: bytes written, or an errno.
  std::pair<std::size_t, int> write_some() {
    auto bufs = writer_.buffers();
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(bufs.data());
    msg.msg_iovlen = bufs.size();
    ssize_t r = ::sendmsg(socket_.native_handle(), &msg, MSG_NOSIGNAL);
    if (r < 0) return {0, errno};
    return {static_cast<std::size_t>(r), 0};
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
    thread_local std::vector<SendJob> jobs;
    ready.clear();
    jobs.clear();
    for (const auto& s : sessions) {
      if (!s->state_.closed() && s->writer_.take_batch()) ready.push_back(s.get());
    }
    for (WsSession* s : ready) {
      auto bufs = s->writer_.buffers();  // stable until the write is accounted for
      SendJob j;
      j.fd = s->socket_.native_handle();
      j.msg.msg_iov = const_cast<iovec*>(bufs.data());
      j.msg.msg_iovlen = bufs.size();
      jobs.push_back(j);
    }
    batcher->send_all(jobs);
    m().batched_writes.inc(jobs.size());
    for (std::size_t i = 0; i < ready.size(); ++i) {
      ssize_t r = jobs[i].result;
      ready[i]->after_write(r < 0 ? 0 : static_cast<std::size_t>(r), r < 0 ? static_cast<int>(-r) : 0, inline_call);
    }
    busy = false;
  }

  // A non-blocking write wrote `n` bytes of the batch or failed with `err`: done, or the
  // rest waits for the socket. `retry`: a write of the rest (the short write is counted).
  void after_write(std::size_t n, int err, bool inline_call, bool retry = false) {
    if (err != 0 && err != EAGAIN && err != EWOULDBLOCK) return inline_call ? finish_later() : finish();
    if (writer_.advance(n)) return on_written(inline_call);
    if (!retry) m().short_writes.inc();
    wait_writable();
  }

  void wait_writable() {
    socket_.async_wait(tcp::socket::wait_write, [self = shared_from_this()](beast::error_code ec) {
      if (ec || self->state_.closed()) return self->finish();
      auto [n, err] = self->write_some();
      self->after_write(n, err, /*inline_call=*/false, /*retry=*/true);
    });
  }

  void on_written(bool inline_call = false) {
    auto w = writer_.finish_batch();
    m().writes.inc();
    m().bytes_out.inc(w.bytes);
    m().msgs_out.inc(w.messages);
    if (w.had_close) {
      if (state_.close_written(reader_.failed()) == WsState::Do::finish) return inline_call ? finish_later() : finish();
      arm_timer(kCloseTimeout);  // WsState::Do::wait_for_peer
    }
    if (queue_paused_ && !writer_.over_high_water()) {
      queue_paused_ = false;
      // Not on this stack: it may be another session's (or hold a document's lock).
      asio::post(socket_.get_executor(), [self = shared_from_this()] { self->resume_reads(); });
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
    if (state_.closed()) return;
    if (state_.deadline_ends_it()) {
      m().timeout.inc();
      return finish();
    }
    if (activity_ || rate_until_ != Clock::time_point{}) {  // a client we chose not to read is not idle
      activity_ = false;
      ping_sent_ = false;
    } else if (!ping_sent_) {
      ping_sent_ = true;
      after_push(writer_.push_ping());
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
    if (!state_.finish()) return;
    beast::error_code ec;
    timer_.cancel();
    resume_timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    writer_.shut();
    if (handler_) {
      auto h = std::move(handler_);
      h->on_close();
    }
  }

  Server::Impl* server_;
  tcp::socket socket_;         // its executor is the session's io_context's
  asio::io_context& ctx_;      // the one io thread this session runs on
  asio::steady_timer timer_;   // handshake, keep-alive and close deadlines
  asio::steady_timer resume_timer_;  // the end of a rate pause
  std::vector<uint8_t> rbuf_;  // the unparsed tail of earlier reads; bounded by the reader's wants and one read
  ws::FrameReader reader_;
  WsWriter writer_;            // the send queue and the write in flight
  IpSlot slot_;                // this socket's place under its address's limit
  ConnectionCounts::Slot principal_slot_;  // and under its principal's, when the route names one
  WsRoute route_;
  Request plain_;
  std::shared_ptr<WsHandler> handler_;

  // Own thread only.
  uint64_t id_ = 0;
  WsState state_;                   // the protocol state (handshake, open, closing..., closed)
  Clock::time_point rate_until_{};  // reads paused until then ({}: no rate pause)
  bool queue_paused_ = false;       // reads paused: the send queue is over its high-water mark
  bool resume_armed_ = false;       // resume_timer_ is waiting
  uint64_t resume_gen_ = 0;         // the resume_timer_ wait that counts (earlier ones are stale)
  bool read_waiting_ = false;       // an async_wait for readability is pending
  bool activity_ = false;           // bytes read since the keep-alive timer last ran
  bool ping_sent_ = false;          // a keep-alive ping is unanswered
  bool in_round_ = false;           // listed in t_round
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

void Outbox::pause_reads_until(std::chrono::steady_clock::time_point until) {
  if (auto s = session_.lock()) s->pause_reads_until(until);
}

}  // namespace

void register_ws_metrics() { m(); }

void run_ws_session(Server::Impl* server, tcp::socket socket, std::vector<uint8_t> early_bytes,
                    const http::request<http::string_body>& req, WsRoute route, Request plain, IpSlot slot) {
  std::make_shared<WsSession>(server, std::move(socket), std::move(early_bytes), std::move(slot))
      ->run(req, std::move(route), std::move(plain));
}

}  // namespace mockloop::net
