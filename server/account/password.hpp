// Password hashes: Argon2id through libsodium's crypto_pwhash_str (salt and parameters
// inside the stored string). Slow on purpose (tens to hundreds of ms, and `memlimit`
// bytes of memory while it runs): call from a worker, never an io thread. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mockloop::account {

struct PwhashCost {
  unsigned long long opslimit;
  size_t memlimit;
};

// Errc::internal when libsodium cannot run (out of memory).
Result<std::string> hash_password(std::string_view password, PwhashCost cost);
// True when `password` matches `stored` (a hash_password result). Never throws.
bool verify_password(std::string_view stored, std::string_view password);
// True when `stored` was made with other parameters than `cost`.
bool needs_rehash(std::string_view stored, PwhashCost cost);
// A hash of a random password, to spend the same time on an unknown e-mail as on a known one.
const std::string& decoy_hash(PwhashCost cost);

// `bytes` random bytes as base64url without padding (libsodium's CSPRNG).
std::string random_secret(size_t bytes = 32);

}  // namespace mockloop::account
