// Blocking outbound HTTP for single sign-on (discovery, token, JWKS) through libcurl: one
// request, a timeout, a bounded body, no redirects followed. Call from a worker, never an
// io thread (ApiRouter runs the OIDC routes on their own pool). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mockloop::account {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

struct FetchLimits {
  int64_t timeout_ms = 5000;
  size_t max_body_bytes = 256 * 1024;
};

// Whether the URL may be fetched: https://, or http:// to a loopback host (127.0.0.1,
// localhost, [::1]), which local providers and tests use.
bool outbound_url_allowed(std::string_view url);

// Errc::busy (503: retry later) when the request fails, times out or the body passes the limit.
Result<HttpAnswer> http_get(const std::string& url, const FetchLimits& limits);
// GET with "Authorization: Bearer <token>" (UserInfo).
Result<HttpAnswer> http_get_bearer(const std::string& url, const std::string& token, const FetchLimits& limits);
// POST application/x-www-form-urlencoded `form` with extra `headers` ("Name: value").
Result<HttpAnswer> http_post_form(const std::string& url, const std::string& form,
                                  const std::vector<std::string>& headers, const FetchLimits& limits);

// application/x-www-form-urlencoded escaping of one value.
std::string form_escape(std::string_view v);

}  // namespace mockloop::account
