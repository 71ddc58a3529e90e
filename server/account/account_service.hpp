// AccountService: local accounts (issue 20). Sign-up (open, by one-time code, or off),
// sign-in with per-account lockout, sessions (a random secret in an HttpOnly cookie; the
// server keeps its SHA-256), the CSRF token that goes with a session, sign-out of one or
// every session, password change, one-time sign-up codes (an admin's, or the first-start
// setup link), and the invites a user attached to their account.
//
// Thread-safe: store calls are serialised under `mu_` on the service's own Database
// connection; password hashing (slow on purpose, account/password.hpp) runs outside it, on
// the caller's thread, which must be a worker (never an io thread).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account.pb.h"
#include "account/account_options.hpp"
#include "account/password.hpp"
#include "common/result.hpp"
#include "store/account_store.hpp"
#include "store/database.hpp"

namespace mockloop::account {

using Clock = std::function<std::chrono::system_clock::time_point()>;

// A fresh session: the cookie's value appears only here.
struct SignedIn {
  v1::User user;
  std::string session_secret;
  std::string csrf_token;
};

// The caller of a request, resolved from the session cookie.
struct SessionUser {
  store::UserRow user;
  std::string session_id;
  std::string session_hash;
  std::string csrf_token;
  int64_t expires_at_ms = 0;
};

class AccountService {
 public:
  // Applies the "accounts" migrations on `db` (which must outlive the service and be used
  // by no other thread).
  static Result<std::unique_ptr<AccountService>> create(store::Database& db, AccountOptions options,
                                                        Clock clock = std::chrono::system_clock::now);

  const AccountOptions& options() const { return options_; }
  int64_t now_ms() const;

  // Errc::forbidden when sign-up is off, or by invitation without a valid code;
  // Errc::conflict for a taken e-mail; Errc::invalid_argument for a malformed e-mail or a
  // password outside [kMinPasswordBytes, kMaxPasswordBytes].
  Result<SignedIn> signup(const v1::SignupRequest& req);
  // Errc::unauthenticated "wrong e-mail or password" (the same for an unknown e-mail, after
  // the same hashing work); Errc::rate_limited while the account is locked, with
  // `*retry_after_s` set.
  Result<SignedIn> login(const v1::LoginRequest& req, int64_t* retry_after_s = nullptr);
  // The live session of a cookie value; Errc::unauthenticated when unknown or expired.
  Result<SessionUser> session(std::string_view secret);
  // The CSRF token that goes with a session secret (derived from it; nothing stored).
  static std::string csrf_for(std::string_view secret);
  // Errc::forbidden unless `header` is the session's CSRF token (constant-time compare).
  static Result<void> check_csrf(const SessionUser& s, std::string_view header);

  // Ends this session / every session of the user. Returns how many ended.
  Result<uint32_t> logout(const SessionUser& s);
  Result<uint32_t> logout_everywhere(const SessionUser& s);
  // Needs the current password; every other session of the account ends.
  Result<void> change_password(const SessionUser& s, const v1::ChangePasswordRequest& req);

  // An admin's one-time sign-up code (Errc::forbidden for others).
  Result<v1::SignupCode> create_signup_code(const SessionUser& s, bool admin_account);
  // When the server has no account yet: a new one-time code for the first admin (unused
  // earlier ones are dropped); nullopt once an account exists.
  Result<std::optional<v1::SignupCode>> setup_code_if_empty();
  // Makes an account directly (`mockloop admin create-user`, tests); same checks as signup.
  Result<v1::User> create_user(std::string_view email, std::string_view password, std::string_view display_name,
                               bool admin);

  // ---- single sign-on (account_service_oidc.cpp; the rules in docs/accounts.md) ----
  // A verified identity at the provider. In order: an identity linked already signs in to
  // its account; `link_user_id` (a signed-in user who started the sign-in) links it to that
  // account; otherwise a new account by the sign-up mode: open: made; invite: made only
  // with a valid `signup_code` (admin when the code is); off: none made, but an existing
  // account with the same e-mail, verified by the provider (email_verified), and no
  // identity at this issuer yet is linked (in that mode only admins made the accounts, so
  // the e-mail on it is theirs). Errc::forbidden / Errc::conflict say why not.
  struct OidcIdentity {
    std::string issuer, subject, email, name;
    bool email_verified = false;
  };
  Result<SignedIn> oidc_sign_in(const OidcIdentity& id, std::string_view signup_code, std::string_view link_user_id,
                                std::string_view provider_name);

  Result<void> attach_invite(std::string_view user_id, std::string_view token_id, std::string_view loop_id);
  Result<std::vector<store::AttachedInviteRow>> attached_invites(std::string_view user_id);
  // Archived loops (home_api; shown only on request in My loops).
  Result<void> set_archived(std::string_view loop_id, bool archived, std::string_view by_user);
  Result<bool> is_archived(std::string_view loop_id);
  // Forgets every attachment to the loop (the loop is being deleted).
  Result<int64_t> detach_loop(std::string_view loop_id);

  static v1::User user_view(const store::UserRow& u);

 private:
  AccountService(std::unique_ptr<store::AccountStore> store, AccountOptions options, Clock clock)
      : store_(std::move(store)), options_(options), clock_(std::move(clock)) {}
  PwhashCost cost() const { return {options_.pwhash_opslimit, options_.pwhash_memlimit}; }
  Result<SignedIn> start_session(const store::UserRow& u);
  Result<store::UserRow> new_user(std::string_view email, std::string_view password, std::string_view display_name,
                                  bool admin);

  std::mutex mu_;  // guards store_ (and so the database connection it uses)
  std::unique_ptr<store::AccountStore> store_;
  const AccountOptions options_;
  Clock clock_;
};

// "  Ann@Example.COM " -> "ann@example.com"; Errc::invalid_argument when it is not one
// address (one '@', no spaces or control characters, at most kMaxEmailBytes).
Result<std::string> normalize_email(std::string_view email);

}  // namespace mockloop::account
