// The webhook delivery log (issue 22): one row per event the server meant to POST, updated
// after each attempt, so an operator can see what reached the integration and what did not
// (`mockloop admin webhook-log`). Its own migration component ("webhooks"). The table keeps
// the newest kMaxWebhookLogRows rows; older ones are deleted as new ones arrive.
// Same threading rule as the Database (the webhook thread owns its connection).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

inline constexpr int64_t kMaxWebhookLogRows = 10000;  // delivery log rows kept: 10,000

struct WebhookDeliveryRow {
  std::string id;          // the delivery id (X-MockLoop-Delivery)
  std::string type;        // "loop.created", "scorecard.submitted", ...
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int attempts = 0;        // POSTs made so far
  int last_status = 0;     // HTTP status of the last attempt; 0 when no answer came
  std::string last_error;  // why the last attempt failed ("" when it did not)
  std::string outcome;     // "pending", "delivered", "failed", "dropped"
};

// Creates or upgrades the table (component "webhooks").
Result<void> migrate_webhook_log(Database& db);
// Inserts the row or replaces the one with the same id; prunes past kMaxWebhookLogRows.
Result<void> record_webhook_delivery(Database& db, const WebhookDeliveryRow& row);
// The newest `limit` rows, newest first.
Result<std::vector<WebhookDeliveryRow>> recent_webhook_deliveries(Database& db, int64_t limit);

}  // namespace mockloop::store
