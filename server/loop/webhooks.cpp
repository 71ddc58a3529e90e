#include "loop/webhooks.hpp"

#include <curl/curl.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/log.hpp"
#include "common/metrics.hpp"

namespace mockloop::loop {
namespace {

metrics::Counter& outcome(const char* result) {
  return metrics::counter("mockloop_webhooks_total", "Webhook events by result", std::string("result=\"") + result + "\"");
}

std::string hex(const unsigned char* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += d[p[i] >> 4];
    out += d[p[i] & 15];
  }
  return out;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

bool retryable(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

}  // namespace

int curl_post(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
              std::chrono::milliseconds timeout, std::string& error) {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!ready) {
    error = "libcurl did not initialise";
    return 0;
  }
  CURL* curl = curl_easy_init();
  if (!curl) {
    error = "libcurl: no handle";
    return 0;
  }
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  else error = curl_easy_strerror(rc);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return static_cast<int>(status);
}

std::string webhook_signature(const std::string& secret, const std::string& body) {
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &len);
  return "sha256=" + hex(mac, len);
}

Webhooks::Webhooks(WebhookOptions options, std::string version, WebhookPost post, WebhookRecordFn record)
    : options_(std::move(options)),
      version_(std::move(version)),
      post_(std::move(post)),
      record_(std::move(record)),
      thread_([this] { run(); }) {}

Webhooks::~Webhooks() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (!queue_.empty()) log::info("webhooks", "queued events dropped at shutdown", {{"count", std::to_string(queue_.size())}});
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

bool Webhooks::send(std::string type, nlohmann::json data) {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queued) {
      outcome("dropped").inc();
      log::error("webhooks", "event dropped: the queue is full", {{"type", type}});
      return false;
    }
    unsigned char rnd[6];
    RAND_bytes(rnd, sizeof rnd);
    std::string id = hex(rnd, sizeof rnd) + "-" + std::to_string(++next_id_);
    nlohmann::json body{{"id", id}, {"type", type}, {"createdAtMs", now}, {"data", std::move(data)}};
    queue_.push_back(Event{std::move(id), body.dump(), std::move(type), now});
  }
  cv_.notify_all();
  return true;
}

void Webhooks::wait_idle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return (queue_.empty() && !busy_) || stopping_; });
}

void Webhooks::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Event e = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    deliver(e);
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

void Webhooks::deliver(const Event& e) {
  std::vector<std::string> headers{"Content-Type: application/json", "User-Agent: MockLoop/" + version_,
                                   "X-MockLoop-Event: " + e.type, "X-MockLoop-Delivery: " + e.id};
  if (!options_.secret.empty()) headers.push_back("X-MockLoop-Signature: " + webhook_signature(options_.secret, e.body));
  auto backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    std::string error;
    const int status = post_(options_.url, headers, e.body, options_.timeout, error);
    const bool ok = status >= 200 && status < 300;
    const std::string why = ok ? std::string() : status ? "HTTP " + std::to_string(status) : error;
    const bool last = ok || !retryable(status) || attempt >= kWebhookAttempts;
    if (record_)
      record_(WebhookRecord{e.id, e.type, e.created_at_ms, attempt, status, why,
                            ok ? "delivered" : last ? "failed" : "pending"});
    if (ok) {
      outcome("delivered").inc();
      return;
    }
    if (last) {
      outcome("failed").inc();
      log::error("webhooks", "delivery failed", {{"type", e.type}, {"id", e.id}, {"why", why}, {"attempts", std::to_string(attempt)}});
      return;
    }
    outcome("retried").inc();
    log::info("webhooks", "delivery will be retried", {{"type", e.type}, {"id", e.id}, {"why", why}});
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, backoff, [this] { return stopping_; })) return;
    backoff *= 4;
  }
}

}  // namespace mockloop::loop
