// The closing handshake from either side, as transitions of WsState.
#include "net/ws_state.hpp"

#include <gtest/gtest.h>

namespace mockloop::net {
namespace {

using Phase = WsState::Phase;
using Do = WsState::Do;

WsState open_state() {
  WsState s;
  EXPECT_TRUE(s.handshake_written());
  EXPECT_TRUE(s.open());
  return s;
}

TEST(WsState, ARefusedHandshakeFinishesWhenWritten) {
  WsState s;
  s.refuse_handshake();
  EXPECT_FALSE(s.handshake_written());
  EXPECT_TRUE(s.deadline_ends_it());
  EXPECT_EQ(s.close_requested(), Do::finish);  // nothing is sent before the 101
}

TEST(WsState, ServerClosesFirst) {
  WsState s = open_state();
  EXPECT_EQ(s.close_requested(), Do::send_close);
  EXPECT_EQ(s.phase(), Phase::closing);
  EXPECT_EQ(s.close_requested(), Do::nothing);  // once
  EXPECT_FALSE(s.deadline_ends_it());
  EXPECT_EQ(s.close_written(false), Do::wait_for_peer);
  EXPECT_TRUE(s.deadline_ends_it());  // the close timeout
  EXPECT_EQ(s.peer_closed(), Do::finish);
  EXPECT_TRUE(s.finish());
  EXPECT_FALSE(s.finish());
}

TEST(WsState, PeerClosesFirstAndIsEchoed) {
  WsState s = open_state();
  EXPECT_EQ(s.peer_closed(), Do::send_close);
  EXPECT_EQ(s.phase(), Phase::closing_received);
  EXPECT_FALSE(s.open());  // no more messages to the handler
  EXPECT_EQ(s.close_requested(), Do::nothing);
  EXPECT_EQ(s.close_written(false), Do::finish);
}

TEST(WsState, BothCloseAtOnce) {
  WsState s = open_state();
  EXPECT_EQ(s.close_requested(), Do::send_close);
  EXPECT_EQ(s.peer_closed(), Do::nothing);  // ours is already queued
  EXPECT_EQ(s.close_written(false), Do::finish);
}

TEST(WsState, AfterAProtocolErrorTheCloseWrittenEndsIt) {
  WsState s = open_state();
  EXPECT_EQ(s.close_requested(), Do::send_close);
  EXPECT_EQ(s.close_written(/*reader_failed=*/true), Do::finish);
}

TEST(WsState, NothingHappensAfterClosed) {
  WsState s = open_state();
  EXPECT_TRUE(s.finish());
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(s.close_requested(), Do::nothing);
  EXPECT_EQ(s.peer_closed(), Do::nothing);
  EXPECT_FALSE(s.deadline_ends_it());
}

}  // namespace
}  // namespace mockloop::net
