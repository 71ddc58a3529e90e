// Session protocol: per-role snapshots, the message authorization matrix, broadcasts
// built per role (nothing staff-only reaches a candidate or observer), malformed frames,
// revocation, auto-advance on tick, and where the loop is (MoveLoop: the broadcast, who
// follows, the candidate kept in the current round, server-timed breaks). The hub runs
// everything on its workers: each step waits for it (wait_idle) before looking at the frames.
#include "loop/session_hub.hpp"

#include <future>
#include <mutex>
#include <thread>

#include "loop/limits.hpp"
#include "loop/progress.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

// Called from the hub's workers (a broadcast may reach it from two at once); read by the
// test after wait_idle().
class FakePeer : public room::Peer {
 public:
  uint64_t id() const override { return 1; }
  void send(std::shared_ptr<const std::vector<uint8_t>> frame) override {
    std::lock_guard lock(mu_);
    frames.emplace_back(frame->begin(), frame->end());
  }
  void close(uint16_t c, std::string r) override {
    std::lock_guard lock(mu_);
    code = c;
    reason = std::move(r);
  }
  void pause_reads_until(std::chrono::steady_clock::time_point until) override {
    std::lock_guard lock(mu_);
    if (until > std::chrono::steady_clock::now()) ++pauses;
  }
  std::vector<v1::ServerMessage> messages() const {
    std::vector<v1::ServerMessage> out;
    for (const auto& f : frames) {
      v1::ServerMessage m;
      EXPECT_TRUE(m.ParseFromString(f));
      out.push_back(m);
    }
    return out;
  }
  v1::ServerMessage last() const { return messages().back(); }
  std::string all_bytes() const {
    std::string s;
    for (const auto& f : frames) s += f;
    return s;
  }
  std::vector<std::string> frames;
  uint16_t code = 0;
  std::string reason;
  int pauses = 0;

 private:
  std::mutex mu_;
};

std::vector<uint8_t> bytes(const v1::ClientMessage& m) {
  std::string s = m.SerializeAsString();
  return {s.begin(), s.end()};
}

}  // namespace

class SessionHubTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    create_l6_loop();
    hub_ = std::make_unique<SessionHub>(*service_);
    // The candidate may only be where the loop is: the tests below work in round 1.
    auto host = service_->authenticate(tokens_["host"]);
    ASSERT_TRUE(host.ok());
    ASSERT_TRUE(service_->move_loop(*host, 1, false).ok());
  }
  void TearDown() override {
    sessions_.clear();
    hub_.reset();
    LoopFixture::TearDown();
  }
  // Opens a session for `role` and moves it to round 1 (coding 1).
  FakePeer& open(const std::string& role, bool to_round1 = true) {
    auto peer = std::make_shared<FakePeer>();
    sessions_[role] = opened(tokens_.at(role), peer);
    EXPECT_EQ(peer->code, 0) << role << ": " << peer->reason;
    peers_[role] = peer;
    if (to_round1) send(role, join(1));
    return *peer;
  }
  // Opens a session and waits until it has opened or been refused.
  std::shared_ptr<Session> opened(const std::string& token, std::shared_ptr<FakePeer> peer) {
    auto s = hub_->open(token, std::move(peer));
    hub_->wait_idle();
    return s;
  }
  void send(const std::string& role, const v1::ClientMessage& m) { deliver(*sessions_.at(role), bytes(m)); }
  void deliver(Session& s, const std::vector<uint8_t>& frame) {
    s.on_message(frame);
    hub_->wait_idle();
  }
  void tick(int64_t ms) {
    hub_->tick(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
    hub_->wait_idle();
  }
  static v1::ClientMessage join(uint32_t round) {
    v1::ClientMessage m;
    m.set_request_id(10);
    m.mutable_join_round()->set_round_index(round);
    return m;
  }
  static v1::ClientMessage timer(v1::TimerAction a) {
    v1::ClientMessage m;
    m.set_request_id(11);
    m.mutable_timer()->set_action(a);
    return m;
  }
  static v1::ClientMessage select(const std::string& id) {
    v1::ClientMessage m;
    m.set_request_id(12);
    m.mutable_select_question()->set_question_id(id);
    return m;
  }
  static v1::ClientMessage save() {
    v1::ClientMessage m;
    m.set_request_id(13);
    auto* d = m.mutable_save_scorecard()->mutable_draft();
    d->set_overall(v1::RATING_HIRE);
    d->set_summary(kSecretSummary);
    auto* c = d->add_competencies();
    c->set_competency_id("testing");
    c->set_rating(v1::RATING_HIRE);
    c->set_evidence(kSecretEvidence);
    return m;
  }
  static v1::ClientMessage submit() {
    v1::ClientMessage m;
    m.set_request_id(14);
    m.mutable_submit_scorecard();
    return m;
  }

  static v1::ClientMessage move(uint32_t round, bool take_break = false) {
    v1::ClientMessage m;
    m.set_request_id(17);
    m.mutable_move_loop()->set_round_index(round);
    m.mutable_move_loop()->set_take_break(take_break);
    return m;
  }
  void tick() { tick(clock_.now()); }

  std::unique_ptr<SessionHub> hub_;
  std::map<std::string, std::shared_ptr<FakePeer>> peers_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
};

TEST_F(SessionHubTest, SnapshotOnOpenIsBuiltForTheRole) {
  for (const auto& role : all_roles()) open(role, false);
  for (const auto& role : all_roles()) {
    SCOPED_TRACE(role);
    auto msgs = peers_[role]->messages();
    ASSERT_FALSE(msgs.empty());
    ASSERT_TRUE(msgs[0].has_snapshot());
    const auto& s = msgs[0].snapshot();
    EXPECT_EQ(s.loop().id(), loop_id_);
    EXPECT_GT(s.server_time_ms(), 0);
    EXPECT_TRUE(s.has_timer());
    EXPECT_EQ(s.shared_doc(), "room-" + s.round().room_id());
    const bool staff = role != "candidate" && role != "observer";
    EXPECT_EQ(s.has_rubric(), staff);
    EXPECT_EQ(s.questions_size() > 0, staff);
    EXPECT_EQ(!s.private_doc().empty(), staff);
    EXPECT_EQ(s.can_control_timer(), staff);
    EXPECT_EQ(s.can_edit_shared_doc(), role != "observer");
    if (!staff) {
      EXPECT_EQ(find_leak(peers_[role]->all_bytes()), "");
    }
  }
  // Everyone opens on the loop's current round, and the snapshot says where the loop is.
  for (const auto& role : all_roles()) {
    SCOPED_TRACE(role);
    const auto msgs = peers_[role]->messages();  // a copy: the snapshot is read from it below
    const auto& s = msgs[0].snapshot();
    EXPECT_EQ(s.round().index(), 1u);
    EXPECT_EQ(s.progress().current_round(), 1u);
    EXPECT_EQ(s.can_move_loop(), role != "candidate" && role != "observer");
  }
}

TEST_F(SessionHubTest, WrongRevokedAndStudyTokensCannotOpen) {
  auto peer = std::make_shared<FakePeer>();
  opened(std::string(43, 'x'), peer);
  EXPECT_EQ(peer->code, close_code(Errc::unauthenticated));
  EXPECT_TRUE(peer->frames.empty());
  auto study = json(call("POST", "/api/study-rooms", "", "{}"));
  auto other = std::make_shared<FakePeer>();
  opened(study["token"].get<std::string>(), other);
  EXPECT_EQ(other->code, close_code(Errc::forbidden));
  EXPECT_TRUE(other->frames.empty());
  EXPECT_EQ(hub_->session_count(), 0u);
}

TEST_F(SessionHubTest, MessageAuthorizationMatrix) {
  for (const auto& role : all_roles()) open(role);
  struct Row {
    std::string name;
    v1::ClientMessage msg;
    std::set<std::string> allowed;
  };
  const std::set<std::string> staff = {"host", "iv1", "iv2", "bar_raiser"};
  v1::ClientMessage ping;
  ping.set_request_id(15);
  ping.mutable_ping()->set_client_time_ms(1);
  v1::ClientMessage empty;
  empty.set_request_id(16);
  const std::set<std::string> everyone(all_roles().begin(), all_roles().end());
  const std::vector<Row> rows = {
      {"ping", ping, everyone},
      {"join round 1", join(1), everyone},
      {"timer start", timer(v1::TIMER_ACTION_START), staff},
      {"timer extend", [] { auto m = timer(v1::TIMER_ACTION_EXTEND); m.mutable_timer()->set_extend_seconds(60); return m; }(), staff},
      {"timer auto-advance", [] { auto m = timer(v1::TIMER_ACTION_SET_AUTO_ADVANCE); m.mutable_timer()->set_auto_advance(true); return m; }(), staff},
      {"select question", select("code-lru-cache"), staff},
      {"save scorecard", save(), staff},
      {"submit scorecard", submit(), staff},
      {"join round 3", join(3), {"host", "bar_raiser", "observer"}},
      {"move the loop to round 1", move(1), staff},
      {"empty message", empty, {}},
  };
  for (const auto& row : rows) {
    for (const auto& role : all_roles()) {
      SCOPED_TRACE(row.name + " as " + role);
      if (row.name == "timer start") {  // only the first allowed caller can start; reset first
        v1::ClientMessage reset = timer(v1::TIMER_ACTION_RESET);
        send("host", reset);
      }
      auto& peer = *peers_[role];
      const size_t before = peer.frames.size();
      send(role, row.msg);
      ASSERT_GT(peer.frames.size(), before);
      const auto reply = peer.last();
      EXPECT_EQ(reply.request_id(), row.msg.request_id());
      if (row.name == "empty message") {
        EXPECT_EQ(reply.error().code(), "invalid_argument");
      } else if (row.allowed.count(role)) {
        EXPECT_FALSE(reply.has_error()) << reply.error().message();
      } else {
        ASSERT_TRUE(reply.has_error());
        EXPECT_EQ(reply.error().code(), "forbidden");
      }
      if (row.name == "join round 3" && row.allowed.count(role)) send(role, join(1));
    }
  }
  // Nothing staff-only ever reached the candidate or the observer.
  EXPECT_EQ(find_leak(peers_["candidate"]->all_bytes()), "");
  EXPECT_EQ(find_leak(peers_["observer"]->all_bytes()), "");
  // The refused scorecard messages stored nothing.
  auto cand = *service_->authenticate(tokens_["candidate"]);
  auto host = *service_->authenticate(tokens_["host"]);
  auto view = service_->get_scorecard(host, loop_id_, 1);
  ASSERT_TRUE(view.ok());
  for (const auto& sc : view->others()) EXPECT_NE(sc.author_id(), cand.participant.id());
}

TEST_F(SessionHubTest, QuestionSelectionIsBroadcastPerRole) {
  for (const auto& role : all_roles()) open(role);
  send("iv1", select("code-lru-cache"));
  for (const auto& role : all_roles()) {
    SCOPED_TRACE(role);
    auto m = peers_[role]->last();
    ASSERT_TRUE(m.has_question_selected());
    EXPECT_EQ(m.question_selected().prompt().id(), "code-lru-cache");
    EXPECT_FALSE(m.question_selected().prompt().prompt().empty());
    const bool staff = role != "candidate" && role != "observer";
    EXPECT_EQ(m.question_selected().question().hints_size() > 0, staff);
  }
  EXPECT_EQ(find_leak(peers_["candidate"]->all_bytes()), "");
  // A late joiner gets the selected prompt in the snapshot, without hints.
  auto late = std::make_shared<FakePeer>();
  auto s = opened(tokens_["candidate"], late);
  ASSERT_EQ(late->code, 0);
  deliver(*s, bytes(join(1)));
  auto snap = late->last().snapshot();
  EXPECT_EQ(snap.selected_prompt().id(), "code-lru-cache");
  EXPECT_FALSE(snap.has_selected_question());
  EXPECT_EQ(find_leak(late->all_bytes()), "");
  // A question for another round kind is refused.
  send("iv1", select("sd-global-cdn"));
  EXPECT_EQ(peers_["iv1"]->last().error().code(), "invalid_argument");
}

TEST_F(SessionHubTest, TimerCommandsReachEveryoneInTheRoomOnly) {
  for (const auto& role : all_roles()) open(role);
  auto& elsewhere = *peers_["bar_raiser"];
  send("bar_raiser", join(4));
  const size_t before = elsewhere.frames.size();
  send("iv1", timer(v1::TIMER_ACTION_START));
  for (const char* role : {"host", "iv1", "iv2", "observer", "candidate"}) {
    auto m = peers_[role]->last();
    ASSERT_TRUE(m.has_timer()) << role;
    EXPECT_EQ(m.timer().status(), v1::TIMER_STATUS_RUNNING);
    EXPECT_EQ(m.timer().round_index(), 1u);
    EXPECT_EQ(m.timer().phase_ends_at_ms(), clock_.now() + 6 * 60'000);
    EXPECT_EQ(m.timer().server_now_ms(), clock_.now());
  }
  EXPECT_EQ(peers_["iv1"]->last().request_id(), 11u);
  EXPECT_EQ(peers_["candidate"]->last().request_id(), 0u);
  EXPECT_EQ(elsewhere.frames.size(), before) << "round 4 is another room";
  // A refused command changes nothing for anyone.
  const size_t cand_before = peers_["candidate"]->frames.size();
  send("candidate", timer(v1::TIMER_ACTION_PAUSE));
  EXPECT_EQ(peers_["candidate"]->frames.size(), cand_before + 1);
  EXPECT_TRUE(peers_["candidate"]->last().has_error());
  EXPECT_EQ(peers_["host"]->last().timer().status(), v1::TIMER_STATUS_RUNNING);
}

TEST_F(SessionHubTest, TickAutoAdvancesAndBroadcasts) {
  open("iv1");
  open("candidate");
  send("iv1", timer(v1::TIMER_ACTION_START));
  const size_t before = peers_["candidate"]->frames.size();
  tick(clock_.now() + 60'000);
  EXPECT_EQ(peers_["candidate"]->frames.size(), before) << "nothing changed yet";
  clock_.advance(6 * 60'000);
  tick(clock_.now());
  auto m = peers_["candidate"]->last();
  ASSERT_TRUE(m.has_timer());
  EXPECT_EQ(m.timer().phase_index(), 1u);
}

TEST_F(SessionHubTest, PingGetsServerTime) {
  open("candidate");
  v1::ClientMessage ping;
  ping.set_request_id(5);
  ping.mutable_ping()->set_client_time_ms(123);
  send("candidate", ping);
  auto m = peers_["candidate"]->last();
  ASSERT_TRUE(m.has_pong());
  EXPECT_EQ(m.request_id(), 5u);
  EXPECT_EQ(m.pong().client_time_ms(), 123);
  EXPECT_EQ(m.pong().server_time_ms(), clock_.now());
}

TEST_F(SessionHubTest, MalformedFramesGetErrorsThenClose1007) {
  auto& peer = open("candidate");
  const std::vector<uint8_t> garbage = {0xff, 0xff, 0xff, 0x01};
  deliver(*sessions_["candidate"], garbage);
  EXPECT_EQ(peer.last().error().code(), "invalid_argument");
  deliver(*sessions_["candidate"], garbage);
  EXPECT_EQ(peer.code, 0);
  deliver(*sessions_["candidate"], garbage);
  EXPECT_EQ(peer.code, room::kCloseInvalidPayload);
  // An empty ClientMessage is an error, not a crash.
  auto& other = open("observer");
  deliver(*sessions_["observer"], std::vector<uint8_t>{});
  EXPECT_EQ(other.last().error().code(), "invalid_argument");
}

TEST_F(SessionHubTest, RevokingAnInviteClosesItsSessions) {
  open("iv1");
  open("candidate");
  EXPECT_EQ(hub_->session_count(), 2u);
  auto r = call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["iv1"] + "/revoke", tokens_["host"]);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(peers_["iv1"]->code, kCloseRevoked);
  EXPECT_EQ(peers_["candidate"]->code, 0);
  EXPECT_EQ(hub_->session_count(), 1u);
  // Messages after the close are ignored.
  const size_t n = peers_["iv1"]->frames.size();
  send("iv1", timer(v1::TIMER_ACTION_START));
  EXPECT_EQ(peers_["iv1"]->frames.size(), n);
  auto again = std::make_shared<FakePeer>();
  opened(tokens_["iv1"], again);
  EXPECT_EQ(again->code, kCloseRevoked);
}

// The race behind integration.revocation's hang under ASan: the revocation lands while the
// session is opening (authenticated, snapshot sent, not yet in its room), so the hub's
// revoke listener cannot find it. The peer revokes from inside the snapshot's send, which
// the opening job calls just before it joins the room.
TEST_F(SessionHubTest, ARevocationWhileTheSessionOpensStillClosesIt) {
  class RevokingPeer : public FakePeer {
   public:
    std::function<void()> on_first_send;
    void send(std::shared_ptr<const std::vector<uint8_t>> frame) override {
      if (auto f = std::exchange(on_first_send, nullptr)) f();
      FakePeer::send(std::move(frame));
    }
  };
  auto host = service_->authenticate(tokens_["host"]);
  ASSERT_TRUE(host.ok());
  auto peer = std::make_shared<RevokingPeer>();
  peer->on_first_send = [&] { ASSERT_TRUE(service_->revoke(*host, loop_id_, token_ids_["iv1"]).ok()); };
  auto s = opened(tokens_["iv1"], peer);
  ASSERT_TRUE(peer->messages().at(0).has_snapshot());
  EXPECT_EQ(peer->code, kCloseRevoked) << peer->reason;
  EXPECT_TRUE(s->closed());
  EXPECT_EQ(hub_->session_count(), 0u);
}

TEST_F(SessionHubTest, ASaveNamingItsRoundLandsThereAfterTheSessionMoved) {
  open("iv1");  // rounds 1 and 2; opens on round 1
  send("iv1", join(2));
  auto m = save();
  m.mutable_save_scorecard()->set_round_index(1);
  send("iv1", m);
  ASSERT_TRUE(peers_["iv1"]->last().has_scorecard()) << peers_["iv1"]->last().DebugString();
  EXPECT_EQ(peers_["iv1"]->last().scorecard().scorecard().round_index(), 1u);
  EXPECT_TRUE(json(call("GET", round_path(1) + "/scorecard", tokens_["iv1"]))["mine"].contains("content"));
  EXPECT_FALSE(json(call("GET", round_path(2) + "/scorecard", tokens_["iv1"])).contains("mine"));
  m.mutable_save_scorecard()->set_round_index(3);  // not assigned there
  send("iv1", m);
  ASSERT_TRUE(peers_["iv1"]->last().has_error());
  EXPECT_EQ(peers_["iv1"]->last().error().code(), "forbidden");
}

TEST_F(SessionHubTest, ReassigningSomeoneReconnectsTheirSessionsAndRemovingThemCloses4401) {
  open("iv2");
  open("observer");
  const auto loop = json(call("GET", "/api/loops/" + loop_id_, tokens_["host"]));
  std::string kai, obi;
  for (const auto& p : loop["loop"]["participants"]) {
    if (p["displayName"] == "Kai") kai = p["id"];
    if (p["displayName"] == "Obi") obi = p["id"];
  }
  ASSERT_EQ(call("PUT", "/api/loops/" + loop_id_ + "/participants/" + kai, tokens_["host"],
                 R"({"role":"ROLE_INTERVIEWER","roundIndexes":[2]})").status, 200);
  hub_->wait_idle();
  EXPECT_EQ(peers_["iv2"]->code, kCloseAccessChanged);  // reconnects with the new rights
  EXPECT_EQ(peers_["observer"]->code, 0);
  ASSERT_EQ(call("DELETE", "/api/loops/" + loop_id_ + "/participants/" + obi, tokens_["host"]).status, 200);
  hub_->wait_idle();
  EXPECT_EQ(peers_["observer"]->code, 4401);
}

TEST_F(SessionHubTest, ARestSubmitTellsTheRoundsStaffButNotTheCandidate) {
  open("iv2");
  open("candidate");
  const size_t cand = peers_["candidate"]->frames.size();
  const size_t iv2 = peers_["iv2"]->frames.size();
  ASSERT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], draft()).status, 200);
  ASSERT_EQ(call("POST", round_path(1) + "/scorecard/submit", tokens_["iv1"]).status, 200);
  hub_->wait_idle();
  EXPECT_EQ(peers_["candidate"]->frames.size(), cand);
  ASSERT_EQ(peers_["iv2"]->frames.size(), iv2 + 1);
  EXPECT_TRUE(peers_["iv2"]->last().has_panel_changed());
}

TEST_F(SessionHubTest, ScorecardRepliesGoToTheAuthorOnly) {
  open("iv1");
  open("iv2");
  open("candidate");
  const size_t cand = peers_["candidate"]->frames.size();
  const size_t iv2 = peers_["iv2"]->frames.size();
  send("iv1", save());
  auto m = peers_["iv1"]->last();
  ASSERT_TRUE(m.has_scorecard());
  EXPECT_EQ(m.scorecard().scorecard().status(), v1::SCORECARD_STATUS_DRAFT);
  send("iv1", submit());
  EXPECT_EQ(peers_["iv1"]->last().scorecard().scorecard().status(), v1::SCORECARD_STATUS_SUBMITTED);
  EXPECT_EQ(peers_["candidate"]->frames.size(), cand);
  // The round's other staff learn only that the panel changed (no scorecard content); they
  // re-read what the service lets them see.
  ASSERT_EQ(peers_["iv2"]->frames.size(), iv2 + 1);
  const auto note = peers_["iv2"]->last();
  ASSERT_TRUE(note.has_panel_changed());
  EXPECT_EQ(note.panel_changed().round_index(), 1u);
  EXPECT_EQ(note.ByteSizeLong(), v1::ServerMessage().ByteSizeLong() + 2 + note.panel_changed().ByteSizeLong() + 1);
  // Rejoining shows the author their own submitted card.
  send("iv1", join(1));
  EXPECT_EQ(peers_["iv1"]->last().snapshot().my_scorecard().status(), v1::SCORECARD_STATUS_SUBMITTED);
}

TEST_F(SessionHubTest, AnExpiredInviteClosesItsSessionsOnTheNextTick) {
  const std::string body = R"({"templateId":"l6-loop","participants":[
      {"displayName":"Tmp","role":"ROLE_OBSERVER","expiresAtMs":)" + std::to_string(clock_.now() + 10'000) + "}]}";
  auto j = json(call("POST", "/api/loops", "", body));
  std::string token;
  for (const auto& inv : j["invites"])
    if (inv["displayName"] == "Tmp") token = inv["token"];
  auto peer = std::make_shared<FakePeer>();
  auto s = opened(token, peer);
  ASSERT_EQ(peer->code, 0) << peer->reason;
  tick(clock_.now() + 9'999);
  EXPECT_EQ(peer->code, 0);
  clock_.advance(10'000);
  tick(clock_.now());
  EXPECT_EQ(peer->code, 4401);
  EXPECT_EQ(peer->reason, "invite expired");
  auto again = std::make_shared<FakePeer>();
  opened(token, again);
  EXPECT_EQ(again->code, close_code(Errc::unauthenticated));
}

TEST_F(SessionHubTest, RepliesKeepTheOrderOfTheMessages) {
  open("iv1");
  open("candidate");
  // Many messages at once, of kinds that take different paths through the service.
  const size_t first = peers_["iv1"]->frames.size();
  std::vector<uint64_t> sent;
  for (uint64_t i = 1; i <= 40; ++i) {
    v1::ClientMessage m;
    switch (i % 4) {
      case 0: m.mutable_ping()->set_client_time_ms(static_cast<int64_t>(i)); break;
      case 1: m = join(1); break;
      case 2: m = timer(v1::TIMER_ACTION_EXTEND); m.mutable_timer()->set_extend_seconds(1); break;
      case 3: m = select("code-lru-cache"); break;
    }
    m.set_request_id(1000 + i);
    sent.push_back(m.request_id());
    sessions_["iv1"]->on_message(bytes(m));
  }
  hub_->wait_idle();
  std::vector<uint64_t> replies;
  const auto msgs = peers_["iv1"]->messages();
  for (size_t i = first; i < msgs.size(); ++i)
    if (msgs[i].request_id() != 0) replies.push_back(msgs[i].request_id());
  EXPECT_EQ(replies, sent);
  EXPECT_EQ(peers_["iv1"]->code, 0);
}

TEST_F(SessionHubTest, TheCallersThreadNeverRunsTheService) {
  clock_.take_readers();
  open("iv1");
  open("candidate");
  send("iv1", timer(v1::TIMER_ACTION_START));
  send("iv1", select("code-lru-cache"));
  send("iv1", save());
  tick(clock_.now());
  const auto readers = clock_.take_readers();
  EXPECT_FALSE(readers.empty());
  EXPECT_EQ(readers.count(std::this_thread::get_id()), 0u) << "LoopService ran on the caller's thread";
}

TEST_F(SessionHubTest, AServiceThatBlocksDoesNotBlockTheCaller) {
  open("iv1");
  const size_t before = peers_["iv1"]->frames.size();
  clock_.hold(true);  // every LoopService call that reads the clock now waits
  auto io = std::async(std::launch::async, [&] {
    sessions_["iv1"]->on_message(bytes(timer(v1::TIMER_ACTION_START)));
    hub_->tick(std::chrono::system_clock::time_point(std::chrono::milliseconds(clock_.now())));
    hub_->open(tokens_["candidate"], std::make_shared<FakePeer>());
  });
  EXPECT_EQ(io.wait_for(std::chrono::seconds(5)), std::future_status::ready) << "the io thread waited for the service";
  clock_.hold(false);
  io.wait();
  hub_->wait_idle();
  ASSERT_GT(peers_["iv1"]->frames.size(), before);
  EXPECT_EQ(peers_["iv1"]->messages()[before].timer().status(), v1::TIMER_STATUS_RUNNING);
}

TEST_F(SessionHubTest, AFullQueueClosesTheSessionWithBusy) {
  hub_.reset();
  SessionHubOptions o;
  o.max_queued_per_session = 4;
  o.pause_reads_at = 2;
  hub_ = std::make_unique<SessionHub>(*service_, o);
  auto& peer = open("iv1", false);
  clock_.hold(true);
  for (int i = 0; i < 8; ++i) sessions_["iv1"]->on_message(bytes(timer(v1::TIMER_ACTION_EXTEND)));
  clock_.hold(false);
  hub_->wait_idle();
  EXPECT_GT(peer.pauses, 0) << "reads pause before the queue is full";
  EXPECT_EQ(peer.code, close_code(Errc::busy));
}

TEST_F(SessionHubTest, NotesDocsInTheSnapshotAndOpenedBySubmitting) {
  for (const auto& role : all_roles()) open(role);
  const std::string room = loop_json_["rounds"][1]["roomId"];
  for (const auto& role : all_roles()) {
    SCOPED_TRACE(role);
    const auto s = peers_[role]->last().snapshot();
    ASSERT_EQ(s.round().index(), 1u);
    const bool staff = role != "candidate" && role != "observer";
    EXPECT_EQ(s.has_notes(), staff);
    if (!staff) {
      EXPECT_EQ(peers_[role]->all_bytes().find(room + "-notes-"), std::string::npos) << "names no notes doc";
      continue;
    }
    EXPECT_EQ(s.notes().mine().doc_name(), "room-" + room + "-notes-" + s.you().id());
    // The host and the Bar Raiser see their colleagues' notes at once: host, BR, Lin, Kai.
    const bool at_once = role == "host" || role == "bar_raiser";
    EXPECT_EQ(s.notes().colleagues_hidden(), !at_once);
    EXPECT_EQ(s.notes().colleagues_size(), at_once ? 3 : 0);
  }
  // Kai submits: the reply comes right after the notes docs, now with the colleagues'.
  send("iv2", save());
  send("iv2", submit());
  const auto msgs = peers_["iv2"]->messages();
  ASSERT_GE(msgs.size(), 2u);
  ASSERT_TRUE(msgs.back().has_scorecard());
  ASSERT_TRUE(msgs[msgs.size() - 2].has_notes());
  const v1::NotesDocs n = msgs[msgs.size() - 2].notes();
  EXPECT_FALSE(n.colleagues_hidden());
  std::set<std::string> names;
  for (const auto& c : n.colleagues()) names.insert(c.display_name());
  EXPECT_EQ(names, (std::set<std::string>{"Grace", "Lin", "Sam"}));
  // Lin has not submitted: a fresh snapshot still hides them.
  send("iv1", join(1));
  EXPECT_TRUE(peers_["iv1"]->last().snapshot().notes().colleagues_hidden());
}

// ---- where the loop is (MoveLoop, LoopProgress) ----

TEST_F(SessionHubTest, MovingTheLoopMovesEveryoneFollowingAndTellsEveryone) {
  for (const auto& role : all_roles()) open(role, false);
  send("bar_raiser", join(4));  // staff looking at another round stays there
  for (const auto& role : all_roles()) peers_[role]->frames.clear();
  send("iv1", move(2));
  for (const auto& role : all_roles()) {
    SCOPED_TRACE(role);
    auto msgs = peers_[role]->messages();
    ASSERT_FALSE(msgs.empty());
    ASSERT_TRUE(msgs[0].has_progress());
    EXPECT_EQ(msgs[0].progress().current_round(), 2u);
    EXPECT_EQ(msgs[0].progress().moved_by(), "Lin");
    EXPECT_EQ(msgs[0].request_id(), role == "iv1" ? 17u : 0u);
    if (role == "bar_raiser") {
      EXPECT_EQ(msgs.size(), 1u) << "viewing round 4: not moved";
      EXPECT_EQ(sessions_[role]->round(), 4u);
    } else if (role == "iv2") {
      EXPECT_EQ(msgs.size(), 1u) << "not assigned to round 2: stays in round 1";
      EXPECT_EQ(sessions_[role]->round(), 1u);
    } else {
      ASSERT_EQ(msgs.size(), 2u);
      ASSERT_TRUE(msgs[1].has_snapshot());
      EXPECT_EQ(msgs[1].snapshot().round().index(), 2u);
      EXPECT_EQ(msgs[1].snapshot().progress().current_round(), 2u);
      EXPECT_EQ(sessions_[role]->round(), 2u);
    }
  }
  EXPECT_EQ(find_leak(peers_["candidate"]->all_bytes()), "");
  EXPECT_EQ(find_leak(peers_["observer"]->all_bytes()), "");
  // A late joiner and a reconnect land in the current round; so after a restart.
  auto late = std::make_shared<FakePeer>();
  auto late_session = opened(tokens_["candidate"], late);
  ASSERT_EQ(late->code, 0) << late->reason;
  EXPECT_EQ(late->messages()[0].snapshot().round().index(), 2u);
  late_session.reset();
  sessions_.clear();
  hub_.reset();
  open_service();
  hub_ = std::make_unique<SessionHub>(*service_);
  auto again = std::make_shared<FakePeer>();
  auto again_session = opened(tokens_["observer"], again);
  ASSERT_EQ(again->code, 0) << again->reason;
  EXPECT_EQ(again->messages()[0].snapshot().round().index(), 2u);
}

TEST_F(SessionHubTest, TheCandidateCannotLeaveTheCurrentRoundAndFollowsEveryMove) {
  open("candidate", false);
  open("host", false);
  send("candidate", join(3));
  auto reply = peers_["candidate"]->last();
  ASSERT_TRUE(reply.has_error());
  EXPECT_EQ(reply.error().code(), "forbidden");
  EXPECT_EQ(sessions_["candidate"]->round(), 1u);
  send("candidate", join(1));  // the current round: fine
  EXPECT_TRUE(peers_["candidate"]->last().has_snapshot());
  send("candidate", move(3));
  EXPECT_EQ(peers_["candidate"]->last().error().code(), "forbidden");
  // The host looks at round 5 first, then moves the loop to round 3 from there: the
  // candidate, in round 1, is moved all the same.
  send("host", join(5));
  send("host", move(3));
  EXPECT_EQ(sessions_["candidate"]->round(), 3u);
  EXPECT_EQ(peers_["candidate"]->last().snapshot().round().index(), 3u);
  EXPECT_EQ(sessions_["host"]->round(), 5u);
  // Who may move: the round's interviewers (entering or leaving), not others.
  open("iv2", false);  // assigned to round 1 only; the loop is in 3
  send("iv2", move(4));
  EXPECT_EQ(peers_["iv2"]->last().error().code(), "forbidden");
  send("host", move(7));
  EXPECT_EQ(peers_["host"]->last().error().code(), "not_found");
}

TEST_F(SessionHubTest, ABreakIsTimedByTheServerThenTheRoundsTimerStarts) {
  open("iv1", false);
  open("candidate", false);
  send("iv1", move(2, true));
  auto progress = peers_["candidate"]->last().snapshot().progress();
  EXPECT_EQ(progress.current_round(), 2u);
  EXPECT_EQ(progress.break_ms(), 15 * 60'000) << "the l6 template's break_minutes";
  EXPECT_EQ(progress.break_ends_at_ms(), clock_.now() + 15 * 60'000);
  EXPECT_EQ(peers_["candidate"]->last().snapshot().timer().status(), v1::TIMER_STATUS_IDLE);
  const size_t before = peers_["candidate"]->frames.size();
  clock_.advance(15 * 60'000 - 1);
  tick();
  EXPECT_EQ(peers_["candidate"]->frames.size(), before) << "the break is still on";
  clock_.advance(1);
  tick();
  auto msgs = peers_["candidate"]->messages();
  ASSERT_EQ(msgs.size(), before + 2);
  EXPECT_TRUE(msgs[before].has_progress());
  EXPECT_EQ(msgs[before].progress().break_ends_at_ms(), 0);
  ASSERT_TRUE(msgs[before + 1].has_timer());
  EXPECT_EQ(msgs[before + 1].timer().status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(msgs[before + 1].timer().round_index(), 2u);
  // A break to an earlier round is refused; one the interviewer cuts short by starting the
  // round's timer ends on the next tick without touching the timer.
  send("iv1", move(1, true));
  EXPECT_EQ(peers_["iv1"]->last().error().code(), "invalid_argument");
  send("iv1", timer(v1::TIMER_ACTION_RESET));
  send("iv1", move(1));
  send("iv1", move(2, true));
  send("iv1", timer(v1::TIMER_ACTION_START));
  tick();
  auto last = peers_["candidate"]->last();
  ASSERT_TRUE(last.has_progress());
  EXPECT_EQ(last.progress().break_ends_at_ms(), 0);
  // "End break" (a move to the current round without a break) starts the idle timer now.
  send("iv1", timer(v1::TIMER_ACTION_RESET));
  send("iv1", move(1));
  send("iv1", move(2, true));
  EXPECT_GT(peers_["candidate"]->last().snapshot().progress().break_ends_at_ms(), clock_.now());
  clock_.advance(60'000);
  send("iv1", move(2));
  msgs = peers_["candidate"]->messages();
  ASSERT_TRUE(msgs[msgs.size() - 2].has_progress());
  EXPECT_EQ(msgs[msgs.size() - 2].progress().break_ends_at_ms(), 0);
  ASSERT_TRUE(msgs.back().has_timer());
  EXPECT_EQ(msgs.back().timer().status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(msgs.back().timer().round_index(), 2u);
  EXPECT_EQ(msgs.back().timer().server_now_ms(), clock_.now());
}

TEST_F(SessionHubTest, BreakLengthDefaultsWhenTheTemplateNamesNone) {
  v1::Round r;
  EXPECT_EQ(break_ms_after(r), kDefaultBreakMinutes * 60'000);
  r.set_break_minutes_after(5);
  EXPECT_EQ(break_ms_after(r), 5 * 60'000);
}
