#include "account/password.hpp"

#include <sodium.h>

#include <mutex>
#include <vector>

namespace mockloop::account {
namespace {

bool init() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace

Result<std::string> hash_password(std::string_view password, PwhashCost cost) {
  if (!init()) return make_error(Errc::internal, "libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(Errc::internal, "password hashing failed (out of memory?)");
  return std::string(out);
}

bool verify_password(std::string_view stored, std::string_view password) {
  if (!init() || stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  std::string s(stored);  // NUL-terminated copy
  return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view stored, PwhashCost cost) {
  if (!init() || stored.size() >= crypto_pwhash_STRBYTES) return true;
  std::string s(stored);
  return crypto_pwhash_str_needs_rehash(s.c_str(), cost.opslimit, cost.memlimit) != 0;
}

const std::string& decoy_hash(PwhashCost cost) {
  static std::mutex mu;  // guards the cache below
  static std::string hash;
  static PwhashCost made{0, 0};
  std::lock_guard lock(mu);
  if (hash.empty() || made.opslimit != cost.opslimit || made.memlimit != cost.memlimit) {
    auto h = hash_password(random_secret(16), cost);
    hash = h ? *h : std::string();
    made = cost;
  }
  return hash;
}

std::string random_secret(size_t bytes) {
  init();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

}  // namespace mockloop::account
