#include "room/awareness.hpp"

#include <gtest/gtest.h>

#include "room_test_util.hpp"

namespace mockloop::room {
namespace {

using test::awareness_frame;
using test::Client;

class AwarenessRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegistryOptions o;  // persistence is irrelevant for awareness
    o.limits.awareness_timeout = std::chrono::seconds(30);
    o.clock = [this] { return now_; };
    reg_ = DocRegistry::open(std::move(o)).value();
    ASSERT_TRUE(a_.join(*reg_, "doc"));
    ASSERT_TRUE(b_.join(*reg_, "doc"));
    a_.receive();
    b_.receive();
  }
  Clock::time_point now_ = Clock::now();
  std::unique_ptr<DocRegistry> reg_;
  Client a_{1, 101}, b_{2, 102};
};

TEST_F(AwarenessRelayTest, RelaysToOthersAndSendsStatesToJoiners) {
  auto frame = awareness_frame(101, 1, R"({"user":"ada"})");
  a_.send(frame);
  auto got = b_.receive();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(*got[0], frame);
  EXPECT_EQ(a_.peer->pending(), 0u);
  Client c(3, 103);
  ASSERT_TRUE(c.join(*reg_, "doc"));
  c.receive();
  ASSERT_EQ(c.awareness.size(), 1u);
  EXPECT_EQ(c.awareness[0].client_id, 101u);
  EXPECT_EQ(c.awareness[0].state, R"({"user":"ada"})");
  c.send({3});  // query awareness
  c.receive();
  EXPECT_EQ(c.awareness.size(), 2u);
}

TEST_F(AwarenessRelayTest, LeaveBroadcastsRemoval) {
  a_.send(awareness_frame(101, 3, R"({"x":1})"));
  b_.receive();
  b_.awareness.clear();
  a_.conn.reset();
  b_.receive();
  ASSERT_EQ(b_.awareness.size(), 1u);
  EXPECT_EQ(b_.awareness[0].client_id, 101u);
  EXPECT_EQ(b_.awareness[0].clock, 4u);
  EXPECT_EQ(b_.awareness[0].state, "null");
}

TEST_F(AwarenessRelayTest, StatesNotRenewedExpire) {
  a_.send(awareness_frame(101, 1, R"({"x":1})"));
  b_.send(awareness_frame(102, 1, R"({"y":1})"));
  a_.receive();
  b_.receive();
  b_.awareness.clear();
  auto start = now_;
  now_ = start + std::chrono::seconds(20);
  reg_->tick(now_);
  EXPECT_EQ(b_.peer->pending(), 0u);
  b_.send(awareness_frame(102, 2, R"({"y":2})"));  // b renews, a does not
  a_.receive();
  now_ = start + std::chrono::seconds(31);
  reg_->tick(now_);
  b_.receive();
  ASSERT_EQ(b_.awareness.size(), 1u);
  EXPECT_EQ(b_.awareness[0].client_id, 101u);
  EXPECT_EQ(b_.awareness[0].state, "null");
  a_.receive();
  EXPECT_TRUE(std::any_of(a_.awareness.begin(), a_.awareness.end(),
                          [](const auto& s) { return s.client_id == 101 && s.state == "null"; }));
}

TEST_F(AwarenessRelayTest, TooManyClientIdsOnOneConnectionCloses1008) {
  for (uint64_t id = 0; id < 17; ++id) a_.send(awareness_frame(1000 + id, 1, "{}"));
  EXPECT_EQ(a_.peer->close_code(), kClosePolicy);
}

TEST(Awareness, FollowsYjsClockRules) {
  Awareness aw;
  auto now = Awareness::Clock::now();
  std::vector<wire::AwarenessEntry> e = {{7, 2, "{\"a\":1}"}};
  EXPECT_EQ(aw.apply(e, 1, now), 1u);
  e = {{7, 1, "{\"a\":0}"}};  // older clock: ignored
  EXPECT_EQ(aw.apply(e, 1, now), 0u);
  e = {{7, 2, "null"}};  // same clock removal of a present state: applied
  EXPECT_EQ(aw.apply(e, 1, now), 1u);
  EXPECT_EQ(aw.present(), 0u);
  e = {{8, 5, "null"}};  // removal of an unknown client: nothing to do
  EXPECT_EQ(aw.apply(e, 1, now), 0u);
  EXPECT_TRUE(aw.encode_present().empty());
}

// The byte accounting behind the awareness limits: bytes() follows apply, removal and
// expiry; footprint_after() predicts apply() without applying, counting only winning entries.
TEST(AwarenessBytes, TrackedThroughApplyRemoveAndExpiry) {
  Awareness aw;
  auto t0 = Awareness::Clock::now();
  std::vector<wire::AwarenessEntry> e1 = {{1, 1, R"({"a":1})"}, {2, 1, R"({"bb":22})"}};
  auto f = aw.footprint_after(e1, 7);
  EXPECT_EQ(f.owner_bytes, 16u);
  EXPECT_EQ(f.total_bytes, 16u);
  aw.apply(e1, 7, t0);
  EXPECT_EQ(aw.bytes(), 16u);
  EXPECT_EQ(aw.bytes_owned_by(7), 16u);
  std::vector<wire::AwarenessEntry> stale = {{1, 1, R"({"a":"ignored, same clock"})"}};
  EXPECT_EQ(aw.footprint_after(stale, 7).total_bytes, 16u);
  std::vector<wire::AwarenessEntry> twice = {{1, 2, R"({"a":12})"}, {1, 3, R"({"a":123})"}};
  auto g = aw.footprint_after(twice, 7);  // an id twice in one message never under-counts
  EXPECT_GE(g.total_bytes, 17u);
  aw.apply(twice, 7, t0);
  EXPECT_LE(aw.bytes(), g.total_bytes);
  EXPECT_EQ(aw.bytes(), 9u + 9u);
  std::vector<wire::AwarenessEntry> other = {{3, 1, R"({"c":3})"}};
  aw.apply(other, 8, t0 + std::chrono::seconds(10));
  EXPECT_FALSE(aw.remove_owner(7).empty());
  EXPECT_EQ(aw.bytes(), 7u);
  EXPECT_FALSE(aw.expire(t0 + std::chrono::seconds(20)).empty());
  EXPECT_EQ(aw.bytes(), 0u);
}

}  // namespace
}  // namespace mockloop::room
