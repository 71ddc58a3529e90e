// Webhooks: tells an integration (an ATS, a chat channel, a script) what happened in a loop
// by POSTing a JSON event to the operator's URL (--webhook-url). Events:
//   scorecard.submitted  {loopId, roundIndex}            after each submission (REST or session)
//   debrief.ready        {loopId, outcome, reasons[]}    after a submission once the loop's
//                        decision is reached (so a later submission announces it again)
// Body: {"id": <delivery id>, "type": <event>, "createdAtMs": <ms>, "data": {...}}. Headers:
// X-MockLoop-Event, X-MockLoop-Delivery, and with a secret (--webhook-secret)
// X-MockLoop-Signature: sha256=<hex HMAC-SHA256 of the raw body>, which the receiver checks.
//
// Delivery is at least once, in order per process, on the hub's own thread (never an io
// thread or a worker): a 2xx ends it; a network error, 408, 429 or 5xx is retried after
// 1 s, 4 s, 16 s (kWebhookAttempts in all); another 4xx is not retried. The queue holds
// WebhookOptions::max_queued events; past that, new events are dropped and counted
// (mockloop_webhooks_total{result="dropped"}). On shutdown queued events are dropped.
// Every attempt's result is also handed to the optional WebhookRecordFn, on the webhook
// thread (the app keeps it in the delivery log, store/webhook_log.hpp).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace mockloop::loop {

inline constexpr int kWebhookAttempts = 4;                 // first try + 3 retries
inline constexpr std::size_t kMaxWebhookUrlBytes = 2048;   // --webhook-url: at most 2048 bytes

struct WebhookOptions {
  std::string url;                                    // http:// or https://; empty: webhooks off
  std::string secret;                                 // HMAC key; empty: unsigned
  std::size_t max_queued = 256;                       // events waiting for delivery: 256
  std::chrono::milliseconds first_backoff{1000};      // then x4 per retry: 1 s, 4 s, 16 s
  std::chrono::milliseconds timeout{5000};            // one POST, connect to answer: 5 s
};

// One POST: returns the HTTP status, or 0 with `error` set when no answer came.
using WebhookPost = std::function<int(const std::string& url, const std::vector<std::string>& headers,
                                      const std::string& body, std::chrono::milliseconds timeout, std::string& error)>;

// The default WebhookPost, through libcurl (TLS verified against the system's CAs).
int curl_post(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
              std::chrono::milliseconds timeout, std::string& error);

// "sha256=" + lowercase hex HMAC-SHA256(secret, body).
std::string webhook_signature(const std::string& secret, const std::string& body);

// One event's delivery so far, after an attempt.
struct WebhookRecord {
  std::string id, type;
  int64_t created_at_ms = 0;
  int attempts = 0;
  int last_status = 0;     // 0: no answer
  std::string last_error;  // "" when the attempt succeeded
  std::string outcome;     // "pending" (will be retried), "delivered", "failed"
};
using WebhookRecordFn = std::function<void(const WebhookRecord&)>;

class Webhooks {
 public:
  Webhooks(WebhookOptions options, std::string version, WebhookPost post = curl_post, WebhookRecordFn record = {});
  ~Webhooks();  // drops what is queued, ends a retry wait, joins the thread
  Webhooks(const Webhooks&) = delete;
  Webhooks& operator=(const Webhooks&) = delete;

  // Queues an event; false (and counted) when the queue is full. Any thread; never blocks on I/O.
  bool send(std::string type, nlohmann::json data);
  // Blocks until the queue is empty and no delivery runs (tests).
  void wait_idle();

 private:
  struct Event {
    std::string id, body, type;
    int64_t created_at_ms = 0;
  };
  void run();
  void deliver(const Event& e);

  const WebhookOptions options_;
  const std::string version_;
  const WebhookPost post_;
  const WebhookRecordFn record_;
  std::mutex mu_;  // guards queue_, busy_, stopping_
  std::condition_variable cv_;
  std::deque<Event> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  uint64_t next_id_ = 0;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace mockloop::loop
