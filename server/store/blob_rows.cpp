#include "store/blob_rows.hpp"

namespace mockloop::store {

std::span<const uint8_t> blob_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string column_blob_string(const Statement& st, int col) {
  auto b = st.column_blob(col);
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

Result<std::optional<std::string>> load_blob(Database& db, std::string_view sql, std::string_view key,
                                             std::optional<int64_t> key2) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind_text(1, key);
  if (key2) st->bind_int64(2, *key2);
  return first_row(*st, [](const Statement& s) { return column_blob_string(s, 0); });
}

Result<int64_t> count_rows(Database& db, std::string_view sql, std::string_view key) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind_text(1, key);
  auto row = st->step();
  if (!row) return row.error();
  return st->column_int64(0);
}

Result<int64_t> changed_rows(Database& db) {
  auto st = db.prepare("SELECT changes()");
  if (!st) return st.error();
  if (auto row = st->step(); !row) return row.error();
  return st->column_int64(0);
}

}  // namespace mockloop::store
