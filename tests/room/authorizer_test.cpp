#include "room/authorizer.hpp"

#include <gtest/gtest.h>

namespace mockloop::room {
namespace {

TEST(AnonymousAuthorizer, AllowsEverythingWhenEnabled) {
  AnonymousAuthorizer auth(true);
  auto d = auth.authorize("any-doc", "");
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.read_only);
}

TEST(AnonymousAuthorizer, RefusesWith401WhenDisabled) {
  AnonymousAuthorizer auth(false);
  auto d = auth.authorize("any-doc", "some-token");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.refusal, Errc::unauthenticated);
  EXPECT_EQ(http_status(d.refusal), 401);
  EXPECT_EQ(d.reason, "token required");
}

}  // namespace
}  // namespace mockloop::room
