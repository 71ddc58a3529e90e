// The accounts' limits and switches, each with its default (flags in app/options.cpp).
// Plain data, no dependencies, so the command line can hold it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mockloop::account {

enum class SignupMode : uint8_t { open, invite, off };  // --signup open|invite|off

struct AccountOptions {
  SignupMode signup = SignupMode::invite;  // --signup; default invite
  // Argon2id cost of a password hash (crypto_pwhash). Defaults chosen so that one sign-in
  // takes about 50-250 ms on a 2-core server (bench/account/login_cost.cpp prints it):
  // OWASP's 19 MiB / 2 passes. Stored hashes carry their own parameters; a sign-in rehashes
  // an old hash with the current ones.
  unsigned long long pwhash_opslimit = 2;       // --pwhash-ops (passes), >= 1
  size_t pwhash_memlimit = 19u * 1024 * 1024;   // --pwhash-mem-mib (MiB), >= 8 MiB
  // Lockout: this many consecutive failed sign-ins lock the account for lockout_ms, then the
  // count starts again. While locked even the right password is refused (429 + Retry-After).
  int max_failed_logins = 5;                    // --max-failed-logins
  int64_t lockout_ms = 15 * 60 * 1000;          // --lockout-minutes, 15 min
  int64_t session_ttl_ms = 14LL * 24 * 3600 * 1000;  // --session-days, 14 days (absolute)
  size_t max_sessions_per_user = 20;            // the oldest ones end beyond it
  int64_t signup_code_ttl_ms = 7LL * 24 * 3600 * 1000;  // one-time sign-up codes: 7 days
  int64_t setup_code_ttl_ms = 24LL * 3600 * 1000;       // the first-start admin link: 24 h
  // Cookies carry `Secure` when this is set, or when a trusted proxy (--trust-proxy) says
  // the request came over HTTPS (X-Forwarded-Proto: https).
  bool secure_cookies = false;                  // --secure-cookies
  // Off: no sign-up, sign-in or password change with a password (single sign-on only,
  // account/oidc_options.hpp); `mockloop admin create-user` still makes accounts.
  bool password_login = true;                   // --password-login on|off; default on
};

// Input bounds (bad input -> 400, nothing changed).
inline constexpr size_t kMaxEmailBytes = 254;        // RFC 5321's path limit
inline constexpr size_t kMinPasswordBytes = 10;
inline constexpr size_t kMaxPasswordBytes = 1024;    // hashing cost must not grow with input
inline constexpr size_t kMaxDisplayNameBytes = 100;
inline constexpr size_t kMaxCookieHeaderBytes = 8 * 1024;  // longer Cookie headers are ignored

}  // namespace mockloop::account
