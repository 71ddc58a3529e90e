// A provider's signing keys from its JWKS document (RFC 7517) as OpenSSL public keys:
// RSA (at least 2048 bits) for RS256 and EC P-256 for ES256. Keys of other types, curves
// or uses (`use` other than "sig") are skipped; at most kMaxJwksKeys are kept.
// Pure functions; the keys are immutable and shared between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

typedef struct evp_pkey_st EVP_PKEY;

namespace mockloop::account {

struct Jwk {
  std::string kid;  // "" when the document gives none
  std::string kty;  // "RSA" or "EC"
  std::string alg;  // "" when the document gives none
  std::shared_ptr<EVP_PKEY> key;
};

// Errc::invalid_argument when the document is not a JWKS (no "keys" array).
Result<std::vector<Jwk>> parse_jwks(std::string_view json);

// base64url without padding (RFC 7515 section 2) -> bytes; nullopt-like error on bad input.
Result<std::string> base64url_decode(std::string_view in);

}  // namespace mockloop::account
