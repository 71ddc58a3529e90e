// PrincipalIndex: closing by principal reaches every tracked connection of that key (and no
// other), once; untracked and gone connections are not closed; empty keys are not indexed.
#include "room/principal_index.hpp"

#include <gtest/gtest.h>

namespace mockloop::room {
namespace {

class RecordingPeer : public Peer {
 public:
  explicit RecordingPeer(uint64_t id) : id_(id) {}
  uint64_t id() const override { return id_; }
  void send(std::shared_ptr<const std::vector<uint8_t>>) override {}
  void close(uint16_t c, std::string r) override {
    ++closes;
    code = c;
    reason = std::move(r);
  }
  int closes = 0;
  uint16_t code = 0;
  std::string reason;

 private:
  uint64_t id_;
};

TEST(PrincipalIndex, ClosesEveryConnectionOfThePrincipalAndNoOther) {
  PrincipalIndex index;
  auto a1 = std::make_shared<RecordingPeer>(1), a2 = std::make_shared<RecordingPeer>(2);
  auto b = std::make_shared<RecordingPeer>(3), anon = std::make_shared<RecordingPeer>(4);
  index.track("token-a", a1);
  index.track("token-a", a2);
  index.track("token-b", b);
  index.track("", anon);
  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(index.close_all("token-a", 4401, "invite revoked"), 2u);
  EXPECT_EQ(a1->code, 4401);
  EXPECT_EQ(a2->reason, "invite revoked");
  EXPECT_EQ(b->closes, 0);
  EXPECT_EQ(anon->closes, 0);
  EXPECT_EQ(index.close_all("token-a", 4401, "again"), 0u);
  EXPECT_EQ(a1->closes, 1);
  EXPECT_EQ(index.size(), 1u);
}

TEST(PrincipalIndex, UntrackedAndGoneConnectionsAreNotClosed) {
  PrincipalIndex index;
  auto kept = std::make_shared<RecordingPeer>(1), left = std::make_shared<RecordingPeer>(2);
  index.track("t", kept);
  index.track("t", left);
  {
    auto gone = std::make_shared<RecordingPeer>(3);
    index.track("t", gone);
  }
  index.untrack("t", 2);
  EXPECT_EQ(index.close_all("t", 4401, "x"), 1u);
  EXPECT_EQ(kept->closes, 1);
  EXPECT_EQ(left->closes, 0);
  index.track("u", kept);
  index.untrack("u", 1);
  EXPECT_EQ(index.size(), 0u);
}

}  // namespace
}  // namespace mockloop::room
