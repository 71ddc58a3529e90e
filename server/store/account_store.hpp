// AccountStore: the SQLite tables of accounts (issue 20; migrations of the "accounts"
// component, account_migrations.cpp): users with their password hash and lockout state,
// sign-in sessions and one-time sign-up codes (both stored as SHA-256 of the secret), and
// the invites attached to an account. SQL only: the meaning (who may sign in, when a code
// is valid) belongs to account::AccountService.
//
// Not thread-safe: used by one thread at a time (AccountService serialises its calls under
// its mutex). The Database must outlive the AccountStore.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

struct UserRow {
  std::string id;
  std::string email;            // lower-case
  std::string display_name;
  std::string password_hash;    // crypto_pwhash_str output; "" = no local password
  bool admin = false;
  int64_t created_at_ms = 0;
  int failed_logins = 0;        // consecutive, since the last success or lockout
  int64_t locked_until_ms = 0;  // 0 = not locked
};

struct SessionRow {
  std::string id;
  std::string hash;             // SHA-256 of the cookie's secret, 32 bytes
  std::string user_id;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

struct SignupCodeRow {
  std::string id;
  std::string hash;             // SHA-256 of the code
  bool admin = false;
  std::string created_by;       // user id; "" = the server (first-start setup link)
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::string used_by;          // "" = unused
};

// An account's identity at an OpenID Connect provider (issuer + subject, the `sub` claim).
struct IdentityRow {
  std::string issuer;
  std::string subject;
  std::string user_id;
  int64_t created_at_ms = 0;
};

struct AttachedInviteRow {
  std::string user_id;
  std::string token_id;
  std::string loop_id;
  int64_t attached_at_ms = 0;
};

class AccountStore {
 public:
  // Applies the "accounts" migrations.
  static Result<std::unique_ptr<AccountStore>> open(Database& db);

  Result<int64_t> count_users();
  Result<std::optional<UserRow>> find_user(std::string_view id);
  Result<std::optional<UserRow>> find_user_by_email(std::string_view email);
  // Errc::conflict when the e-mail is taken. When `code_hash` is given the code is marked
  // used by the new user in the same transaction (Errc::forbidden if it is unknown,
  // used or expired at `now_ms`: nothing is written).
  // With `identity`, that identity row is inserted for the new user in the same
  // transaction (Errc::conflict when the identity is linked already).
  Result<void> insert_user(const UserRow& u, std::optional<std::string_view> code_hash = std::nullopt,
                           int64_t now_ms = 0, const IdentityRow* identity = nullptr);
  // One more failed sign-in; when it reaches `max_failures` the account is locked until
  // `lock_until_ms` and the count starts again. Returns the row after the change.
  Result<UserRow> record_failed_login(std::string_view user_id, int max_failures, int64_t lock_until_ms);
  Result<void> record_good_login(std::string_view user_id);
  Result<void> set_password_hash(std::string_view user_id, std::string_view hash);

  // Adds a session and drops the user's oldest ones beyond `max_per_user`.
  Result<void> insert_session(const SessionRow& s, size_t max_per_user);
  // The session with this hash and its user, unless expired at `now_ms`.
  Result<std::optional<std::pair<SessionRow, UserRow>>> find_session(std::string_view hash, int64_t now_ms);
  // Returns how many rows went.
  Result<int64_t> delete_session(std::string_view hash);
  // Every session of the user except `keep_id` (may be ""). Returns how many went.
  Result<int64_t> delete_sessions_of(std::string_view user_id, std::string_view keep_id);

  Result<void> insert_signup_code(const SignupCodeRow& c);
  Result<std::optional<SignupCodeRow>> find_signup_code(std::string_view hash);
  // Unused server-made codes (the first-start setup links) go: a new start prints a new one.
  Result<void> delete_unused_setup_codes();

  // The account linked to (issuer, subject), if any.
  Result<std::optional<UserRow>> find_user_by_identity(std::string_view issuer, std::string_view subject);
  // Whether the user has an identity at `issuer`.
  Result<bool> has_identity_at(std::string_view user_id, std::string_view issuer);
  // Errc::conflict when (issuer, subject) is linked already.
  Result<void> insert_identity(const IdentityRow& row);

  // Archived loops (the host's choice, for everyone's list).
  Result<void> set_archived(std::string_view loop_id, bool archived, std::string_view by, int64_t now_ms);
  Result<bool> is_archived(std::string_view loop_id);

  // Idempotent (attaching the same invite twice keeps the first time).
  Result<void> attach_invite(const AttachedInviteRow& a);
  Result<std::vector<AttachedInviteRow>> attached_invites(std::string_view user_id);
  // Every row of a loop goes (the loop is being deleted). Returns how many.
  Result<int64_t> detach_loop(std::string_view loop_id);

  Database& database() { return db_; }

 private:
  explicit AccountStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace mockloop::store
