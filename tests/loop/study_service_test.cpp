// Study rooms as peer sessions: names, the shared timer and its blocks, role rotation,
// the practice prompt, feedback, persistence across a restart (StudyService), and the
// protocol relay to every peer (StudyHub).
#include "loop/study_service.hpp"

#include "loop/study_hub.hpp"
#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

class Recorder : public room::Peer {
 public:
  uint64_t id() const override { return 3; }
  void send(std::shared_ptr<const std::vector<uint8_t>> f) override {
    v1::ServerMessage m;
    EXPECT_TRUE(m.ParseFromArray(f->data(), static_cast<int>(f->size())));
    std::lock_guard lock(mu);
    messages.push_back(std::move(m));
  }
  void close(uint16_t c, std::string) override { code = c; }
  std::mutex mu;  // guards messages (sends come from the hub's workers)
  std::vector<v1::ServerMessage> messages;
  std::atomic<uint16_t> code{0};
};

class StudyServiceTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    auto r = call("POST", "/api/study-rooms", "", R"({"title":"Design club"})");
    ASSERT_EQ(r.status, 201) << r.body;
    token_ = json(r)["token"];
    open_study();
  }
  void TearDown() override {
    study_.reset();
    study_db_.reset();
    LoopFixture::TearDown();
  }
  // (Re)opens the study service on its own connection to the same file, as after a restart.
  void open_study() {
    study_.reset();
    study_db_.reset();
    auto db = store::Database::open(path_.string());
    ASSERT_TRUE(db.ok());
    study_db_ = std::move(*db);
    auto svc = StudyService::create(*study_db_, shipped_catalog(), clock_.fn());
    ASSERT_TRUE(svc.ok()) << svc.error().message;
    study_ = std::move(*svc);
  }
  Principal me() { return *service_->authenticate(token_); }
  std::string join(const std::string& name, const std::string& id = "") {
    auto j = study_->join(me(), id, name);
    EXPECT_TRUE(j.ok()) << name << ": " << (j.ok() ? "" : j.error().message);
    return j.ok() ? j->peer_id : "";
  }
  v1::StudySnapshot snapshot() {
    auto j = study_->join(me(), "", "Reader");
    EXPECT_TRUE(j.ok());
    (void)study_->leave(me(), j->peer_id);
    return j->snapshot;
  }
  std::map<std::string, v1::StudyRole> roles(const v1::StudyPeers& peers) {
    std::map<std::string, v1::StudyRole> out;
    for (const auto& p : peers.peers())
      if (p.name() != "Reader") out[p.name()] = p.role();  // snapshot()'s own visits
    return out;
  }
  Result<StudyService::Change> timer(v1::TimerAction a) {
    v1::TimerCommand cmd;
    cmd.set_action(a);
    return study_->timer_command(me(), cmd);
  }

  std::string token_;
  std::unique_ptr<store::Database> study_db_;
  std::unique_ptr<StudyService> study_;
};

TEST_F(StudyServiceTest, PeersJoinByNameWithinBounds) {
  EXPECT_EQ(study_->join(me(), "", "   ").error().code, Errc::invalid_argument);
  EXPECT_EQ(study_->join(me(), "", std::string(kMaxStudyNameBytes + 1, 'x')).error().code, Errc::invalid_argument);
  EXPECT_EQ(study_->join(me(), "", "Bad\nname").error().code, Errc::invalid_argument);
  const std::string ada = join("  Ada  ");
  auto j = study_->join(me(), "", std::string(kMaxStudyNameBytes, 'L'));
  ASSERT_TRUE(j.ok());
  ASSERT_EQ(j->snapshot.peers_size(), 2);
  EXPECT_EQ(j->snapshot.peers(0).name(), "Ada");
  EXPECT_TRUE(j->snapshot.peers(0).present());
  EXPECT_EQ(j->snapshot.you(), j->peer_id);
  EXPECT_EQ(j->snapshot.room().title(), "Design club");
  EXPECT_TRUE(j->snapshot.room().doc_name().starts_with("study-"));
  // Coming back with the same id is the same peer, renamed.
  EXPECT_EQ(join("Ada L.", ada), ada);
  EXPECT_EQ(snapshot().peers(0).name(), "Ada L.");
}

TEST_F(StudyServiceTest, TheSnapshotCarriesThePeerPlanAndThePracticeBankWithHints) {
  join("Ada");
  auto snap = snapshot();
  EXPECT_EQ(snap.plan().round_kind(), v1::ROUND_KIND_PEER_SYSTEM_DESIGN);
  EXPECT_EQ(snap.plan().phases_size(), 5);
  ASSERT_GT(snap.questions_size(), 3);
  for (const auto& q : snap.questions()) {
    EXPECT_TRUE(q.round_kind() == v1::ROUND_KIND_SYSTEM_DESIGN || q.round_kind() == v1::ROUND_KIND_PEER_SYSTEM_DESIGN);
    EXPECT_TRUE(q.interviewer_notes().empty());
  }
  EXPECT_GT(snap.questions(0).hints_size(), 0);
  EXPECT_EQ(study_->select_question(me(), "code-lru-cache").error().code, Errc::not_found);  // not practice
  auto q = study_->select_question(me(), "sd-global-cdn");
  ASSERT_TRUE(q.ok());
  EXPECT_GT(q->hints_size(), 0);
  EXPECT_EQ(snapshot().selected().id(), "sd-global-cdn");
}

TEST_F(StudyServiceTest, TheTimerIsSharedAndSurvivesARestart) {
  join("Ada");
  auto started = timer(v1::TIMER_ACTION_START);
  ASSERT_TRUE(started.ok());
  ASSERT_EQ(started->timer->status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(timer(v1::TIMER_ACTION_START).error().code, Errc::conflict);
  const int64_t ends = started->timer->phase_ends_at_ms();
  EXPECT_EQ(ends, clock_.now() + 9 * 60'000);  // the peer plan's first phase
  clock_.advance(60'000);
  open_study();
  auto snap = snapshot();
  EXPECT_EQ(snap.timer().status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(snap.timer().phase_ends_at_ms(), ends);
  EXPECT_EQ(snap.timer().remaining_ms(), 8 * 60'000);
  v1::TimerCommand extend;
  extend.set_action(v1::TIMER_ACTION_EXTEND);
  extend.set_extend_seconds(3601);
  EXPECT_EQ(study_->timer_command(me(), extend).error().code, Errc::invalid_argument);
}

TEST_F(StudyServiceTest, RolesRotateAfterEachBlock) {
  const std::string a = join("Ada"), b = join("Bo"), c = join("Cy");
  auto on = study_->set_rotation(me(), true);
  ASSERT_TRUE(on.ok());
  using enum v1::StudyRole;
  EXPECT_EQ(roles(*on), (std::map<std::string, v1::StudyRole>{
                            {"Ada", STUDY_ROLE_DESIGNER}, {"Bo", STUDY_ROLE_INTERVIEWER}, {"Cy", STUDY_ROLE_OBSERVER}}));
  // Next through the five phases ends the block: the interviewer designs next.
  ASSERT_TRUE(timer(v1::TIMER_ACTION_START).ok());
  for (int i = 0; i < 4; ++i) {
    auto c2 = timer(v1::TIMER_ACTION_NEXT);
    ASSERT_TRUE(c2.ok());
    EXPECT_FALSE(c2->peers);
  }
  auto ended = timer(v1::TIMER_ACTION_NEXT);
  ASSERT_TRUE(ended.ok());
  ASSERT_TRUE(ended->peers);
  EXPECT_EQ(ended->peers->block(), 1u);
  EXPECT_EQ(ended->timer->status(), v1::TIMER_STATUS_IDLE);
  EXPECT_EQ(ended->timer->phase_index(), 0u);
  EXPECT_EQ(roles(*ended->peers), (std::map<std::string, v1::StudyRole>{
                                      {"Ada", STUDY_ROLE_OBSERVER}, {"Bo", STUDY_ROLE_DESIGNER}, {"Cy", STUDY_ROLE_INTERVIEWER}}));

  // A reload keeps one's role; a newcomer during the block observes.
  ASSERT_TRUE(study_->leave(me(), b).ok());
  EXPECT_EQ(join("Bo", b), b);
  const std::string d = join("Di");
  auto peers = snapshot().peers();
  EXPECT_EQ(peers.Get(1).role(), STUDY_ROLE_DESIGNER);
  EXPECT_EQ(peers.Get(3).role(), STUDY_ROLE_OBSERVER);

  // The next block ends by itself on the tick (auto-advance) after the plan's 60 minutes.
  ASSERT_TRUE(timer(v1::TIMER_ACTION_START).ok());
  clock_.advance(60 * 60'000);
  auto ticked = study_->advance(me().study_id, clock_.now());
  ASSERT_TRUE(ticked.ok());
  ASSERT_TRUE(ticked->peers);
  EXPECT_EQ(ticked->peers->block(), 2u);
  EXPECT_EQ(roles(*ticked->peers), (std::map<std::string, v1::StudyRole>{{"Ada", STUDY_ROLE_OBSERVER},
                                                                          {"Bo", STUDY_ROLE_OBSERVER},
                                                                          {"Cy", STUDY_ROLE_DESIGNER},
                                                                          {"Di", STUDY_ROLE_INTERVIEWER}}));
  // Kept across a restart; switched off, nobody has a role.
  for (const auto& id : {a, b, c, d}) ASSERT_TRUE(study_->leave(me(), id).ok());
  open_study();
  auto snap = snapshot();
  EXPECT_TRUE(snap.rotation());
  EXPECT_EQ(snap.block(), 2u);
  EXPECT_EQ(snap.peers(2).role(), STUDY_ROLE_DESIGNER);
  auto off = study_->set_rotation(me(), false);
  ASSERT_TRUE(off.ok());
  for (const auto& p : off->peers()) EXPECT_EQ(p.role(), STUDY_ROLE_UNSPECIFIED);
}

TEST_F(StudyServiceTest, FeedbackIsBoundedStoredAndReadableByThePeers) {
  const std::string a = join("Ada"), b = join("Bo");
  v1::StudySubmitFeedback form;
  EXPECT_EQ(study_->submit_feedback(me(), a, form).error().code, Errc::invalid_argument);  // empty
  form.set_rating(kMaxStudyRating + 1);
  EXPECT_EQ(study_->submit_feedback(me(), a, form).error().code, Errc::invalid_argument);
  form.set_rating(3);
  form.set_went_well(std::string(kMaxFeedbackTextBytes + 1, 'w'));
  EXPECT_EQ(study_->submit_feedback(me(), a, form).error().code, Errc::invalid_argument);
  form.set_went_well("Clear requirements and numbers.");
  form.set_to_improve("Go deeper on the data model.");
  form.set_about_peer_id("nobody");
  EXPECT_EQ(study_->submit_feedback(me(), a, form).error().code, Errc::not_found);
  form.set_about_peer_id(b);
  EXPECT_EQ(study_->submit_feedback(me(), "not-joined", form).error().code, Errc::conflict);
  auto fb = study_->submit_feedback(me(), a, form);
  ASSERT_TRUE(fb.ok());
  EXPECT_EQ(fb->author_name(), "Ada");
  EXPECT_EQ(fb->about_name(), "Bo");
  open_study();
  auto snap = snapshot();
  ASSERT_EQ(snap.feedback_size(), 1);
  EXPECT_EQ(snap.feedback(0).went_well(), "Clear requirements and numbers.");
  EXPECT_EQ(snap.feedback(0).rating(), 3u);
}

TEST_F(StudyServiceTest, AFullRosterOfPresentPeersRefusesAnotherButAbsentPeersMakeWay) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < kMaxStudyPeers; ++i) ids.push_back(join("P" + std::to_string(i)));
  EXPECT_EQ(study_->join(me(), "", "Late").error().code, Errc::conflict);
  ASSERT_TRUE(study_->leave(me(), ids[0]).ok());
  join("Late");
  auto j = study_->join(me(), ids[0], "P0");  // P0's place went to Late: a new peer, and full again
  EXPECT_EQ(j.error().code, Errc::conflict);
}

TEST_F(StudyServiceTest, TheHubRelaysEveryChangeToEveryPeer) {
  StudyHub hub(*service_, *study_);
  auto pa = std::make_shared<Recorder>(), pb = std::make_shared<Recorder>(), px = std::make_shared<Recorder>();
  auto sa = hub.open(token_, pa), sb = hub.open(token_, pb);
  auto sx = hub.open(std::string(43, 'Q'), px);
  hub.wait_idle();
  EXPECT_EQ(px->code, close_code(Errc::unauthenticated));
  EXPECT_EQ(pa->code, 0);
  auto send = [&](StudySession& s, const std::function<void(v1::ClientMessage&)>& fill) {
    v1::ClientMessage m;
    m.set_request_id(5);
    fill(m);
    const std::string b = m.SerializeAsString();
    s.on_message({reinterpret_cast<const uint8_t*>(b.data()), b.size()});
    hub.wait_idle();
  };
  send(*sa, [](auto& m) { m.mutable_timer()->set_action(v1::TIMER_ACTION_START); });
  ASSERT_EQ(pa->messages.back().error().code(), "conflict");  // join first
  send(*sa, [](auto& m) { m.mutable_study_join()->set_name("Ada"); });
  ASSERT_TRUE(pa->messages.back().has_study_snapshot());
  send(*sb, [](auto& m) { m.mutable_study_join()->set_name("Bo"); });
  ASSERT_TRUE(pb->messages.back().has_study_snapshot());
  ASSERT_TRUE(pa->messages.back().has_study_peers());
  EXPECT_EQ(pa->messages.back().study_peers().peers_size(), 2);
  send(*sb, [](auto& m) { m.mutable_timer()->set_action(v1::TIMER_ACTION_START); });
  ASSERT_TRUE(pa->messages.back().has_timer());
  EXPECT_EQ(pa->messages.back().timer().status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(pb->messages.back().request_id(), 5u);
  send(*sa, [](auto& m) { m.mutable_select_question()->set_question_id("sd-global-cdn"); });
  ASSERT_TRUE(pb->messages.back().has_question_selected());
  EXPECT_GT(pb->messages.back().question_selected().question().hints_size(), 0);
  send(*sb, [](auto& m) { m.mutable_join_round()->set_round_index(0); });
  EXPECT_EQ(pb->messages.back().error().code(), "forbidden");
  send(*sb, [](auto& m) { m.mutable_study_feedback()->set_went_well("Good pacing"); });
  ASSERT_TRUE(pa->messages.back().has_study_feedback());
  EXPECT_EQ(pa->messages.back().study_feedback().feedback().author_name(), "Bo");
  // The tick ends a block that ran out (auto-advance) and tells everyone.
  send(*sa, [](auto& m) { m.mutable_study_rotation()->set_enabled(true); });
  clock_.advance(60 * 60'000);
  hub.tick(std::chrono::system_clock::time_point(std::chrono::milliseconds(clock_.now())));
  hub.wait_idle();
  ASSERT_TRUE(pb->messages.back().has_timer());
  EXPECT_EQ(pb->messages.back().timer().status(), v1::TIMER_STATUS_IDLE);
  ASSERT_TRUE(pb->messages[pb->messages.size() - 2].has_study_peers());
  EXPECT_EQ(pb->messages[pb->messages.size() - 2].study_peers().block(), 1u);
  EXPECT_EQ(pb->messages[pb->messages.size() - 2].study_peers().peers(1).role(), v1::STUDY_ROLE_DESIGNER);
  sb->leave();
  hub.wait_idle();
  ASSERT_TRUE(pa->messages.back().has_study_peers());
  EXPECT_FALSE(pa->messages.back().study_peers().peers(1).present());
  EXPECT_EQ(hub.session_count(), 1u);
  sa->leave();
  sx->leave();
  hub.wait_idle();
  EXPECT_EQ(hub.session_count(), 0u);
}

TEST_F(StudyServiceTest, EndingATokensAccessClosesItsSessionsJoinedOrNot) {
  StudyHub hub(*service_, *study_);
  auto joined = std::make_shared<Recorder>(), lurking = std::make_shared<Recorder>();
  auto sj = hub.open(token_, joined), sl = hub.open(token_, lurking);
  hub.wait_idle();
  v1::ClientMessage m;
  m.mutable_study_join()->set_name("Ada");
  const std::string b = m.SerializeAsString();
  sj->on_message({reinterpret_cast<const uint8_t*>(b.data()), b.size()});
  hub.wait_idle();
  ASSERT_TRUE(joined->messages.back().has_study_snapshot());
  EXPECT_TRUE(lurking->messages.empty());  // connected, never sent study_join
  service_->notify_access_ended({me().token_id}, "invite revoked");
  EXPECT_EQ(joined->code, kCloseAccessEnded);
  EXPECT_EQ(lurking->code, kCloseAccessEnded);
  sj->leave();
  sl->leave();
  hub.wait_idle();
  EXPECT_EQ(hub.session_count(), 0u);
}

}  // namespace
