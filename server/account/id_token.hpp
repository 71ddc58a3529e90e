// Verification of an OpenID Connect id token (a compact JWS, OpenID Connect Core 3.1.3.7):
// the signature (RS256 or ES256 only; "none", HS* and everything else are refused) with a
// key of the provider's JWKS, then iss, aud (and azp when there are several audiences),
// exp and iat within a small clock skew, and the nonce of the sign-in that asked for it.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "account/jwks.hpp"
#include "common/result.hpp"

namespace mockloop::account {

struct IdTokenCheck {
  std::string issuer;      // must equal `iss` exactly
  std::string client_id;   // must be in `aud`
  std::string nonce;       // must equal `nonce`
  int64_t now_s = 0;       // seconds since the Unix epoch
  int64_t skew_s = 60;     // exp >= now - skew, iat <= now + skew
  int64_t max_age_s = 600; // iat >= now - max_age - skew
};

struct IdTokenClaims {
  std::string subject;     // sub
  std::string email;       // "" when absent
  bool email_verified = false;
  std::string name;        // name, or preferred_username; "" when absent
};

// Errc::unauthenticated naming the first check that failed. `*no_key` is set when no key
// of `keys` fits the token's kid and algorithm (the caller may refetch the JWKS once).
Result<IdTokenClaims> verify_id_token(std::string_view token, const std::vector<Jwk>& keys,
                                      const IdTokenCheck& check, bool* no_key = nullptr);

}  // namespace mockloop::account
