// The audit lines (component "audit"): one per loop created, invite issued or revoked,
// scorecard submitted and debrief viewed, and never a token.
#include "loop_fixture.hpp"

using namespace mockloop::loop;
using namespace mockloop::loop::testing;

class AuditLog : public LoopFixture {};

TEST_F(AuditLog, OneLinePerEventAndNoTokens) {
  ::testing::internal::CaptureStderr();
  create_l6_loop();
  ASSERT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], draft()).status, 200);
  ASSERT_EQ(call("POST", round_path(1) + "/scorecard/submit", tokens_["iv1"]).status, 200);
  ASSERT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["observer"] + "/revoke", tokens_["host"])
                .status,
            200);
  ASSERT_EQ(call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"]).status, 200);
  const std::string log = ::testing::internal::GetCapturedStderr();
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = log.find("audit: " + what); at != std::string::npos; at = log.find("audit: " + what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("loop created"), 1u) << log;
  EXPECT_EQ(count("invite issued"), 6u);
  EXPECT_EQ(count("scorecard submitted"), 1u);
  EXPECT_EQ(count("invite revoked"), 1u);
  EXPECT_EQ(count("debrief viewed"), 1u);
  EXPECT_NE(log.find("token_id=" + token_ids_["observer"]), std::string::npos);
  for (const auto& [role, token] : tokens_) EXPECT_EQ(log.find(token), std::string::npos) << role << "'s token logged";
}
