// Single sign-on through one OpenID Connect provider (issue 20; docs/accounts.md): the
// flags and the named limits of the client (discovery, JWKS cache, id-token checks, the
// pending sign-ins). Plain data, no dependencies, so the command line can hold it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mockloop::account {

struct OidcOptions {
  // The provider's issuer URL (https://, or http:// on a loopback host for tests and local
  // providers); its /.well-known/openid-configuration is read on first use. Empty: off.
  std::string issuer;          // --oidc-issuer
  std::string client_id;       // --oidc-client-id
  // Empty: a public client (PKCE and client_id only); else client_secret_basic.
  std::string client_secret;   // --oidc-client-secret / --oidc-client-secret-file
  // Where the provider sends the browser back; it must be registered with the provider.
  // Empty: <scheme>://<Host header>/api/v1/auth/oidc/callback (https when cookies are Secure
  // or a trusted proxy says so).
  std::string redirect_url;    // --oidc-redirect-url
  std::string name;            // --oidc-name: "Sign in with <name>"; empty: the issuer's host
  std::string scopes = "openid email profile";

  int64_t jwks_ttl_ms = 10 * 60 * 1000;       // kept this long; an unknown `kid` refetches sooner
  int64_t jwks_min_refetch_ms = 30 * 1000;    // at most one refetch per this interval
  int64_t discovery_ttl_ms = 60 * 60 * 1000;  // the discovery document: 1 h
  int64_t clock_skew_s = 60;                  // exp / iat tolerance
  int64_t max_id_token_age_s = 10 * 60;       // iat older than this (plus skew): refused
  int64_t flow_ttl_ms = 10 * 60 * 1000;       // a started sign-in must come back within 10 min
  int64_t http_timeout_ms = 5000;             // each outbound request (discovery, token, JWKS)

  bool enabled() const { return !issuer.empty(); }
};

// Input and cache bounds (exceeded: the sign-in is refused, nothing kept).
inline constexpr size_t kMaxOidcResponseBytes = 256 * 1024;  // discovery, token and JWKS bodies
inline constexpr size_t kMaxJwksKeys = 16;                   // usable keys kept from one JWKS
inline constexpr size_t kMaxIdTokenBytes = 16 * 1024;
inline constexpr size_t kMaxPendingSignIns = 1024;           // started, not yet come back
inline constexpr size_t kMaxOidcParamBytes = 2048;           // code / state query parameters
inline constexpr size_t kMaxOidcUrlBytes = 2048;             // issuer, redirect URL, endpoints
inline constexpr size_t kOidcWorkers = 2;                    // threads for outbound requests
inline constexpr size_t kMaxQueuedOidcRequests = 64;

}  // namespace mockloop::account
