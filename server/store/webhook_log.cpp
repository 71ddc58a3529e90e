#include "store/webhook_log.hpp"

namespace mockloop::store {

Result<void> migrate_webhook_log(Database& db) {
  static const std::vector<std::string> steps = {
      // 1: the delivery log; `seq` orders rows by arrival (ids are per process).
      "CREATE TABLE webhook_deliveries ("
      " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      " id TEXT NOT NULL UNIQUE,"
      " type TEXT NOT NULL,"
      " created_at_ms INTEGER NOT NULL,"
      " updated_at_ms INTEGER NOT NULL,"
      " attempts INTEGER NOT NULL DEFAULT 0,"
      " last_status INTEGER NOT NULL DEFAULT 0,"
      " last_error TEXT NOT NULL DEFAULT '',"
      " outcome TEXT NOT NULL);",
  };
  return db.migrate("webhooks", steps);
}

Result<void> record_webhook_delivery(Database& db, const WebhookDeliveryRow& row) {
  auto st = db.prepare(
      "INSERT INTO webhook_deliveries(id, type, created_at_ms, updated_at_ms, attempts, last_status, last_error, outcome)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
      " ON CONFLICT(id) DO UPDATE SET updated_at_ms = ?4, attempts = ?5, last_status = ?6, last_error = ?7,"
      " outcome = ?8");
  if (!st) return st.error();
  st->bind_text(1, row.id)
      .bind_text(2, row.type)
      .bind_int64(3, row.created_at_ms)
      .bind_int64(4, row.updated_at_ms)
      .bind_int64(5, row.attempts)
      .bind_int64(6, row.last_status)
      .bind_text(7, row.last_error)
      .bind_text(8, row.outcome);
  if (auto r = st->run(); !r) return r;
  auto prune = db.prepare("DELETE FROM webhook_deliveries WHERE seq <= (SELECT MAX(seq) FROM webhook_deliveries) - ?1");
  if (!prune) return prune.error();
  prune->bind_int64(1, kMaxWebhookLogRows);
  return prune->run();
}

Result<std::vector<WebhookDeliveryRow>> recent_webhook_deliveries(Database& db, int64_t limit) {
  auto st = db.prepare(
      "SELECT id, type, created_at_ms, updated_at_ms, attempts, last_status, last_error, outcome"
      " FROM webhook_deliveries ORDER BY seq DESC LIMIT ?1");
  if (!st) return st.error();
  st->bind_int64(1, limit);
  std::vector<WebhookDeliveryRow> out;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(WebhookDeliveryRow{std::string(st->column_text(0)), std::string(st->column_text(1)),
                                     st->column_int64(2), st->column_int64(3), static_cast<int>(st->column_int64(4)),
                                     static_cast<int>(st->column_int64(5)), std::string(st->column_text(6)),
                                     std::string(st->column_text(7))});
  }
  return out;
}

}  // namespace mockloop::store
