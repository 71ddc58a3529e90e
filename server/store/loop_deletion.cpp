#include "store/loop_deletion.hpp"

#include <string>
#include <vector>

namespace mockloop::store {
namespace {

Result<int64_t> run_counted(Database& db, const std::string& sql, std::string_view loop_id) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  st->bind_text(1, loop_id);
  if (auto r = st->run(); !r) return r.error();
  auto n = db.prepare("SELECT changes()");
  if (!n) return n.error();
  if (auto row = n->step(); !row) return row.error();
  return n->column_int64(0);
}

// Tables with a loop_id column, but the marker table.
Result<std::vector<std::string>> tables_with_loop_id(Database& db) {
  auto st = db.prepare(
      "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c"
      " WHERE m.type = 'table' AND c.name = 'loop_id' AND m.name <> 'loop_deletions' ORDER BY m.name");
  if (!st) return st.error();
  std::vector<std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.emplace_back(st->column_text(0));
  }
  return out;
}

std::string quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

Result<int64_t> delete_loop_rows(Database& db, std::string_view loop_id) {
  auto tables = tables_with_loop_id(db);
  if (!tables) return tables.error();
  if (auto r = db.begin(); !r) return r.error();
  int64_t total = 0;
  auto body = [&]() -> Result<void> {
    if (auto r = run_counted(db, "INSERT INTO loop_deletions(loop_id) VALUES (?1)", loop_id); !r) return r.error();
    // Children of written_assignments first (they have no loop_id of their own).
    for (const char* sql : {"DELETE FROM written_versions WHERE assignment_id IN"
                            " (SELECT id FROM written_assignments WHERE loop_id = ?1)",
                            "DELETE FROM written_questions WHERE assignment_id IN"
                            " (SELECT id FROM written_assignments WHERE loop_id = ?1)"}) {
      auto n = run_counted(db, sql, loop_id);
      if (!n) return n.error();
      total += *n;
    }
    // written_assignments before nothing else depends on it; other tables reference loops only.
    for (const auto& t : *tables) {
      auto n = run_counted(db, "DELETE FROM " + quoted(t) + " WHERE loop_id = ?1", loop_id);
      if (!n) return n.error();
      total += *n;
    }
    auto n = run_counted(db, "DELETE FROM loops WHERE id = ?1", loop_id);
    if (!n) return n.error();
    total += *n;
    if (auto r = run_counted(db, "DELETE FROM loop_deletions WHERE loop_id = ?1", loop_id); !r) return r.error();
    return {};
  };
  if (auto r = body(); !r) {
    db.rollback();
    return r.error();
  }
  if (auto c = db.commit(); !c) {
    db.rollback();
    return c.error();
  }
  return total;
}

}  // namespace mockloop::store
