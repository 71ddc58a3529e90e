// Random identifiers and invite tokens from OpenSSL's CSPRNG. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mockloop::loop {

// 32 random bytes, base64url without padding (43 characters): an invite token.
std::string new_token();
// `bytes` random bytes, base64url without padding: ids of loops, rooms, tokens, participants.
std::string new_id(std::size_t bytes = 9);
// True when `token` looks like new_token() output (43 base64url characters).
bool plausible_token(std::string_view token);

}  // namespace mockloop::loop
