#include "store/account_migrations.hpp"

namespace mockloop::store {

const std::vector<std::string>& account_migrations() {
  static const std::vector<std::string> steps = {
      // 1: users (lockout state beside the hash), sessions and sign-up codes by the SHA-256
      // of their secret, invites attached to an account.
      "CREATE TABLE users ("
      " id TEXT PRIMARY KEY,"
      " email TEXT NOT NULL UNIQUE,"
      " display_name TEXT NOT NULL DEFAULT '',"
      " password_hash TEXT NOT NULL DEFAULT '',"
      " admin INTEGER NOT NULL DEFAULT 0,"
      " created_at_ms INTEGER NOT NULL,"
      " failed_logins INTEGER NOT NULL DEFAULT 0,"
      " locked_until_ms INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE user_sessions ("
      " id TEXT PRIMARY KEY,"
      " hash BLOB NOT NULL UNIQUE,"
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " created_at_ms INTEGER NOT NULL,"
      " expires_at_ms INTEGER NOT NULL);"
      "CREATE INDEX user_sessions_by_user ON user_sessions(user_id, created_at_ms);"
      "CREATE TABLE signup_codes ("
      " id TEXT PRIMARY KEY,"
      " hash BLOB NOT NULL UNIQUE,"
      " admin INTEGER NOT NULL DEFAULT 0,"
      " created_by TEXT NOT NULL DEFAULT '',"
      " created_at_ms INTEGER NOT NULL,"
      " expires_at_ms INTEGER NOT NULL,"
      " used_by TEXT NOT NULL DEFAULT '',"
      " used_at_ms INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE account_invites ("
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " token_id TEXT NOT NULL,"
      " loop_id TEXT NOT NULL,"
      " attached_at_ms INTEGER NOT NULL,"
      " PRIMARY KEY (user_id, token_id)) WITHOUT ROWID;"
      "CREATE INDEX account_invites_by_loop ON account_invites(loop_id);",
      // 2 (OpenID Connect): an account's identities at identity providers, one per
      // (issuer, subject); an account may have several, an identity one account.
      "CREATE TABLE user_identities ("
      " issuer TEXT NOT NULL,"
      " subject TEXT NOT NULL,"
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " created_at_ms INTEGER NOT NULL,"
      " PRIMARY KEY (issuer, subject)) WITHOUT ROWID;"
      "CREATE INDEX user_identities_by_user ON user_identities(user_id, issuer);",
      // 3 (home pages): loops their host archived (hidden from the default My loops list).
      "CREATE TABLE loop_archive ("
      " loop_id TEXT PRIMARY KEY,"
      " archived_by TEXT NOT NULL,"
      " archived_at_ms INTEGER NOT NULL) WITHOUT ROWID;",
  };
  return steps;
}

}  // namespace mockloop::store
