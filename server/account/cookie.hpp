// The session cookie: reading it from a Cookie header and writing Set-Cookie values.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mockloop::account {

inline constexpr std::string_view kSessionCookie = "mockloop_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
// A single sign-on in progress (OidcClient's flow id): set by /api/auth/oidc/start, read
// and cleared by the callback; Path=/api/ so both /api/ and /api/v1/ see it.
inline constexpr std::string_view kOidcFlowCookie = "mockloop_oidc";

// The value of cookie `name` in a Cookie header ("" when absent or the header is longer
// than kMaxCookieHeaderBytes). The first occurrence wins.
std::string cookie_value(std::string_view header, std::string_view name);

// "mockloop_session=<v>; Path=/; HttpOnly; SameSite=Lax; Max-Age=<s>[; Secure]".
// `max_age_s` 0 clears the cookie.
std::string session_set_cookie(std::string_view value, int64_t max_age_s, bool secure);
// "mockloop_oidc=<v>; Path=/api/; HttpOnly; SameSite=Lax; Max-Age=<s>[; Secure]". SameSite=Lax:
// the provider's redirect back is a top-level GET, which carries it.
std::string oidc_flow_set_cookie(std::string_view value, int64_t max_age_s, bool secure);

}  // namespace mockloop::account
