// OidcClient: single sign-on with one OpenID Connect provider by the authorization code
// flow with PKCE (S256). begin() reads the provider's discovery document (cached) and
// records a pending sign-in: a random state, nonce and PKCE verifier kept here, in memory,
// under a random flow id that the browser holds in a short-lived cookie; finish() takes
// that flow (once: a flow is consumed by its first callback), checks the state, exchanges
// the code at the token endpoint and verifies the id token (account/id_token.hpp) with the
// provider's keys from a JWKS cache (kept jwks_ttl_ms; an unknown kid refetches at most
// once per jwks_min_refetch_ms; at most kMaxJwksKeys keys).
//
// Thread-safe: `mu_` guards the caches and the pending flows; outbound HTTP runs outside
// it, on the caller's thread, which must be a worker (never an io thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/id_token.hpp"
#include "account/jwks.hpp"
#include "account/oidc_options.hpp"
#include "common/result.hpp"

namespace mockloop::account {

class OidcClient {
 public:
  using NowMs = std::function<int64_t()>;
  explicit OidcClient(OidcOptions options, NowMs now_ms = nullptr);

  const OidcOptions& options() const { return options_; }
  // --oidc-name, or the issuer's host ("Sign in with <it>").
  std::string display_name() const;

  // What a sign-in carries from its start to its end.
  struct Context {
    std::string signup_code;   // a one-time sign-up code (sign-up by invitation)
    std::string link_user_id;  // the signed-in user who links this identity ("" = none)
    std::string return_to;     // a local path to go back to ("/" by default)
  };
  struct Started {
    std::string flow_id;        // for the cookie
    std::string authorize_url;  // where the browser goes
  };
  // Errc::busy when the provider cannot be reached or its discovery document is unusable.
  // The oldest pending sign-in is dropped beyond kMaxPendingSignIns.
  Result<Started> begin(const std::string& redirect_url, Context ctx);

  struct Finished {
    IdTokenClaims claims;
    Context ctx;
  };
  // Errc::unauthenticated for an unknown or expired flow, a wrong state, a refused code or
  // an id token that fails verification; Errc::busy when the provider cannot be reached.
  Result<Finished> finish(std::string_view flow_id, std::string_view state, std::string_view code);

  size_t pending() const;

 private:
  struct Discovery {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    std::string userinfo_endpoint;  // "" when the provider has none
    int64_t fetched_ms = 0;
  };
  struct Flow {
    std::string state, nonce, verifier, redirect_url;
    Context ctx;
    int64_t created_ms = 0;
  };
  Result<Discovery> discovery();
  // The keys, refetched when older than the TTL or (`unknown_kid`) when the last fetch is
  // older than jwks_min_refetch_ms.
  Result<std::vector<Jwk>> keys(bool unknown_kid);
  struct Tokens {
    std::string id_token, access_token;
  };
  Result<Tokens> exchange(const Discovery& d, const Flow& flow, std::string_view code);
  // The claims the id token left out (many providers put e-mail and name only in the
  // UserInfo answer): read with the access token; its `sub` must be the id token's.
  Result<void> add_userinfo(const Discovery& d, const std::string& access_token, IdTokenClaims& claims);

  const OidcOptions options_;
  NowMs now_ms_;
  mutable std::mutex mu_;  // guards discovery_, keys_, keys_fetched_ms_, flows_
  std::optional<Discovery> discovery_;
  std::vector<Jwk> keys_;
  int64_t keys_fetched_ms_ = -1;
  std::map<std::string, Flow, std::less<>> flows_;
};

}  // namespace mockloop::account
