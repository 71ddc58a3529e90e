// WebSocket sessions (after Beast's chat-multi example): the session owns its stream,
// read buffer, strand and bounded write queue, with exactly one write in flight. Layers
// above see it through WsConnection (an Outbox holding only a weak reference, so a handler
// never keeps a dead session alive) and talk to it through their WsHandler.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "net/detail.hpp"

namespace mockloop::net {
namespace websocket = beast::websocket;

namespace {

struct WsMetrics {
  metrics::Gauge& connections = metrics::gauge("mockloop_connections", "Open connections by kind", "kind=\"ws\"");
  metrics::Counter& msgs_in = metrics::counter("mockloop_ws_messages_in_total", "WebSocket messages received");
  metrics::Counter& msgs_out = metrics::counter("mockloop_ws_messages_out_total", "WebSocket messages sent");
  metrics::Counter& bytes_in = metrics::counter("mockloop_bytes_in_total", "Bytes read", "proto=\"ws\"");
  metrics::Counter& bytes_out = metrics::counter("mockloop_bytes_out_total", "Bytes written", "proto=\"ws\"");
  metrics::Counter& overflow = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                                "reason=\"send_queue_full\"");
  metrics::Counter& too_big = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                               "reason=\"message_too_big\"");
  metrics::Counter& text = metrics::counter("mockloop_ws_closed_total", "WebSockets closed by the server",
                                            "reason=\"text_frame\"");
};

WsMetrics& m() {
  static WsMetrics* x = new WsMetrics();
  return *x;
}

class WsSession;

constexpr std::size_t kReadChunkBytes = 64 * 1024;  // bytes read per step of one message

// What handlers hold: forwards to the session while it lives, does nothing after.
class Outbox : public WsConnection {
 public:
  Outbox(uint64_t id, std::weak_ptr<WsSession> s) : id_(id), session_(std::move(s)) {}
  uint64_t id() const override { return id_; }
  void send(std::shared_ptr<const std::vector<uint8_t>> frame) override;
  void close(uint16_t code, std::string reason) override;

 private:
  uint64_t id_;
  std::weak_ptr<WsSession> session_;
};

class WsSession : public Closable, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Server::Impl* server, beast::tcp_stream&& stream)
      : server_(std::move(server)), ws_(std::move(stream)) {
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
    const auto& lim = server_->config.limits;
    websocket::stream_base::timeout t{};
    t.handshake_timeout = lim.handshake_timeout;
    t.idle_timeout = lim.ws_idle_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.read_message_max(0);  // enforced in on_read, with a close reason
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "mockloop"); }));
    ws_.async_accept(req, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
  }

  // Strand-side operations, posted by Outbox and the server.
  void enqueue(std::shared_ptr<const std::vector<uint8_t>> frame) {
    if (close_requested_ || closed_) return;
    const auto& lim = server_->config.limits;
    queued_bytes_ += frame->size();
    queue_.push_back(std::move(frame));
    if (queue_.size() > lim.send_queue_max_frames || queued_bytes_ > lim.send_queue_max_bytes) {
      m().overflow.inc();
      log::warn("net", "send queue full, closing", {{"conn", std::to_string(id_)}});
      // Keep the frame being written (it is in flight); drop the rest.
      if (writing_) queue_.erase(queue_.begin() + 1, queue_.end());
      else queue_.clear();
      queued_bytes_ = 0;
      return request_close(1013, "send queue full: reconnect and resync");
    }
    if (!writing_) do_write();
  }

  void request_close(uint16_t code, std::string reason) {
    if (close_requested_ || closed_) return;
    close_requested_ = true;
    if (reason.size() > 120) reason.resize(120);  // RFC 6455: the reason fits a 125-byte control frame
    close_reason_ = websocket::close_reason(static_cast<websocket::close_code>(code), reason);
    if (!writing_ && accepted_) do_close();
  }

  void close_for_shutdown() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (!self->accepted_) {
        beast::get_lowest_layer(self->ws_).close();
        return;
      }
      self->request_close(1001, "server shutting down");
    });
  }

  // Thread-safe entry points used by Outbox.
  void post_send(std::shared_ptr<const std::vector<uint8_t>> frame) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), f = std::move(frame)]() mutable {
      self->enqueue(std::move(f));
    });
  }
  void post_close(uint16_t code, std::string reason) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), code, r = std::move(reason)]() mutable {
      self->request_close(code, std::move(r));
    });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return finish();
    accepted_ = true;
    if (server_->stopping) {
      request_close(1001, "server shutting down");
      return do_read();
    }
    auto outbox = std::make_shared<Outbox>(id_, weak_from_this());
    WsAccept a = route_(plain_, outbox);
    route_ = nullptr;
    if (!a.handler) {
      request_close(a.close_code ? a.close_code : 1008, a.reason.empty() ? "refused" : a.reason);
    } else {
      handler_ = std::move(a.handler);
    }
    if (close_requested_ && !writing_) do_close();
    do_read();
  }

  // Messages are read a chunk at a time so that an oversized one is refused by us, with a
  // reason, as soon as it passes the limit (Beast's own limit closes without a reason).
  void do_read() {
    ws_.async_read_some(buffer_, kReadChunkBytes, beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes) {
    if (ec) return finish();
    m().bytes_in.inc(bytes);
    const std::size_t limit = server_->config.limits.max_ws_message_bytes;
    if (discarding_ || buffer_.size() > limit) {
      if (!discarding_) {
        m().too_big.inc();
        request_close(1009, "message too big: the limit is " + std::to_string(limit) + " bytes");
      }
      discarding_ = !ws_.is_message_done();
      buffer_.consume(buffer_.size());
      return do_read();
    }
    if (!ws_.is_message_done()) return do_read();
    m().msgs_in.inc();
    if (!ws_.got_binary()) {
      m().text.inc();
      buffer_.consume(buffer_.size());
      request_close(1003, "text frames are not supported: send binary frames");
      return do_read();
    }
    if (handler_ && !close_requested_) {
      auto data = buffer_.cdata();
      handler_->on_message(std::span<const uint8_t>(static_cast<const uint8_t*>(data.data()), data.size()));
    }
    buffer_.consume(buffer_.size());
    do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.binary(true);
    ws_.async_write(asio::buffer(*queue_.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes) {
    writing_ = false;
    if (ec) return;  // the read side sees the failure and finishes
    m().msgs_out.inc();
    m().bytes_out.inc(bytes);
    if (!queue_.empty()) {
      queued_bytes_ -= std::min(queued_bytes_, queue_.front()->size());
      queue_.pop_front();
    }
    if (!queue_.empty()) return do_write();
    if (close_requested_) do_close();
  }

  void do_close() {
    if (close_sent_) return;
    close_sent_ = true;
    writing_ = true;
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {
      // The pending read completes with `closed` once the peer answers (or times out).
    });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    if (handler_) {
      auto h = std::move(handler_);
      h->on_close();
    }
  }

  Server::Impl* server_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  WsRoute route_;
  Request plain_;
  std::shared_ptr<WsHandler> handler_;
  std::deque<std::shared_ptr<const std::vector<uint8_t>>> queue_;  // bounded by Limits::send_queue_*
  std::size_t queued_bytes_ = 0;
  websocket::close_reason close_reason_;
  uint64_t id_ = 0;
  bool accepted_ = false;
  bool writing_ = false;
  bool close_requested_ = false;
  bool close_sent_ = false;
  bool closed_ = false;
  bool discarding_ = false;  // skipping the rest of an oversized message
};

void Outbox::send(std::shared_ptr<const std::vector<uint8_t>> frame) {
  if (auto s = session_.lock()) s->post_send(std::move(frame));
}

void Outbox::close(uint16_t code, std::string reason) {
  if (auto s = session_.lock()) s->post_close(code, std::move(reason));
}

}  // namespace

void register_ws_metrics() { m(); }

void run_ws_session(Server::Impl* server, beast::tcp_stream stream,
                    http::request<http::string_body> req, WsRoute route, Request plain) {
  std::make_shared<WsSession>(std::move(server), std::move(stream))
      ->run(std::move(req), std::move(route), std::move(plain));
}

}  // namespace mockloop::net
