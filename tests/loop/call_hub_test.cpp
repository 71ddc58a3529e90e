// Calls (issue 17) through the real SessionHub: who may signal whom (same round's call
// only; another loop's token, another round, a revoked token and a non-member reach
// nobody), listen-only observers and the host's grant, the named limits (peers per call,
// SDP size, signal rate), a reload replacing the earlier page, the call following the loop,
// and TURN credentials in the reply to CallJoin.
#include "loop/call_hub.hpp"

#include <mutex>
#include <optional>

#include "loop/call_limits.hpp"
#include "loop/session_hub.hpp"
#include "loop/turn_credentials.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

class FakePeer : public room::Peer {
 public:
  uint64_t id() const override { return 2; }
  void send(std::shared_ptr<const std::vector<uint8_t>> frame) override {
    std::lock_guard lock(mu_);
    frames_.emplace_back(frame->begin(), frame->end());
  }
  void close(uint16_t c, std::string) override {
    std::lock_guard lock(mu_);
    code = c;
  }
  void pause_reads_until(std::chrono::steady_clock::time_point until) override {
    std::lock_guard lock(mu_);
    if (until > std::chrono::steady_clock::now()) ++pauses;
  }
  std::vector<v1::ServerMessage> take() {
    std::lock_guard lock(mu_);
    std::vector<v1::ServerMessage> out;
    for (const auto& f : frames_) {
      v1::ServerMessage m;
      EXPECT_TRUE(m.ParseFromString(f));
      out.push_back(m);
    }
    frames_.clear();
    return out;
  }
  uint16_t code = 0;
  int pauses = 0;

 private:
  std::mutex mu_;
  std::vector<std::string> frames_;
};

std::vector<v1::CallSignal> signals(const std::vector<v1::ServerMessage>& msgs) {
  std::vector<v1::CallSignal> out;
  for (const auto& m : msgs)
    if (m.has_call_signal()) out.push_back(m.call_signal());
  return out;
}

std::string error_code(const std::vector<v1::ServerMessage>& msgs) {
  for (const auto& m : msgs)
    if (m.has_error()) return m.error().code();
  return "";
}

// A copy: the messages are usually a temporary.
std::optional<v1::CallState> last_state(const std::vector<v1::ServerMessage>& msgs) {
  for (auto it = msgs.rbegin(); it != msgs.rend(); ++it)
    if (it->has_call_state()) return it->call_state();
  return std::nullopt;
}

const char* kTalkSdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=sendrecv\r\n";
const char* kListenSdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=recvonly\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=recvonly\r\n";

}  // namespace

class CallHubTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    create_l6_loop();
    CallOptions o;
    o.ice_servers = {"stun:stun.example.org:3478", "turn:turn.example.org:3478?transport=udp",
                     "turns:turn.example.org:443?transport=tcp"};
    o.turn_secret = "north";
    hub_ = std::make_unique<SessionHub>(*service_, SessionHubOptions{}, o);
    auto host = service_->authenticate(tokens_["host"]);
    ASSERT_TRUE(host.ok());
    ASSERT_TRUE(service_->move_loop(*host, 1, false).ok());
    for (const auto& [who, token] : tokens_) pids_[who] = service_->authenticate(token)->participant.id();
  }
  void TearDown() override {
    sessions_.clear();
    hub_.reset();
    LoopFixture::TearDown();
  }
  // Opens `who`'s session (on the loop's current round 1, or `round`).
  FakePeer& open(const std::string& who, const std::string& token, std::optional<uint32_t> round = std::nullopt) {
    auto peer = std::make_shared<FakePeer>();
    sessions_[who] = hub_->open(token, peer);
    peers_[who] = peer;
    hub_->wait_idle();
    if (round) {
      v1::ClientMessage m;
      m.mutable_join_round()->set_round_index(*round);
      send(who, m);
    }
    return *peer;
  }
  FakePeer& open(const std::string& who) { return open(who, tokens_.at(who)); }
  void send(const std::string& who, const v1::ClientMessage& m) {
    std::string s = m.SerializeAsString();
    sessions_.at(who)->on_message(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    hub_->wait_idle();
  }
  void join_call(const std::string& who) {
    v1::ClientMessage m;
    m.set_request_id(40);
    m.mutable_call_join();
    send(who, m);
  }
  void signal(const std::string& from, const std::string& to_pid, const char* sdp = kTalkSdp, uint64_t epoch = 0) {
    v1::ClientMessage m;
    m.set_request_id(41);
    m.mutable_call_signal()->set_peer_id(to_pid);
    m.mutable_call_signal()->set_peer_epoch(epoch);
    m.mutable_call_signal()->mutable_description()->set_type("offer");
    m.mutable_call_signal()->mutable_description()->set_sdp(sdp);
    send(from, m);
  }
  void drain() {
    for (auto& [who, p] : peers_) p->take();
  }

  std::unique_ptr<SessionHub> hub_;
  std::map<std::string, std::string> pids_;
  std::map<std::string, std::shared_ptr<FakePeer>> peers_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
};

TEST_F(CallHubTest, MembersOfTheRoundsCallSignalEachOtherOnly) {
  for (const char* who : {"host", "iv1", "candidate", "iv2"}) open(who);
  // The snapshot tells the call's state before anyone joins.
  join_call("host");
  auto host_msgs = peers_["host"]->take();
  auto st = last_state(host_msgs);
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->joined());
  EXPECT_TRUE(st->may_talk());
  EXPECT_TRUE(st->can_allow_talk());
  EXPECT_EQ(st->max_peers(), kMaxCallPeers);
  join_call("iv1");
  join_call("candidate");
  // Everyone in the round (iv2 too, who has not joined) sees who is in the call.
  auto iv2_state = last_state(peers_["iv2"]->take());
  ASSERT_TRUE(iv2_state);
  EXPECT_FALSE(iv2_state->joined());
  EXPECT_EQ(iv2_state->peers_size(), 3);
  drain();

  signal("host", pids_["candidate"]);
  auto got = signals(peers_["candidate"]->take());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].peer_id(), pids_["host"]);
  EXPECT_GT(got[0].peer_epoch(), 0u);
  EXPECT_EQ(got[0].description().sdp(), kTalkSdp);
  EXPECT_TRUE(signals(peers_["iv1"]->take()).empty());
  EXPECT_TRUE(peers_["host"]->take().empty());  // no reply on success

  // iv2 is in the round but not in the call: it can neither signal nor be signalled.
  signal("iv2", pids_["host"]);
  EXPECT_EQ(error_code(peers_["iv2"]->take()), "forbidden");
  signal("host", pids_["iv2"]);
  EXPECT_EQ(error_code(peers_["host"]->take()), "not_found");
  EXPECT_TRUE(signals(peers_["iv2"]->take()).empty());
  EXPECT_TRUE(signals(peers_["host"]->take()).empty());
}

TEST_F(CallHubTest, AnotherRoundAnotherLoopAndAStudyTokenReachNobody) {
  open("host");
  open("candidate");
  join_call("host");
  join_call("candidate");
  // iv1 looks at round 2 and joins that round's call: it is not the round-1 call.
  open("iv1", tokens_["iv1"], 2u);
  join_call("iv1");
  // Another loop's host, in its own call, names our candidate.
  auto other = json(call("POST", "/api/loops", "", R"({"templateId":"l6-loop","hostName":"Eve"})"));
  open("eve", other["invites"][0]["token"]);
  join_call("eve");
  drain();
  signal("iv1", pids_["candidate"]);
  EXPECT_EQ(error_code(peers_["iv1"]->take()), "not_found");
  signal("eve", pids_["candidate"]);
  EXPECT_EQ(error_code(peers_["eve"]->take()), "not_found");
  signal("eve", pids_["host"]);
  EXPECT_TRUE(signals(peers_["candidate"]->take()).empty());
  EXPECT_TRUE(signals(peers_["host"]->take()).empty());
  // A study token cannot open a loop session at all.
  auto study = json(call("POST", "/api/study-rooms", "", "{}"));
  auto& sp = open("study", study["token"]);
  EXPECT_EQ(sp.code, close_code(Errc::forbidden));
}

TEST_F(CallHubTest, ARevokedTokenLeavesTheCallAndIsSignalledByNobody) {
  open("host");
  open("iv1");
  open("candidate");
  for (const char* who : {"host", "iv1", "candidate"}) join_call(who);
  drain();
  EXPECT_EQ(hub_->call_member_count(), 3u);
  auto r = call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["iv1"] + "/revoke", tokens_["host"]);
  ASSERT_EQ(r.status, 200);
  hub_->wait_idle();
  EXPECT_EQ(peers_["iv1"]->code, kCloseRevoked);
  EXPECT_EQ(hub_->call_member_count(), 2u);
  auto st = last_state(peers_["candidate"]->take());
  ASSERT_TRUE(st);
  ASSERT_EQ(st->peers_size(), 1);
  EXPECT_EQ(st->peers(0).participant_id(), pids_["host"]);
  peers_["iv1"]->take();
  signal("host", pids_["iv1"]);
  EXPECT_EQ(error_code(peers_["host"]->take()), "not_found");
  signal("iv1", pids_["host"]);  // its session is closed: ignored
  EXPECT_TRUE(peers_["iv1"]->take().empty());
  EXPECT_TRUE(signals(peers_["host"]->take()).empty());
}

TEST_F(CallHubTest, ObserversListenUntilTheHostLetsThemTalk) {
  open("host");
  open("observer");
  open("iv1");
  for (const char* who : {"host", "observer", "iv1"}) join_call(who);
  auto st = last_state(peers_["observer"]->take());
  ASSERT_TRUE(st);
  EXPECT_FALSE(st->may_talk());
  EXPECT_FALSE(st->can_allow_talk());
  drain();
  signal("observer", pids_["host"], kTalkSdp);
  EXPECT_EQ(error_code(peers_["observer"]->take()), "forbidden");
  EXPECT_TRUE(signals(peers_["host"]->take()).empty());
  signal("observer", pids_["host"], kListenSdp);
  EXPECT_EQ(signals(peers_["host"]->take()).size(), 1u);

  // Only the host may grant.
  v1::ClientMessage grant;
  grant.set_request_id(42);
  grant.mutable_call_allow_talk()->set_participant_id(pids_["observer"]);
  grant.mutable_call_allow_talk()->set_allowed(true);
  send("iv1", grant);
  EXPECT_EQ(error_code(peers_["iv1"]->take()), "forbidden");
  send("host", grant);
  st = last_state(peers_["observer"]->take());
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->may_talk());
  signal("observer", pids_["host"], kTalkSdp);
  EXPECT_EQ(signals(peers_["host"]->take()).size(), 1u);
  // The grant holds when the observer comes back.
  open("observer");
  join_call("observer");
  st = last_state(peers_["observer"]->take());
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->may_talk());
}

TEST_F(CallHubTest, AReloadReplacesTheEarlierPageWithANewEpoch) {
  open("host");
  open("candidate");
  join_call("host");
  join_call("candidate");
  const uint64_t first = last_state(peers_["host"]->take())->peers(0).epoch();
  auto old_session = sessions_["candidate"];
  auto old_peer = peers_["candidate"];
  open("candidate");  // the reloaded page; the old socket has not closed yet
  join_call("candidate");
  // The old page is told why it is out of the call (then sees the call like anyone in the round).
  bool told = false;
  for (const auto& m : old_peer->take())
    if (m.has_call_state() && !m.call_state().joined() && !m.call_state().ended_reason().empty()) told = true;
  EXPECT_TRUE(told);
  auto st = last_state(peers_["host"]->take());
  ASSERT_TRUE(st);
  ASSERT_EQ(st->peers_size(), 1);
  EXPECT_GT(st->peers(0).epoch(), first);
  // A signal for the old epoch is stale; the new one goes to the new page.
  signal("host", pids_["candidate"], kTalkSdp, first);
  EXPECT_EQ(error_code(peers_["host"]->take()), "not_found");
  signal("host", pids_["candidate"], kTalkSdp, st->peers(0).epoch());
  EXPECT_EQ(signals(peers_["candidate"]->take()).size(), 1u);
  EXPECT_TRUE(signals(old_peer->take()).empty());
  old_session->leave();  // the old socket closes at last: the new page stays in the call
  hub_->wait_idle();
  EXPECT_EQ(hub_->call_member_count(), 2u);
}

TEST_F(CallHubTest, TheCallFollowsTheLoop) {
  open("host");
  open("candidate");
  open("bar_raiser");
  for (const char* who : {"host", "candidate", "bar_raiser"}) join_call(who);
  drain();
  v1::ClientMessage move;
  move.mutable_move_loop()->set_round_index(2);
  send("host", move);
  // Everyone followed into round 2; they left the round-1 call (the page joins again).
  EXPECT_EQ(hub_->call_member_count(), 0u);
  auto msgs = peers_["candidate"]->take();
  bool snap = false;
  for (const auto& m : msgs)
    if (m.has_snapshot()) {
      snap = true;
      EXPECT_EQ(m.snapshot().call().round_index(), 2u);
      EXPECT_FALSE(m.snapshot().call().joined());
    }
  EXPECT_TRUE(snap);
  join_call("host");
  join_call("candidate");
  auto st = last_state(peers_["candidate"]->take());
  ASSERT_TRUE(st);
  EXPECT_EQ(st->round_index(), 2u);
  EXPECT_EQ(st->peers_size(), 1);
}

TEST_F(CallHubTest, LimitsPeersSdpSizeAndSignalRate) {
  // Six people fill the call; a seventh is refused.
  for (const char* who : {"host", "iv1", "iv2", "bar_raiser", "observer", "candidate"}) {
    open(who);
    join_call(who);
  }
  EXPECT_EQ(hub_->call_member_count(), kMaxCallPeers);
  v1::ParticipantSpec spec;
  spec.set_display_name("Zed");
  spec.set_role(v1::ROLE_OBSERVER);
  auto host = service_->authenticate(tokens_["host"]);
  auto added = service_->add_participant(*host, loop_id_, spec);
  ASSERT_TRUE(added.ok()) << added.error().message;
  open("zed", added->invite().token());
  drain();
  join_call("zed");
  EXPECT_EQ(error_code(peers_["zed"]->take()), "conflict");
  EXPECT_EQ(hub_->call_member_count(), kMaxCallPeers);

  signal("host", pids_["iv1"], std::string(kMaxCallSdpBytes + 1, 'x').c_str());
  EXPECT_EQ(error_code(peers_["host"]->take()), "payload_too_large");
  EXPECT_TRUE(signals(peers_["iv1"]->take()).empty());

  // Candidates past the rate pause the sender's reads (slowed, not cut off: all relayed).
  const int n = static_cast<int>(kCallSignalBurst) + 40;
  for (int i = 0; i < n; ++i) {
    v1::ClientMessage m;
    m.mutable_call_signal()->set_peer_id(pids_["iv1"]);
    m.mutable_call_signal()->mutable_candidate()->set_candidate("candidate:1 1 udp 1 10.0.0.1 " +
                                                                 std::to_string(1000 + i) + " typ host");
    send("host", m);
  }
  EXPECT_GT(peers_["host"]->pauses, 0);
  EXPECT_EQ(peers_["host"]->code, 0);
  EXPECT_EQ(signals(peers_["iv1"]->take()).size(), static_cast<size_t>(n));
}

TEST_F(CallHubTest, JoiningHandsOutShortLivedTurnCredentials) {
  open("candidate");
  join_call("candidate");
  auto st = last_state(peers_["candidate"]->take());
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->turn_configured());
  ASSERT_EQ(st->ice_servers_size(), 2);
  EXPECT_EQ(st->ice_servers(0).urls(0), "stun:stun.example.org:3478");
  EXPECT_TRUE(st->ice_servers(0).username().empty());
  const auto& turn = st->ice_servers(1);
  ASSERT_EQ(turn.urls_size(), 2);
  const int64_t expiry = clock_.now() / 1000 + 3600;
  EXPECT_EQ(turn.username(), std::to_string(expiry) + ":" + pids_["candidate"]);
  EXPECT_EQ(turn.credential(), turn_password("north", turn.username()));
  EXPECT_EQ(st->ice_expires_at_ms(), expiry * 1000);
}
