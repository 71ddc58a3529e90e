#include "store/doc_families.hpp"

#include <set>

#include "store/doc_history.hpp"
#include "store/doc_store.hpp"

namespace mockloop::store {

Result<std::vector<std::string>> stored_docs_in_families(Database& db, const std::vector<std::string>& bases) {
  std::set<std::string> names;
  // Each family is `base` and the range [base + "-", base + ".") ('.' follows '-').
  for (const char* table : {"doc_snapshots", "doc_log", "doc_history", "doc_checkpoints"}) {
    auto st = db.prepare(std::string("SELECT DISTINCT doc FROM ") + table + " WHERE doc = ?1 OR (doc >= ?2 AND doc < ?3)");
    if (!st) return st.error();
    for (const auto& b : bases) {
      st->reset();
      st->bind_text(1, b).bind_text(2, b + "-").bind_text(3, b + ".");
      for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        names.emplace(st->column_text(0));
      }
    }
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Result<size_t> remove_doc_families(Database& db, const std::vector<std::string>& bases) {
  auto docs = DocStore::open(db);
  if (!docs) return docs.error();
  auto history = DocHistory::open(db);
  if (!history) return history.error();
  auto names = stored_docs_in_families(db, bases);
  if (!names) return names.error();
  if (auto r = db.begin(); !r) return r.error();
  for (const auto& name : *names) {
    auto r = (*docs)->remove_in_tx(name);
    if (r) r = (*history)->remove_in_tx(name);
    if (!r) {
      db.rollback();
      return r.error();
    }
  }
  if (auto r = db.commit(); !r) {
    db.rollback();
    return r.error();
  }
  return names->size();
}

}  // namespace mockloop::store
