// The webhook delivery log: a row per delivery id, updated in place by later attempts,
// read newest first, and never more than kMaxWebhookLogRows rows.
#include "store/webhook_log.hpp"

#include <gtest/gtest.h>

#include <string>

#include "temp_dir.hpp"

namespace mockloop::store {
namespace {

WebhookDeliveryRow row(const std::string& id, int attempts, int status, const std::string& outcome) {
  return WebhookDeliveryRow{id, "loop.created", 1000, 1000 + attempts, attempts, status, status ? "" : "timeout", outcome};
}

TEST(WebhookLog, AnAttemptUpdatesItsDeliveryInPlace) {
  test::TempDir dir;
  auto db = Database::open(dir.file("w.db")).value();
  ASSERT_TRUE(migrate_webhook_log(*db));
  ASSERT_TRUE(migrate_webhook_log(*db));  // a second start finds it migrated
  ASSERT_TRUE(record_webhook_delivery(*db, row("a-1", 1, 0, "pending")));
  ASSERT_TRUE(record_webhook_delivery(*db, row("b-2", 1, 204, "delivered")));
  ASSERT_TRUE(record_webhook_delivery(*db, row("a-1", 2, 204, "delivered")));
  auto rows = recent_webhook_deliveries(*db, 10).value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "b-2");  // newest first, by first arrival
  EXPECT_EQ(rows[1].id, "a-1");
  EXPECT_EQ(rows[1].attempts, 2);
  EXPECT_EQ(rows[1].last_status, 204);
  EXPECT_EQ(rows[1].last_error, "");
  EXPECT_EQ(rows[1].outcome, "delivered");
  EXPECT_EQ(rows[1].created_at_ms, 1000);
  EXPECT_EQ(recent_webhook_deliveries(*db, 1).value().size(), 1u);
}

TEST(WebhookLog, KeepsOnlyTheNewestRows) {
  test::TempDir dir;
  auto db = Database::open(dir.file("w.db")).value();
  ASSERT_TRUE(migrate_webhook_log(*db));
  ASSERT_TRUE(db->exec("BEGIN"));
  for (int64_t i = 0; i < kMaxWebhookLogRows + 5; ++i)
    ASSERT_TRUE(record_webhook_delivery(*db, row("d-" + std::to_string(i), 1, 204, "delivered")));
  ASSERT_TRUE(db->exec("COMMIT"));
  auto rows = recent_webhook_deliveries(*db, kMaxWebhookLogRows * 2).value();
  ASSERT_EQ(static_cast<int64_t>(rows.size()), kMaxWebhookLogRows);
  EXPECT_EQ(rows.front().id, "d-" + std::to_string(kMaxWebhookLogRows + 4));
  EXPECT_EQ(rows.back().id, "d-5");  // d-0 .. d-4 pruned
}

}  // namespace
}  // namespace mockloop::store
