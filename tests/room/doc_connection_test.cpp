#include "room/doc_connection.hpp"

#include <gtest/gtest.h>

#include <random>

#include "room/room_metrics.hpp"
#include "room_test_util.hpp"

namespace mockloop::room {
namespace {

using test::Client;
using test::TempDir;

class DocConnectionTest : public ::testing::Test {
 protected:
  // commit_on_caller: as the server runs it (services.cpp), the thread that calls commit()
  // commits and broadcasts; without it a writer thread commits whenever it wakes.
  void open(Limits limits = {}, bool commit_on_caller = false) {
    RegistryOptions o;
    o.db_path = dir_.file("d.db");
    o.limits = limits;
    o.writer.commit_on_caller = commit_on_caller;
    reg_ = DocRegistry::open(std::move(o)).value();
    ASSERT_TRUE(a_.join(*reg_, "doc"));
    ASSERT_TRUE(b_.join(*reg_, "doc"));
    a_.type("base");
    reg_->flush();
    a_.receive();
    b_.receive();
  }
  TempDir dir_;
  std::unique_ptr<DocRegistry> reg_;
  Client a_{1, 101}, b_{2, 102};
};

TEST_F(DocConnectionTest, MalformedUpdateClosesOnlyTheSenderAndChangesNothing) {
  open();
  auto before = a_.doc.state_vector_v1();
  std::vector<uint8_t> garbage = {0xff, 0xff, 0xff, 0x01, 0x02};
  a_.send(wire::encode_sync_update(garbage));
  reg_->flush();
  EXPECT_EQ(a_.peer->close_code(), kCloseInvalidPayload);
  EXPECT_EQ(a_.peer->close_reason(), "invalid update");
  EXPECT_EQ(b_.peer->close_code(), 0);
  EXPECT_EQ(b_.peer->pending(), 0u);
  Client c(3, 103);
  ASSERT_TRUE(c.join(*reg_, "doc"));
  c.send_step1();
  reg_->flush();
  c.receive();
  EXPECT_EQ(c.text(), "base");
  EXPECT_EQ(c.doc.state_vector_v1(), before);
}

TEST_F(DocConnectionTest, MalformedFramesPickTheirCloseCode) {
  open();
  struct Case {
    std::vector<uint8_t> frame;
    uint16_t code;
  };
  std::vector<Case> cases = {
      {{0x07}, kCloseUnsupportedData},                    // unknown message type
      {{0x00, 0x09, 0x00}, kCloseUnsupportedData},        // unknown sync type
      {{0x00, 0x02, 0x05, 0x01}, kCloseInvalidPayload},   // truncated payload
      {{0x00, 0x02, 0xff}, kCloseInvalidPayload},         // truncated varint
      {{0x03, 0x00}, kCloseInvalidPayload},               // trailing bytes
      {{}, kCloseInvalidPayload},                         // empty
      {{0x01, 0x02, 0x01, 0x05}, kCloseInvalidPayload},   // awareness update truncated
  };
  uint64_t id = 10;
  for (const auto& c : cases) {
    Client x(id, id + 1000);
    ++id;
    ASSERT_TRUE(x.join(*reg_, "doc"));
    x.send(c.frame);
    EXPECT_EQ(x.peer->close_code(), c.code);
  }
  EXPECT_EQ(b_.peer->close_code(), 0);
  reg_->flush();
  b_.receive();
  EXPECT_EQ(b_.text(), "base");
}

TEST_F(DocConnectionTest, RandomFramesNeverDisturbOthers) {
  open();
  std::mt19937 rng(7);
  Client seed(3, 103);
  auto valid = wire::encode_sync_update(seed.edit("seed text"));
  for (uint64_t i = 0; i < 300; ++i) {
    Client x(100 + i, 10000 + i);
    ASSERT_TRUE(x.join(*reg_, "doc"));
    auto frame = valid;
    for (int k = 0; k < 3; ++k) frame[rng() % frame.size()] = static_cast<uint8_t>(rng());
    x.send(frame);
    x.conn.reset();
  }
  reg_->flush();
  EXPECT_EQ(b_.peer->close_code(), 0);
  b_.receive();  // whatever was valid converges
  Client c(4, 104);
  ASSERT_TRUE(c.join(*reg_, "doc"));
  c.send_step1();
  reg_->flush();
  c.receive();
  EXPECT_EQ(c.text(), b_.text());
}

TEST_F(DocConnectionTest, OverTheRateThePeerIsPausedNotClosed) {
  Limits limits;
  limits.max_updates_per_second = 0.001;
  limits.update_burst = 5;
  open(limits);  // a_ spent one token
  for (int i = 0; i < 4; ++i) a_.type("x");
  EXPECT_EQ(a_.peer->pauses(), 0);
  a_.type("y");  // over the rate: handled, and the transport is asked to pause reads
  EXPECT_EQ(a_.peer->close_code(), 0);
  EXPECT_EQ(a_.peer->pauses(), 1);
  reg_->flush();
  b_.receive();
  EXPECT_EQ(b_.text(), "basexxxxy");
}

TEST_F(DocConnectionTest, APeerThatKeepsSendingThroughItsPausesIsClosedWith4429) {
  Limits limits;
  limits.max_updates_per_second = 0.001;
  limits.update_burst = 5;
  limits.max_update_debt = 3;
  open(limits);
  for (int i = 0; i < 4; ++i) a_.type("x");
  for (int i = 0; i < 3; ++i) a_.type("y");  // owed 1..3: paused each time
  EXPECT_EQ(a_.peer->close_code(), 0);
  EXPECT_EQ(a_.peer->pauses(), 3);
  a_.type("z");  // owed 4 > 3: the peer ignored its pauses
  EXPECT_EQ(a_.peer->close_code(), kCloseRateAbuse);
  EXPECT_EQ(a_.peer->close_reason(), "rate limit: kept sending while paused");
  reg_->flush();
  b_.receive();
  EXPECT_EQ(b_.text(), "basexxxxyyy");
}

TEST_F(DocConnectionTest, ReadOnlyUpdatesAreIgnoredButSyncWorks) {
  open();
  Client viewer(5, 105);
  ASSERT_TRUE(viewer.join(*reg_, "doc", /*read_only=*/true));
  viewer.send_step1();
  reg_->flush();
  viewer.receive();
  EXPECT_EQ(viewer.text(), "base");
  viewer.type("!");
  reg_->flush();
  EXPECT_EQ(viewer.peer->close_code(), 0);
  EXPECT_EQ(b_.peer->pending(), 0u);
}

TEST_F(DocConnectionTest, MessagesAfterLeaveAreIgnored) {
  open();
  a_.conn->leave();
  a_.type("late");
  reg_->flush();
  EXPECT_EQ(b_.peer->pending(), 0u);
}

}  // namespace
}  // namespace mockloop::room

namespace mockloop::room {
namespace {

// The production path: a session hands every message of one read to handle() and commits
// them together at the end of the read (WsHandler::on_read_done). Nothing is broadcast before
// the commit, the messages share one transaction, and each reaches the others once.
TEST_F(DocConnectionTest, HandledMessagesWaitForTheCommitAndShareOneTransaction) {
  open({}, /*commit_on_caller=*/true);
  auto& commits = RoomMetrics::get().commits;
  auto& ops = RoomMetrics::get().committed_ops;
  const auto commits0 = commits.value();
  const auto ops0 = ops.value();
  const int updates0 = b_.update_count;
  for (const char* s : {" one", " two", " three"}) a_.conn->handle(wire::encode_sync_update(a_.edit(s)));
  EXPECT_EQ(b_.peer->pending(), 0u) << "nothing leaves before the commit";
  EXPECT_EQ(commits.value(), commits0);
  a_.conn->commit();
  EXPECT_EQ(commits.value() - commits0, 1u) << "one transaction for the read";
  reg_->flush();
  EXPECT_GE(ops.value() - ops0, 3u) << "the three updates are in it";
  b_.receive();
  EXPECT_EQ(b_.update_count - updates0, 3);
  EXPECT_EQ(b_.text(), "base one two three");
  EXPECT_EQ(a_.peer->pending(), 0u) << "the sender does not get its own updates back";

  // What was committed is what a restart loads.
  a_.conn.reset();
  b_.conn.reset();
  reg_.reset();
  RegistryOptions o;
  o.db_path = dir_.file("d.db");
  o.writer.commit_on_caller = true;
  reg_ = DocRegistry::open(std::move(o)).value();
  Client c(3, 103);
  ASSERT_TRUE(c.join(*reg_, "doc"));
  c.send_step1();
  reg_->flush();
  c.receive();
  EXPECT_EQ(c.text(), "base one two three");
}

// A malformed message in the middle of a read closes its sender; what the sender handled
// before it is still committed once and sent, and the others are unaffected.
TEST_F(DocConnectionTest, ABadMessageInABatchKeepsWhatCameBeforeIt) {
  open({}, /*commit_on_caller=*/true);
  a_.conn->handle(wire::encode_sync_update(a_.edit(" kept")));
  a_.conn->handle(wire::encode_sync_update(std::vector<uint8_t>{0xff, 0xff, 0xff, 0x01}));
  a_.conn->commit();
  reg_->flush();
  EXPECT_EQ(a_.peer->close_code(), kCloseInvalidPayload);
  EXPECT_EQ(b_.peer->close_code(), 0);
  b_.receive();
  EXPECT_EQ(b_.text(), "base kept");
}

}  // namespace
}  // namespace mockloop::room
