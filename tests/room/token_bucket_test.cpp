// The token bucket owes what it does not have and says how long to wait it off.
#include "room/token_bucket.hpp"

#include <gtest/gtest.h>

namespace mockloop::room {
namespace {

using Clock = TokenBucket::Clock;
using std::chrono::milliseconds;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

TEST(TokenBucket, TheBurstIsFreeThenEachTakeIsOwedAndTimed) {
  TokenBucket b(100, 3);  // 100/s: one token per 10 ms
  Clock::time_point t = Clock::now() + milliseconds(1);  // after construction
  for (int i = 0; i < 3; ++i) EXPECT_EQ(b.take(t), Clock::duration::zero());
  EXPECT_EQ(b.owed(), 0);
  auto wait = b.take(t);  // owes 1
  EXPECT_NEAR(ms(wait), 10.0, 0.5);
  EXPECT_NEAR(b.owed(), 1.0, 0.01);
  wait = b.take(t);  // owes 2: wait twice as long
  EXPECT_NEAR(ms(wait), 20.0, 0.5);
}

TEST(TokenBucket, WaitingTheDebtOffRepaysIt) {
  TokenBucket b(100, 1);
  Clock::time_point t = Clock::now() + milliseconds(1);
  b.take(t);
  auto wait = b.take(t);
  t += wait + milliseconds(10);  // the debt, then one more token
  EXPECT_EQ(b.take(t), Clock::duration::zero());
  EXPECT_EQ(b.owed(), 0);
}

TEST(TokenBucket, RefillStopsAtTheBurst) {
  TokenBucket b(1000, 2);
  Clock::time_point t = Clock::now() + std::chrono::seconds(10);
  EXPECT_EQ(b.take(t), Clock::duration::zero());
  EXPECT_EQ(b.take(t), Clock::duration::zero());
  EXPECT_GT(b.take(t), Clock::duration::zero());
}

}  // namespace
}  // namespace mockloop::room
