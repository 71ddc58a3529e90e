// Row helpers shared by the SQLite stores (LoopStore, AccountStore, ProfileStore,
// StudyStore, WrittenStore): blob columns as strings (the byte view to bind a string as a
// blob, the string of a blob column), the one transaction wrapper, stepping a statement
// into rows, and the small keyed queries every store repeats (one blob row, a count, the
// rows the last statement changed). Same thread rules as Statement/Database.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace mockloop::store {

// `s` as bytes for Statement::bind_blob_static (not copied: `s` must outlive the step).
std::span<const uint8_t> blob_bytes(std::string_view s);
// Column `col` of the current row as a string of its blob's bytes.
std::string column_blob_string(const Statement& st, int col);

// Runs `sql` (a SELECT of one blob column keyed by ?1, and ?2 when `key2` is given) and
// returns the first row's blob, or nullopt when there is no row.
Result<std::optional<std::string>> load_blob(Database& db, std::string_view sql, std::string_view key,
                                             std::optional<int64_t> key2 = std::nullopt);

// Runs `sql` (a SELECT COUNT(*) keyed by ?1) and returns the count.
Result<int64_t> count_rows(Database& db, std::string_view sql, std::string_view key);

// The rows the connection's last INSERT, UPDATE or DELETE changed (SQLite's changes()).
Result<int64_t> changed_rows(Database& db);

// Runs `body` inside BEGIN IMMEDIATE .. COMMIT, rolling back on any error (the body's or
// the commit's), which it returns.
template <typename F>
Result<void> in_transaction(Database& db, F&& body) {
  if (auto r = db.begin(); !r) return r;
  Result<void> r = body();
  if (!r) {
    db.rollback();
    return r;
  }
  if (auto c = db.commit(); !c) {
    db.rollback();
    return c;
  }
  return {};
}

// Steps `st` to the end, reading each row with `read` (a function of the Statement).
template <typename Read>
auto collect_rows(Statement& st, Read read) -> Result<std::vector<decltype(read(st))>> {
  std::vector<decltype(read(st))> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read(st));
  }
  return out;
}

// Steps `st` once: its first row read with `read`, or nullopt when there is none.
template <typename Read>
auto first_row(Statement& st, Read read) -> Result<std::optional<decltype(read(st))>> {
  using Row = decltype(read(st));
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) return std::optional<Row>();
  return std::optional<Row>(read(st));
}

}  // namespace mockloop::store
