// The error table: every code maps to an HTTP status, a close code and a wire code, and
// refusals a client acts on close with 4000 + their status.
#include "common/error.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace mockloop;

TEST(ErrorTable, EveryCodeMapsToAStatusAndACloseCode) {
  std::set<std::string_view> names;
  for (int i = 0; i < kErrcCount; ++i) {
    const auto c = static_cast<Errc>(i);
    const auto& row = info(c);
    SCOPED_TRACE(std::string(row.name));
    EXPECT_FALSE(row.name.empty());
    EXPECT_TRUE(names.insert(row.name).second) << "duplicate name";
    EXPECT_GE(row.http_status, 400);
    EXPECT_LE(row.http_status, 599);
    // RFC 6455: 1000-1014 defined by the protocol, 4000-4999 for applications.
    EXPECT_TRUE((row.close_code >= 1000 && row.close_code <= 1014) || (row.close_code >= 4000 && row.close_code <= 4999));
    EXPECT_NE(row.close_code, 1005);  // reserved: never sent
    EXPECT_NE(row.close_code, 1006);
    EXPECT_FALSE(row.wire_code.empty());
    if (row.close_code >= 4000) {
      EXPECT_EQ(row.close_code, 4000 + row.http_status);
    }
    EXPECT_EQ(exposed_to_client(c), row.http_status < 500);
    if (row.http_status == 500) {
      EXPECT_EQ(row.wire_code, "internal");
    }
  }
}

TEST(ErrorTable, RefusalsClientsActOn) {
  EXPECT_EQ(close_code(Errc::unauthenticated), 4401);
  EXPECT_EQ(close_code(Errc::forbidden), 4403);
  EXPECT_EQ(close_code(Errc::not_found), 4404);
  EXPECT_EQ(close_code(Errc::rate_limited), 4429);
  EXPECT_EQ(http_status(Errc::unauthenticated), 401);
  EXPECT_EQ(http_status(Errc::forbidden), 403);
  EXPECT_EQ(http_status(Errc::payload_too_large), 413);
  EXPECT_EQ(close_code(Errc::invalid_update), 1007);
  EXPECT_EQ(close_code(Errc::busy), 1013);
  EXPECT_EQ(close_code(Errc::db), 1011);
  EXPECT_EQ(info(Errc::db).wire_code, "internal");
}
