#include "store/statement.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

namespace mockloop::store {

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement& Statement::bind_int64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_blob_static(int index, std::span<const uint8_t> blob) {
  // A zero-length blob with a null pointer would bind NULL; use a static empty buffer.
  static constexpr uint8_t kEmpty = 0;
  const void* p = blob.empty() ? static_cast<const void*>(&kEmpty) : blob.data();
  int rc = sqlite3_bind_blob64(stmt_, index, p, blob.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) {
    int rc = std::exchange(bind_error_, 0);
    return make_error(Errc::db, std::string("bind: ") + sqlite3_errstr(rc));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  return make_error(rc == SQLITE_BUSY ? Errc::db_busy : Errc::db, msg);
}

Result<void> Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) {
      reset();
      return r.error();
    }
    if (!*r) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
}

int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::span<const uint8_t> Statement::column_blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  return {static_cast<const uint8_t*>(p), static_cast<size_t>(n)};
}

std::string_view Statement::column_text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(n)};
}

bool Statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

}  // namespace mockloop::store
