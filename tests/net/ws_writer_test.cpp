// The write path without sockets: what a batch carries and in which order, the limits
// (control frames included), coalesced pongs, the high-water mark, short writes.
#include "net/ws_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mockloop::net {
namespace {

using Bytes = std::vector<uint8_t>;
using Push = WsWriter::Push;

WsWriter::Frame msg(std::size_t n, uint8_t fill = 'x') { return std::make_shared<const Bytes>(n, fill); }

// The bytes the current batch would put on the wire.
Bytes wire(const WsWriter& w) {
  Bytes out;
  for (const auto& b : w.buffers()) {
    auto* p = static_cast<const uint8_t*>(b.iov_base);
    out.insert(out.end(), p, p + b.iov_len);
  }
  return out;
}

// Splits server frames (unmasked, unfragmented) into (opcode, payload).
std::vector<std::pair<uint8_t, Bytes>> frames(const Bytes& data) {
  std::vector<std::pair<uint8_t, Bytes>> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    uint8_t op = data[pos] & 0x0F;
    uint64_t len = data[pos + 1] & 0x7F;
    std::size_t h = 2;
    if (len == 126) {
      len = (uint64_t{data[pos + 2]} << 8) | data[pos + 3];
      h = 4;
    } else if (len == 127) {
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | data[pos + 2 + i];
      h = 10;
    }
    out.emplace_back(op, Bytes(data.begin() + static_cast<long>(pos + h), data.begin() + static_cast<long>(pos + h + len)));
    pos += h + len;
  }
  return out;
}

WsWriter::Limits small_limits() {
  WsWriter::Limits l;
  l.max_frames = 8;
  l.max_bytes = 100000;
  l.high_water_frames = 4;
  l.high_water_bytes = 50000;
  return l;
}

TEST(WsWriter, TheFirstPushSchedulesLaterOnesRideAlongUntilTheBatchIsTaken) {
  WsWriter w(small_limits());
  EXPECT_EQ(w.push_message(msg(3, 'a')), Push::schedule);
  EXPECT_EQ(w.push_message(msg(5000, 'b')), Push::queued);  // large: referenced, not copied
  EXPECT_EQ(w.push_message(msg(1, 'c')), Push::queued);
  ASSERT_TRUE(w.take_batch());
  auto f = frames(wire(w));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0], std::make_pair(uint8_t{ws::kBinary}, Bytes(3, 'a')));
  EXPECT_EQ(f[1].second, Bytes(5000, 'b'));
  EXPECT_EQ(f[2].second, Bytes(1, 'c'));
  EXPECT_EQ(w.batch_bytes(), wire(w).size());
  EXPECT_TRUE(w.advance(w.batch_bytes()));
  auto done = w.finish_batch();
  EXPECT_EQ(done.messages, 3u);
  EXPECT_FALSE(done.had_close);
  EXPECT_FALSE(w.take_batch());  // idle: the next push schedules again
  EXPECT_EQ(w.push_message(msg(1)), Push::schedule);
}

TEST(WsWriter, AShortWriteLeavesExactlyTheRest) {
  WsWriter w(small_limits());
  w.push_message(msg(10, 'a'));
  w.push_message(msg(6000, 'b'));
  w.push_message(msg(7, 'c'));
  ASSERT_TRUE(w.take_batch());
  Bytes all = wire(w);
  Bytes got;
  for (std::size_t step : {1u, 11u, 3000u, 5u}) {
    Bytes rest = wire(w);
    std::size_t n = std::min(step, rest.size());
    got.insert(got.end(), rest.begin(), rest.begin() + static_cast<long>(n));
    EXPECT_FALSE(w.advance(n));
  }
  Bytes rest = wire(w);
  got.insert(got.end(), rest.begin(), rest.end());
  EXPECT_TRUE(w.advance(rest.size()));
  EXPECT_EQ(got, all);
}

TEST(WsWriter, PongsAreCoalescedAndGoFirst) {
  WsWriter w(small_limits());
  w.push_message(msg(2, 'm'));
  Bytes p1{'1'}, p2{'2'}, p3{'3'};
  EXPECT_EQ(w.push_pong(p1), Push::queued);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(w.push_pong(p2), Push::queued);  // a flood: one pong
  EXPECT_EQ(w.push_pong(p3), Push::queued);
  EXPECT_FALSE(w.over_high_water());  // 2 frames queued
  ASSERT_TRUE(w.take_batch());
  auto f = frames(wire(w));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0], std::make_pair(uint8_t{ws::kPong}, p3));  // only the latest ping is answered
  EXPECT_EQ(f[1].first, ws::kBinary);
}

TEST(WsWriter, ControlFramesCountAgainstTheLimitsAndOverflowRefusesAllButTheClose) {
  WsWriter w(small_limits());  // at most 8 frames
  for (int i = 0; i < 6; ++i) w.push_message(msg(1));
  EXPECT_EQ(w.push_ping(), Push::queued);
  EXPECT_EQ(w.push_pong(Bytes{'p'}), Push::queued);  // 8 frames
  EXPECT_EQ(w.push_message(msg(1)), Push::overflow);
  EXPECT_EQ(w.push_message(msg(1)), Push::dropped);
  EXPECT_EQ(w.push_pong(Bytes{'q'}), Push::dropped);
  EXPECT_NE(w.push_close(ws::close_payload(1013, "full")), Push::dropped);  // the close still goes
  ASSERT_TRUE(w.take_batch());
  auto f = frames(wire(w));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].first, ws::kClose);
}

TEST(WsWriter, BytesLimitCountsEveryPayload) {
  WsWriter::Limits l = small_limits();
  l.max_bytes = 10;
  WsWriter w(l);
  EXPECT_EQ(w.push_message(msg(9)), Push::schedule);
  EXPECT_EQ(w.push_pong(Bytes{'a', 'b'}), Push::overflow);  // 9 + 2 > 10
}

TEST(WsWriter, HighWaterFollowsWhatIsQueuedOrInFlight) {
  WsWriter w(small_limits());  // high water: 4 frames
  for (int i = 0; i < 5; ++i) w.push_message(msg(1));
  EXPECT_TRUE(w.over_high_water());
  ASSERT_TRUE(w.take_batch());
  EXPECT_TRUE(w.over_high_water());  // in flight still counts
  w.advance(w.batch_bytes());
  w.finish_batch();
  EXPECT_FALSE(w.over_high_water());
}

TEST(WsWriter, NothingIsWrittenAfterTheCloseFrame) {
  WsWriter w(small_limits());
  w.push_message(msg(1, 'a'));
  w.push_close(ws::close_payload(1000, "bye"));
  EXPECT_EQ(w.push_message(msg(1, 'b')), Push::dropped);
  EXPECT_EQ(w.push_close(ws::close_payload(1001, "again")), Push::dropped);
  ASSERT_TRUE(w.take_batch());
  auto f = frames(wire(w));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1].first, ws::kClose);
  w.advance(w.batch_bytes());
  EXPECT_TRUE(w.finish_batch().had_close);
}

TEST(WsWriter, AtMostMaxFramesPerWriteGoInOneBatch) {
  WsWriter::Limits l;
  WsWriter w(l);
  for (std::size_t i = 0; i < WsWriter::kMaxFramesPerWrite + 10; ++i) w.push_message(msg(1));
  ASSERT_TRUE(w.take_batch());
  EXPECT_EQ(frames(wire(w)).size(), WsWriter::kMaxFramesPerWrite);
  w.advance(w.batch_bytes());
  w.finish_batch();
  ASSERT_TRUE(w.take_batch());
  EXPECT_EQ(frames(wire(w)).size(), 10u);
}

TEST(WsWriter, ShutDropsEverything) {
  WsWriter w(small_limits());
  w.push_message(msg(1));
  w.shut();
  EXPECT_FALSE(w.take_batch());
  EXPECT_EQ(w.push_message(msg(1)), Push::dropped);
  EXPECT_EQ(w.push_close(ws::close_payload(1000, "")), Push::dropped);
}

}  // namespace
}  // namespace mockloop::net
