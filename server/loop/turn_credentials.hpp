// Short-lived TURN credentials in the REST scheme coturn implements for use-auth-secret
// (draft-uberti-behave-turn-rest-00): username = "<expiry unix seconds>:<user id>",
// credential = base64(HMAC-SHA1(secret, username)). coturn accepts them until the expiry.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mockloop::loop {

struct TurnCredentials {
  std::string username;
  std::string credential;
  int64_t expires_at_s = 0;  // unix seconds
};

// Credentials for `user_id` valid until now_s + ttl_s.
TurnCredentials make_turn_credentials(std::string_view secret, std::string_view user_id, int64_t now_s, int64_t ttl_s);
// base64(HMAC-SHA1(secret, username)).
std::string turn_password(std::string_view secret, std::string_view username);
// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

}  // namespace mockloop::loop
