#include "account/account_service.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>

#include "store/loop_store.hpp"

namespace mockloop::account {
namespace {

Result<void> check_password(std::string_view pw) {
  if (pw.size() < kMinPasswordBytes)
    return make_error(Errc::invalid_argument, "password: at least " + std::to_string(kMinPasswordBytes) + " characters");
  if (pw.size() > kMaxPasswordBytes)
    return make_error(Errc::invalid_argument, "password: at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  return {};
}

Result<std::string> check_display_name(std::string_view name, std::string_view email) {
  if (name.size() > kMaxDisplayNameBytes)
    return make_error(Errc::invalid_argument, "displayName: at most " + std::to_string(kMaxDisplayNameBytes) + " bytes");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return make_error(Errc::invalid_argument, "displayName: no control characters");
  if (!name.empty()) return std::string(name);
  return std::string(email.substr(0, email.find('@')));
}

std::string base64url(const unsigned char* data, size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

}  // namespace

Result<std::string> normalize_email(std::string_view email) {
  while (!email.empty() && email.front() == ' ') email.remove_prefix(1);
  while (!email.empty() && email.back() == ' ') email.remove_suffix(1);
  if (email.empty() || email.size() > kMaxEmailBytes)
    return make_error(Errc::invalid_argument, "email: 1 to " + std::to_string(kMaxEmailBytes) + " bytes");
  std::string out;
  out.reserve(email.size());
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7f) return make_error(Errc::invalid_argument, "email: no spaces or control characters");
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  const auto at = out.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == out.size() || out.find('@', at + 1) != std::string::npos)
    return make_error(Errc::invalid_argument, "email: expected one address like name@example.com");
  return out;
}

Result<std::unique_ptr<AccountService>> AccountService::create(store::Database& db, AccountOptions options,
                                                                Clock clock) {
  if (sodium_init() < 0) return make_error(Errc::internal, "libsodium failed to initialise");
  auto st = store::AccountStore::open(db);
  if (!st) return st.error();
  return std::unique_ptr<AccountService>(new AccountService(std::move(*st), options, std::move(clock)));
}

int64_t AccountService::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
}

v1::User AccountService::user_view(const store::UserRow& u) {
  v1::User v;
  v.set_id(u.id);
  v.set_email(u.email);
  v.set_display_name(u.display_name);
  v.set_admin(u.admin);
  v.set_created_at_ms(u.created_at_ms);
  return v;
}

std::string AccountService::csrf_for(std::string_view secret) {
  std::string in = "mockloop-csrf:" + std::string(secret);
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(in.data()), in.size(), out);
  return base64url(out, sizeof out);
}

Result<void> AccountService::check_csrf(const SessionUser& s, std::string_view header) {
  if (header.size() != s.csrf_token.size() ||
      CRYPTO_memcmp(header.data(), s.csrf_token.data(), header.size()) != 0)
    return make_error(Errc::forbidden, "missing or wrong X-CSRF-Token header (needed with the session cookie)");
  return {};
}

Result<store::UserRow> AccountService::new_user(std::string_view email, std::string_view password,
                                                std::string_view display_name, bool admin) {
  auto norm = normalize_email(email);
  if (!norm) return norm.error();
  if (auto r = check_password(password); !r) return r.error();
  auto name = check_display_name(display_name, *norm);
  if (!name) return name.error();
  auto hash = hash_password(password, cost());
  if (!hash) return hash.error();
  store::UserRow u;
  u.id = random_secret(9);
  u.email = std::move(*norm);
  u.display_name = std::move(*name);
  u.password_hash = std::move(*hash);
  u.admin = admin;
  u.created_at_ms = now_ms();
  return u;
}

Result<SignedIn> AccountService::start_session(const store::UserRow& u) {
  SignedIn out;
  out.user = user_view(u);
  out.session_secret = random_secret(32);
  out.csrf_token = csrf_for(out.session_secret);
  store::SessionRow s;
  s.id = random_secret(9);
  s.hash = store::hash_token(out.session_secret);
  s.user_id = u.id;
  s.created_at_ms = now_ms();
  s.expires_at_ms = s.created_at_ms + options_.session_ttl_ms;
  std::lock_guard lock(mu_);
  if (auto r = store_->insert_session(s, options_.max_sessions_per_user); !r) return r.error();
  return out;
}

Result<SignedIn> AccountService::signup(const v1::SignupRequest& req) {
  if (!options_.password_login)
    return make_error(Errc::forbidden, "password accounts are off on this server: use single sign-on");
  if (options_.signup == SignupMode::off)
    return make_error(Errc::forbidden, "sign-up is off on this server; an admin creates accounts");
  std::optional<std::string> code_hash;
  bool admin = false;
  if (!req.invite_code().empty()) {
    if (req.invite_code().size() > 64) return make_error(Errc::invalid_argument, "inviteCode: at most 64 bytes");
    code_hash = store::hash_token(req.invite_code());
  } else if (options_.signup == SignupMode::invite) {
    return make_error(Errc::forbidden, "sign-up on this server is by invitation: ask an admin for a sign-up link");
  }
  if (code_hash) {
    // Whether the code makes an admin is the code's; look it up before hashing the password.
    std::lock_guard lock(mu_);
    auto code = store_->find_signup_code(*code_hash);
    if (!code) return code.error();
    if (!*code || !(*code)->used_by.empty() || (*code)->expires_at_ms <= now_ms())
      return make_error(Errc::forbidden, "this sign-up code is unknown, used or expired");
    admin = (*code)->admin;
  }
  auto u = new_user(req.email(), req.password(), req.display_name(), admin);
  if (!u) return u.error();
  {
    std::lock_guard lock(mu_);
    auto r = code_hash ? store_->insert_user(*u, std::string_view(*code_hash), now_ms()) : store_->insert_user(*u);
    if (!r) return r.error();
  }
  return start_session(*u);
}

Result<SignedIn> AccountService::login(const v1::LoginRequest& req, int64_t* retry_after_s) {
  const auto wrong = [] { return make_error(Errc::unauthenticated, "wrong e-mail or password"); };
  if (!options_.password_login)
    return make_error(Errc::forbidden, "password sign-in is off on this server: use single sign-on");
  if (req.password().size() > kMaxPasswordBytes) return wrong();
  auto email = normalize_email(req.email());
  std::optional<store::UserRow> user;
  if (email) {
    std::lock_guard lock(mu_);
    auto found = store_->find_user_by_email(*email);
    if (!found) return found.error();
    user = std::move(*found);
  }
  const int64_t now = now_ms();
  if (user && user->locked_until_ms > now) {
    const int64_t wait = (user->locked_until_ms - now + 999) / 1000;
    if (retry_after_s) *retry_after_s = wait;
    return make_error(Errc::rate_limited, "too many failed sign-ins: this account is locked; try again in " +
                                              std::to_string(wait) + " s");
  }
  if (!user || user->password_hash.empty()) {
    verify_password(decoy_hash(cost()), req.password());  // the same work as a known e-mail
    return wrong();
  }
  if (!verify_password(user->password_hash, req.password())) {
    std::lock_guard lock(mu_);
    auto after = store_->record_failed_login(user->id, options_.max_failed_logins, now + options_.lockout_ms);
    if (!after) return after.error();
    if (after->locked_until_ms > now) {
      if (retry_after_s) *retry_after_s = options_.lockout_ms / 1000;
      return make_error(Errc::rate_limited, "too many failed sign-ins: this account is locked for " +
                                                std::to_string(options_.lockout_ms / 60000) + " min");
    }
    return wrong();
  }
  std::optional<std::string> rehash;
  if (needs_rehash(user->password_hash, cost())) {
    if (auto h = hash_password(req.password(), cost())) rehash = std::move(*h);
  }
  {
    std::lock_guard lock(mu_);
    if (auto r = store_->record_good_login(user->id); !r) return r.error();
    if (rehash)
      if (auto r = store_->set_password_hash(user->id, *rehash); !r) return r.error();
  }
  return start_session(*user);
}

Result<SessionUser> AccountService::session(std::string_view secret) {
  if (secret.empty() || secret.size() > 64) return make_error(Errc::unauthenticated, "not signed in");
  const std::string hash = store::hash_token(secret);
  std::lock_guard lock(mu_);
  auto found = store_->find_session(hash, now_ms());
  if (!found) return found.error();
  if (!*found) return make_error(Errc::unauthenticated, "not signed in (the session ended or expired)");
  SessionUser s;
  s.user = std::move((*found)->second);
  s.session_id = (*found)->first.id;
  s.session_hash = hash;
  s.csrf_token = csrf_for(secret);
  s.expires_at_ms = (*found)->first.expires_at_ms;
  return s;
}

Result<uint32_t> AccountService::logout(const SessionUser& s) {
  std::lock_guard lock(mu_);
  auto n = store_->delete_session(s.session_hash);
  if (!n) return n.error();
  return static_cast<uint32_t>(*n);
}

Result<uint32_t> AccountService::logout_everywhere(const SessionUser& s) {
  std::lock_guard lock(mu_);
  auto n = store_->delete_sessions_of(s.user.id, "");
  if (!n) return n.error();
  return static_cast<uint32_t>(*n);
}

Result<void> AccountService::change_password(const SessionUser& s, const v1::ChangePasswordRequest& req) {
  if (!options_.password_login) return make_error(Errc::forbidden, "passwords are off on this server");
  if (auto r = check_password(req.new_password()); !r) return r.error();
  store::UserRow current;
  {
    std::lock_guard lock(mu_);
    auto u = store_->find_user(s.user.id);
    if (!u) return u.error();
    if (!*u) return make_error(Errc::unauthenticated, "no such account");
    current = std::move(**u);
  }
  if (req.current_password().size() > kMaxPasswordBytes || !verify_password(current.password_hash, req.current_password()))
    return make_error(Errc::forbidden, "the current password is wrong");
  auto hash = hash_password(req.new_password(), cost());
  if (!hash) return hash.error();
  std::lock_guard lock(mu_);
  if (auto r = store_->set_password_hash(s.user.id, *hash); !r) return r;
  if (auto r = store_->delete_sessions_of(s.user.id, s.session_id); !r) return r.error();
  return {};
}

Result<v1::SignupCode> AccountService::create_signup_code(const SessionUser& s, bool admin_account) {
  if (!s.user.admin) return make_error(Errc::forbidden, "only an admin makes sign-up codes");
  store::SignupCodeRow row;
  const std::string code = random_secret(24);
  row.id = random_secret(9);
  row.hash = store::hash_token(code);
  row.admin = admin_account;
  row.created_by = s.user.id;
  row.created_at_ms = now_ms();
  row.expires_at_ms = row.created_at_ms + options_.signup_code_ttl_ms;
  std::lock_guard lock(mu_);
  if (auto r = store_->insert_signup_code(row); !r) return r.error();
  v1::SignupCode out;
  out.set_code(code);
  out.set_link("/signup?code=" + code);
  out.set_expires_at_ms(row.expires_at_ms);
  out.set_admin(admin_account);
  return out;
}

Result<std::optional<v1::SignupCode>> AccountService::setup_code_if_empty() {
  std::lock_guard lock(mu_);
  auto n = store_->count_users();
  if (!n) return n.error();
  if (*n > 0) return std::optional<v1::SignupCode>();
  if (auto r = store_->delete_unused_setup_codes(); !r) return r.error();
  store::SignupCodeRow row;
  const std::string code = random_secret(24);
  row.id = random_secret(9);
  row.hash = store::hash_token(code);
  row.admin = true;
  row.created_at_ms = now_ms();
  row.expires_at_ms = row.created_at_ms + options_.setup_code_ttl_ms;
  if (auto r = store_->insert_signup_code(row); !r) return r.error();
  v1::SignupCode out;
  out.set_code(code);
  out.set_link("/signup?code=" + code);
  out.set_expires_at_ms(row.expires_at_ms);
  out.set_admin(true);
  return std::optional<v1::SignupCode>(std::move(out));
}

Result<v1::User> AccountService::create_user(std::string_view email, std::string_view password,
                                             std::string_view display_name, bool admin) {
  auto u = new_user(email, password, display_name, admin);
  if (!u) return u.error();
  std::lock_guard lock(mu_);
  if (auto r = store_->insert_user(*u); !r) return r.error();
  return user_view(*u);
}

Result<void> AccountService::attach_invite(std::string_view user_id, std::string_view token_id,
                                           std::string_view loop_id) {
  std::lock_guard lock(mu_);
  return store_->attach_invite({std::string(user_id), std::string(token_id), std::string(loop_id), now_ms()});
}

Result<std::vector<store::AttachedInviteRow>> AccountService::attached_invites(std::string_view user_id) {
  std::lock_guard lock(mu_);
  return store_->attached_invites(user_id);
}

Result<void> AccountService::set_archived(std::string_view loop_id, bool archived, std::string_view by_user) {
  std::lock_guard lock(mu_);
  return store_->set_archived(loop_id, archived, by_user, now_ms());
}

Result<bool> AccountService::is_archived(std::string_view loop_id) {
  std::lock_guard lock(mu_);
  return store_->is_archived(loop_id);
}

Result<int64_t> AccountService::detach_loop(std::string_view loop_id) {
  std::lock_guard lock(mu_);
  return store_->detach_loop(loop_id);
}

}  // namespace mockloop::account
