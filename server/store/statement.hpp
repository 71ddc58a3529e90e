// A prepared SQLite statement (RAII over sqlite3_stmt). Bind parameters are 1-based, columns
// 0-based, as in SQLite. Views returned by column_blob/column_text stay valid until the next
// step() or reset(). Not thread-safe: it belongs to its Database's owner thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mockloop::store {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Bind* copy the value (SQLITE_TRANSIENT) unless noted; a bind failure is reported by the
  // next step().
  Statement& bind_int64(int index, int64_t value);
  Statement& bind_text(int index, std::string_view text);
  // The blob is NOT copied: it must outlive the next step().
  Statement& bind_blob_static(int index, std::span<const uint8_t> blob);

  // Runs one step: true when a row is available, false when done.
  Result<bool> step();
  // Convenience for statements without rows: step() to completion, then reset().
  Result<void> run();
  // Makes the statement reusable; clears bindings.
  void reset();

  int64_t column_int64(int col) const;
  std::span<const uint8_t> column_blob(int col) const;
  std::string_view column_text(int col) const;
  bool column_is_null(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = 0;
};

}  // namespace mockloop::store
