#include "account/http_fetch.hpp"

#include <curl/curl.h>

#include <memory>

namespace mockloop::account {
namespace {

struct Sink {
  std::string body;
  size_t max = 0;
  bool over = false;
};

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (sink->body.size() + len > sink->max) {
    sink->over = true;
    return 0;  // aborts the transfer
  }
  sink->body.append(data, len);
  return len;
}

bool curl_ready() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ready;
}

Result<HttpAnswer> perform(const std::string& url, const std::string* form, const std::vector<std::string>& headers,
                           const FetchLimits& limits) {
  if (!outbound_url_allowed(url)) return make_error(Errc::busy, "sign-in provider URL not allowed: " + url.substr(0, 200));
  if (!curl_ready()) return make_error(Errc::internal, "libcurl failed to initialise");
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return make_error(Errc::internal, "curl_easy_init failed");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> list(nullptr, curl_slist_free_all);
  curl_slist* raw = nullptr;
  for (const auto& h : headers) raw = curl_slist_append(raw, h.c_str());
  raw = curl_slist_append(raw, "Accept: application/json");
  list.reset(raw);
  Sink sink{{}, limits.max_body_bytes, false};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mockloop-oidc");
  if (form) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form->size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (sink.over)
    return make_error(Errc::busy, "the sign-in provider's answer is larger than " +
                                      std::to_string(limits.max_body_bytes) + " bytes");
  if (rc != CURLE_OK)
    return make_error(Errc::busy, "the sign-in provider could not be reached: " + std::string(curl_easy_strerror(rc)));
  HttpAnswer out;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(sink.body);
  return out;
}

bool is_loopback_host(std::string_view rest) {
  for (std::string_view h : {"127.0.0.1", "localhost", "[::1]"}) {
    if (rest.substr(0, h.size()) != h) continue;
    if (rest.size() == h.size()) return true;
    const char next = rest[h.size()];
    if (next == ':' || next == '/' ) return true;
  }
  return false;
}

}  // namespace

bool outbound_url_allowed(std::string_view url) {
  constexpr std::string_view kHttps = "https://", kHttp = "http://";
  if (url.size() > 4096) return false;
  if (url.substr(0, kHttps.size()) == kHttps) return url.size() > kHttps.size();
  if (url.substr(0, kHttp.size()) == kHttp) return is_loopback_host(url.substr(kHttp.size()));
  return false;
}

Result<HttpAnswer> http_get(const std::string& url, const FetchLimits& limits) {
  return perform(url, nullptr, {}, limits);
}

Result<HttpAnswer> http_get_bearer(const std::string& url, const std::string& token, const FetchLimits& limits) {
  return perform(url, nullptr, {"Authorization: Bearer " + token}, limits);
}

Result<HttpAnswer> http_post_form(const std::string& url, const std::string& form,
                                  const std::vector<std::string>& headers, const FetchLimits& limits) {
  std::vector<std::string> all = headers;
  all.emplace_back("Content-Type: application/x-www-form-urlencoded");
  return perform(url, &form, all, limits);
}

std::string form_escape(std::string_view v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(v.size() * 3);
  for (unsigned char c : v) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace mockloop::account
