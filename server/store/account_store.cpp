#include "store/account_store.hpp"

#include "store/account_migrations.hpp"
#include "store/blob_rows.hpp"

namespace mockloop::store {
namespace {

constexpr std::string_view kUserColumns =
    "id, email, display_name, password_hash, admin, created_at_ms, failed_logins, locked_until_ms";

UserRow read_user(const Statement& st, int first = 0) {
  UserRow u;
  u.id = std::string(st.column_text(first + 0));
  u.email = std::string(st.column_text(first + 1));
  u.display_name = std::string(st.column_text(first + 2));
  u.password_hash = std::string(st.column_text(first + 3));
  u.admin = st.column_int64(first + 4) != 0;
  u.created_at_ms = st.column_int64(first + 5);
  u.failed_logins = static_cast<int>(st.column_int64(first + 6));
  u.locked_until_ms = st.column_int64(first + 7);
  return u;
}

Result<std::optional<UserRow>> one_user(Database& db, std::string_view where, std::string_view key) {
  auto st = db.prepare("SELECT " + std::string(kUserColumns) + " FROM users WHERE " + std::string(where));
  if (!st) return st.error();
  st->bind_text(1, key);
  return first_row(*st, [](const Statement& s) { return read_user(s); });
}

Result<int64_t> changes_of(Database& db, std::string_view sql, std::string_view a, std::string_view b = {}) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind_text(1, a);
  if (!b.empty() || sql.find("?2") != std::string_view::npos) st->bind_text(2, b);
  if (auto r = st->run(); !r) return r.error();
  return changed_rows(db);
}

}  // namespace

Result<std::unique_ptr<AccountStore>> AccountStore::open(Database& db) {
  if (auto r = db.migrate("accounts", account_migrations()); !r) return r.error();
  return std::unique_ptr<AccountStore>(new AccountStore(db));
}

Result<int64_t> AccountStore::count_users() {
  auto st = db_.prepare("SELECT COUNT(*) FROM users");
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  return st->column_int64(0);
}

Result<std::optional<UserRow>> AccountStore::find_user(std::string_view id) { return one_user(db_, "id = ?1", id); }

Result<std::optional<UserRow>> AccountStore::find_user_by_email(std::string_view email) {
  return one_user(db_, "email = ?1", email);
}

Result<void> AccountStore::insert_user(const UserRow& u, std::optional<std::string_view> code_hash, int64_t now_ms,
                                       const IdentityRow* identity) {
  return in_transaction(db_, [&]() -> Result<void> {
    auto taken = one_user(db_, "email = ?1", u.email);
    if (!taken) return taken.error();
    if (*taken) return make_error(Errc::conflict, "an account with this e-mail exists");
    if (code_hash) {
      auto st = db_.prepare(
          "UPDATE signup_codes SET used_by = ?2, used_at_ms = ?3"
          " WHERE hash = ?1 AND used_by = '' AND expires_at_ms > ?3 AND admin = ?4");
      if (!st) return st.error();
      st->bind_blob_static(1, blob_bytes(*code_hash)).bind_text(2, u.id).bind_int64(3, now_ms);
      st->bind_int64(4, u.admin ? 1 : 0);
      if (auto r = st->run(); !r) return r;
      auto n = changed_rows(db_);
      if (!n) return n.error();
      if (*n != 1) return make_error(Errc::forbidden, "this sign-up code is unknown, used or expired");
    }
    auto st = db_.prepare(
        "INSERT INTO users(id, email, display_name, password_hash, admin, created_at_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st) return st.error();
    st->bind_text(1, u.id).bind_text(2, u.email).bind_text(3, u.display_name).bind_text(4, u.password_hash);
    st->bind_int64(5, u.admin ? 1 : 0).bind_int64(6, u.created_at_ms);
    if (auto r = st->run(); !r) return r;
    if (identity) return insert_identity(*identity);
    return {};
  });
}

Result<std::optional<UserRow>> AccountStore::find_user_by_identity(std::string_view issuer, std::string_view subject) {
  auto st = db_.prepare("SELECT u.id, u.email, u.display_name, u.password_hash, u.admin, u.created_at_ms,"
                        " u.failed_logins, u.locked_until_ms FROM user_identities i JOIN users u ON u.id = i.user_id"
                        " WHERE i.issuer = ?1 AND i.subject = ?2");
  if (!st) return st.error();
  st->bind_text(1, issuer).bind_text(2, subject);
  return first_row(*st, [](const Statement& s) { return read_user(s); });
}

Result<bool> AccountStore::has_identity_at(std::string_view user_id, std::string_view issuer) {
  auto st = db_.prepare("SELECT 1 FROM user_identities WHERE user_id = ?1 AND issuer = ?2");
  if (!st) return st.error();
  st->bind_text(1, user_id).bind_text(2, issuer);
  auto row = st->step();
  if (!row) return row.error();
  return *row;
}

Result<void> AccountStore::insert_identity(const IdentityRow& row) {
  auto taken = find_user_by_identity(row.issuer, row.subject);
  if (!taken) return taken.error();
  if (*taken) return make_error(Errc::conflict, "this identity is linked to an account already");
  auto st = db_.prepare(
      "INSERT INTO user_identities(issuer, subject, user_id, created_at_ms) VALUES (?1, ?2, ?3, ?4)");
  if (!st) return st.error();
  st->bind_text(1, row.issuer).bind_text(2, row.subject).bind_text(3, row.user_id).bind_int64(4, row.created_at_ms);
  return st->run();
}

Result<UserRow> AccountStore::record_failed_login(std::string_view user_id, int max_failures, int64_t lock_until_ms) {
  auto st = db_.prepare(
      "UPDATE users SET"
      " locked_until_ms = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until_ms END,"
      " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END"
      " WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, user_id).bind_int64(2, max_failures).bind_int64(3, lock_until_ms);
  if (auto r = st->run(); !r) return r.error();
  auto u = find_user(user_id);
  if (!u) return u.error();
  if (!*u) return make_error(Errc::not_found, "no such user");
  return **u;
}

Result<void> AccountStore::record_good_login(std::string_view user_id) {
  auto st = db_.prepare("UPDATE users SET failed_logins = 0, locked_until_ms = 0 WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, user_id);
  return st->run();
}

Result<void> AccountStore::set_password_hash(std::string_view user_id, std::string_view hash) {
  auto st = db_.prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1");
  if (!st) return st.error();
  st->bind_text(1, user_id).bind_text(2, hash);
  return st->run();
}

Result<void> AccountStore::insert_session(const SessionRow& s, size_t max_per_user) {
  return in_transaction(db_, [&]() -> Result<void> {
    auto st = db_.prepare(
        "INSERT INTO user_sessions(id, hash, user_id, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    st->bind_text(1, s.id).bind_blob_static(2, blob_bytes(s.hash)).bind_text(3, s.user_id);
    st->bind_int64(4, s.created_at_ms).bind_int64(5, s.expires_at_ms);
    if (auto r = st->run(); !r) return r;
    auto trim = db_.prepare(
        "DELETE FROM user_sessions WHERE user_id = ?1 AND id NOT IN"
        " (SELECT id FROM user_sessions WHERE user_id = ?1 ORDER BY created_at_ms DESC, id LIMIT ?2)");
    if (!trim) return trim.error();
    trim->bind_text(1, s.user_id).bind_int64(2, static_cast<int64_t>(max_per_user));
    return trim->run();
  });
}

Result<std::optional<std::pair<SessionRow, UserRow>>> AccountStore::find_session(std::string_view hash,
                                                                                 int64_t now_ms) {
  using Found = std::optional<std::pair<SessionRow, UserRow>>;
  auto st = db_.prepare(
      "SELECT s.id, s.user_id, s.created_at_ms, s.expires_at_ms, u.id, u.email, u.display_name, u.password_hash,"
      " u.admin, u.created_at_ms, u.failed_logins, u.locked_until_ms"
      " FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?1 AND s.expires_at_ms > ?2");
  if (!st) return st.error();
  st->bind_blob_static(1, blob_bytes(hash)).bind_int64(2, now_ms);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return Found();
  SessionRow s;
  s.id = std::string(st->column_text(0));
  s.hash = std::string(hash);
  s.user_id = std::string(st->column_text(1));
  s.created_at_ms = st->column_int64(2);
  s.expires_at_ms = st->column_int64(3);
  return Found(std::make_pair(std::move(s), read_user(*st, 4)));
}

Result<int64_t> AccountStore::delete_session(std::string_view hash) {
  auto st = db_.prepare("DELETE FROM user_sessions WHERE hash = ?1");
  if (!st) return st.error();
  st->bind_blob_static(1, blob_bytes(hash));
  if (auto r = st->run(); !r) return r.error();
  return changed_rows(db_);
}

Result<int64_t> AccountStore::delete_sessions_of(std::string_view user_id, std::string_view keep_id) {
  return changes_of(db_, "DELETE FROM user_sessions WHERE user_id = ?1 AND id <> ?2", user_id, keep_id);
}

Result<void> AccountStore::insert_signup_code(const SignupCodeRow& c) {
  auto st = db_.prepare(
      "INSERT INTO signup_codes(id, hash, admin, created_by, created_at_ms, expires_at_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st) return st.error();
  st->bind_text(1, c.id).bind_blob_static(2, blob_bytes(c.hash)).bind_int64(3, c.admin ? 1 : 0);
  st->bind_text(4, c.created_by).bind_int64(5, c.created_at_ms).bind_int64(6, c.expires_at_ms);
  return st->run();
}

Result<std::optional<SignupCodeRow>> AccountStore::find_signup_code(std::string_view hash) {
  auto st = db_.prepare(
      "SELECT id, admin, created_by, created_at_ms, expires_at_ms, used_by FROM signup_codes WHERE hash = ?1");
  if (!st) return st.error();
  st->bind_blob_static(1, blob_bytes(hash));
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return std::optional<SignupCodeRow>();
  SignupCodeRow c;
  c.id = std::string(st->column_text(0));
  c.hash = std::string(hash);
  c.admin = st->column_int64(1) != 0;
  c.created_by = std::string(st->column_text(2));
  c.created_at_ms = st->column_int64(3);
  c.expires_at_ms = st->column_int64(4);
  c.used_by = std::string(st->column_text(5));
  return std::optional<SignupCodeRow>(std::move(c));
}

Result<void> AccountStore::delete_unused_setup_codes() {
  return db_.exec("DELETE FROM signup_codes WHERE created_by = '' AND used_by = ''");
}

Result<void> AccountStore::set_archived(std::string_view loop_id, bool archived, std::string_view by, int64_t now_ms) {
  auto st = db_.prepare(archived ? "INSERT INTO loop_archive(loop_id, archived_by, archived_at_ms) VALUES (?1, ?2, ?3)"
                                   " ON CONFLICT(loop_id) DO NOTHING"
                                 : "DELETE FROM loop_archive WHERE loop_id = ?1");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  if (archived) st->bind_text(2, by).bind_int64(3, now_ms);
  return st->run();
}

Result<bool> AccountStore::is_archived(std::string_view loop_id) {
  auto st = db_.prepare("SELECT 1 FROM loop_archive WHERE loop_id = ?1");
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  auto row = st->step();
  if (!row) return row.error();
  return *row;
}

Result<void> AccountStore::attach_invite(const AttachedInviteRow& a) {
  auto st = db_.prepare(
      "INSERT INTO account_invites(user_id, token_id, loop_id, attached_at_ms) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT(user_id, token_id) DO NOTHING");
  if (!st) return st.error();
  st->bind_text(1, a.user_id).bind_text(2, a.token_id).bind_text(3, a.loop_id).bind_int64(4, a.attached_at_ms);
  return st->run();
}

Result<std::vector<AttachedInviteRow>> AccountStore::attached_invites(std::string_view user_id) {
  auto st = db_.prepare(
      "SELECT user_id, token_id, loop_id, attached_at_ms FROM account_invites WHERE user_id = ?1"
      " ORDER BY attached_at_ms DESC, token_id");
  if (!st) return st.error();
  st->bind_text(1, user_id);
  return collect_rows(*st, [](const Statement& s) {
    return AttachedInviteRow{std::string(s.column_text(0)), std::string(s.column_text(1)),
                             std::string(s.column_text(2)), s.column_int64(3)};
  });
}

Result<int64_t> AccountStore::detach_loop(std::string_view loop_id) {
  return changes_of(db_, "DELETE FROM account_invites WHERE loop_id = ?1", loop_id);
}

}  // namespace mockloop::store
