// Phase timer with an injected clock: start, pause, resume, next, previous, extend,
// auto-advance, overtime, and surviving a restart.
#include "loop/phase_timer.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {
constexpr int64_t kMin = 60'000;
constexpr int64_t T0 = 1'800'000'000'000;
// The coding plan: 6, 4, 28, 7 minutes.
PhaseTimer coding(bool auto_advance) { return PhaseTimer(1, {6 * kMin, 4 * kMin, 28 * kMin, 7 * kMin}, auto_advance); }
}  // namespace

TEST(PhaseTimer, StartPauseResumeKeepTheRemainingTime) {
  auto t = coding(false);
  EXPECT_EQ(t.view(T0).status(), v1::TIMER_STATUS_IDLE);
  EXPECT_EQ(t.view(T0).remaining_ms(), 6 * kMin);
  ASSERT_TRUE(t.start(T0).ok());
  EXPECT_EQ(t.view(T0 + 1000).remaining_ms(), 6 * kMin - 1000);
  EXPECT_EQ(t.view(T0).phase_ends_at_ms(), T0 + 6 * kMin);
  ASSERT_TRUE(t.pause(T0 + 60'000).ok());
  // Time passes while paused: nothing changes.
  EXPECT_EQ(t.view(T0 + 10 * kMin).remaining_ms(), 5 * kMin);
  ASSERT_TRUE(t.resume(T0 + 10 * kMin).ok());
  EXPECT_EQ(t.view(T0 + 10 * kMin).phase_ends_at_ms(), T0 + 15 * kMin);
  EXPECT_FALSE(t.resume(T0).ok()) << "not paused";
  EXPECT_FALSE(t.start(T0).ok()) << "already started";
}

TEST(PhaseTimer, NextPreviousAndFinish) {
  auto t = coding(false);
  ASSERT_TRUE(t.start(T0).ok());
  ASSERT_TRUE(t.next(T0 + kMin).ok());
  EXPECT_EQ(t.view(T0 + kMin).phase_index(), 1u);
  EXPECT_EQ(t.view(T0 + kMin).remaining_ms(), 4 * kMin);
  ASSERT_TRUE(t.previous(T0 + 2 * kMin).ok());
  EXPECT_EQ(t.view(T0 + 2 * kMin).phase_index(), 0u);
  EXPECT_EQ(t.view(T0 + 2 * kMin).remaining_ms(), 5 * kMin) << "a phase resumes with the time it had left";
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(t.next(T0 + 3 * kMin).ok());
  EXPECT_EQ(t.view(T0).phase_index(), 3u);
  ASSERT_TRUE(t.next(T0 + 4 * kMin).ok());
  EXPECT_EQ(t.view(T0 + 4 * kMin).status(), v1::TIMER_STATUS_FINISHED);
  EXPECT_FALSE(t.next(T0).ok());
  ASSERT_TRUE(t.previous(T0 + 5 * kMin).ok());
  EXPECT_EQ(t.view(T0).status(), v1::TIMER_STATUS_PAUSED);
  EXPECT_EQ(t.view(T0).phase_index(), 3u);
}

TEST(PhaseTimer, PreviousResumesEachPhaseWithItsRemainingTime) {
  auto t = coding(false);
  ASSERT_TRUE(t.start(T0).ok());
  // 2 min into phase 0 (6 min), a hasty "next"; 1 min into phase 1 (4 min), "previous".
  ASSERT_TRUE(t.next(T0 + 2 * kMin).ok());
  ASSERT_TRUE(t.previous(T0 + 3 * kMin).ok());
  auto v = t.view(T0 + 3 * kMin);
  EXPECT_EQ(v.phase_index(), 0u);
  EXPECT_EQ(v.status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(v.remaining_ms(), 4 * kMin);
  EXPECT_EQ(v.phase_ends_at_ms(), T0 + 7 * kMin);
  EXPECT_EQ(v.phase_duration_ms(), 6 * kMin);
  // "next" again returns to phase 1 with its 3 minutes left, paused or not.
  ASSERT_TRUE(t.pause(T0 + 4 * kMin).ok());
  ASSERT_TRUE(t.next(T0 + 9 * kMin).ok());
  EXPECT_EQ(t.view(T0 + 9 * kMin).remaining_ms(), 3 * kMin);
  // An extension stays with its phase.
  ASSERT_TRUE(t.extend(T0, 2 * kMin).ok());
  ASSERT_TRUE(t.previous(T0).ok());
  EXPECT_EQ(t.view(T0).remaining_ms(), 3 * kMin) << "phase 0: 6 - 3 used";
  ASSERT_TRUE(t.next(T0).ok());
  EXPECT_EQ(t.view(T0).remaining_ms(), 5 * kMin) << "phase 1: 4 + 2 extended - 1 used";
  EXPECT_EQ(t.view(T0).phase_duration_ms(), 6 * kMin);
  // The history survives persistence; a reset clears it.
  v1::TimerState persisted;
  ASSERT_TRUE(persisted.ParseFromString(t.state().SerializeAsString()));
  PhaseTimer restored({6 * kMin, 4 * kMin, 28 * kMin, 7 * kMin}, persisted);
  ASSERT_TRUE(restored.previous(T0).ok());
  EXPECT_EQ(restored.view(T0).remaining_ms(), 3 * kMin);
  restored.reset();
  EXPECT_EQ(restored.view(T0).remaining_ms(), 6 * kMin);
  ASSERT_TRUE(restored.start(T0).ok());
  ASSERT_TRUE(restored.next(T0 + kMin).ok());
  EXPECT_EQ(restored.view(T0 + kMin).remaining_ms(), 4 * kMin);
}

TEST(PhaseTimer, PreviousAfterAutoAdvanceComesBackWithTheOvertimeItHad) {
  auto t = coding(true);
  ASSERT_TRUE(t.start(T0).ok());
  EXPECT_TRUE(t.advance(T0 + 7 * kMin));  // phase 0 ran out at T0+6
  ASSERT_TRUE(t.pause(T0 + 7 * kMin).ok());
  ASSERT_TRUE(t.previous(T0 + 7 * kMin).ok());
  EXPECT_EQ(t.view(T0 + 7 * kMin).remaining_ms(), 0);
  ASSERT_TRUE(t.next(T0 + 7 * kMin).ok());
  EXPECT_EQ(t.view(T0 + 7 * kMin).remaining_ms(), 3 * kMin) << "phase 1 had run 1 of its 4 minutes";
}

TEST(PhaseTimer, ExtendAddsToTheCurrentPhaseOnly) {
  auto t = coding(false);
  ASSERT_TRUE(t.start(T0).ok());
  ASSERT_TRUE(t.extend(T0, 2 * kMin).ok());
  EXPECT_EQ(t.view(T0).remaining_ms(), 8 * kMin);
  EXPECT_EQ(t.view(T0).phase_duration_ms(), 8 * kMin);
  ASSERT_TRUE(t.next(T0 + kMin).ok());
  EXPECT_EQ(t.view(T0 + kMin).phase_duration_ms(), 4 * kMin);
  EXPECT_FALSE(t.extend(T0, 0).ok());
  EXPECT_FALSE(t.extend(T0, kMaxExtendMs + 1).ok());
  v1::TimerCommand cmd;
  cmd.set_action(v1::TIMER_ACTION_EXTEND);
  cmd.set_extend_seconds(-5);
  EXPECT_EQ(t.apply(cmd, T0).error().code, Errc::invalid_argument);
}

TEST(PhaseTimer, WithoutAutoAdvanceAPhaseRunsIntoOvertime) {
  auto t = coding(false);
  ASSERT_TRUE(t.start(T0).ok());
  EXPECT_FALSE(t.advance(T0 + 7 * kMin));
  auto v = t.view(T0 + 7 * kMin);
  EXPECT_EQ(v.phase_index(), 0u);
  EXPECT_TRUE(v.overtime());
  EXPECT_EQ(v.remaining_ms(), -kMin);
}

TEST(PhaseTimer, AutoAdvanceChainsPhasesFromTheirPlannedEnds) {
  auto t = coding(true);
  ASSERT_TRUE(t.start(T0).ok());
  EXPECT_FALSE(t.advance(T0 + 6 * kMin - 1));
  // 11 minutes in: phase 0 (6) and phase 1 (4) are over; phase 2 began at T0+10min.
  EXPECT_TRUE(t.advance(T0 + 11 * kMin));
  auto v = t.view(T0 + 11 * kMin);
  EXPECT_EQ(v.phase_index(), 2u);
  EXPECT_EQ(v.phase_ends_at_ms(), T0 + 38 * kMin);
  EXPECT_EQ(v.remaining_ms(), 27 * kMin);
  EXPECT_TRUE(t.advance(T0 + 45 * kMin));
  EXPECT_EQ(t.view(T0 + 45 * kMin).status(), v1::TIMER_STATUS_FINISHED);
  // Turning auto-advance off mid-phase leaves it to run over.
  auto u = coding(true);
  ASSERT_TRUE(u.start(T0).ok());
  u.set_auto_advance(false);
  EXPECT_FALSE(u.advance(T0 + 20 * kMin));
  EXPECT_TRUE(u.view(T0 + 20 * kMin).overtime());
}

TEST(PhaseTimer, RevisionBumpsOnEveryChange) {
  auto t = coding(false);
  const auto r0 = t.state().revision();
  ASSERT_TRUE(t.start(T0).ok());
  ASSERT_TRUE(t.pause(T0 + 1).ok());
  EXPECT_EQ(t.state().revision(), r0 + 2);
}

TEST(PhaseTimer, PersistedStateRestoresARunningTimer) {
  auto t = coding(false);
  ASSERT_TRUE(t.start(T0).ok());
  ASSERT_TRUE(t.next(T0 + 5 * kMin).ok());
  const std::string bytes = t.state().SerializeAsString();
  v1::TimerState persisted;
  ASSERT_TRUE(persisted.ParseFromString(bytes));
  PhaseTimer restored({6 * kMin, 4 * kMin, 28 * kMin, 7 * kMin}, persisted);
  EXPECT_EQ(restored.view(T0 + 6 * kMin).phase_index(), 1u);
  EXPECT_EQ(restored.view(T0 + 6 * kMin).remaining_ms(), 3 * kMin);
}

// Through the service: the timer is kept per round, persisted, and survives a restart;
// a restart during a running auto-advancing phase catches up from the stored end times.
class TimerService : public LoopFixture {};

TEST_F(TimerService, SurvivesARestartAndCatchesUp) {
  create_l6_loop();
  auto host = service_->authenticate(tokens_["host"]);
  ASSERT_TRUE(host.ok());
  v1::TimerCommand start;
  start.set_action(v1::TIMER_ACTION_START);
  auto s = service_->timer_command(*host, 1, start);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_TRUE(s->auto_advance()) << "the loop was created with autoAdvance";
  const int64_t started = clock_.now();

  open_service();  // restart
  clock_.advance(11 * kMin);
  host = service_->authenticate(tokens_["host"]);
  auto snap = service_->snapshot(*host, 1);
  ASSERT_TRUE(snap.ok()) << snap.error().message;
  EXPECT_EQ(snap->timer().status(), v1::TIMER_STATUS_RUNNING);
  EXPECT_EQ(snap->timer().phase_index(), 2u);
  EXPECT_EQ(snap->timer().phase_ends_at_ms(), started + 38 * kMin);
  EXPECT_EQ(snap->timer().server_now_ms(), clock_.now());
  EXPECT_EQ(snap->timer().remaining_ms(), 27 * kMin);
  // Other rounds have their own timers.
  EXPECT_EQ(service_->snapshot(*host, 2)->timer().status(), v1::TIMER_STATUS_IDLE);
}

TEST_F(TimerService, PausedStatePersistsAcrossRestart) {
  create_l6_loop();
  auto iv = *service_->authenticate(tokens_["iv1"]);
  v1::TimerCommand cmd;
  cmd.set_action(v1::TIMER_ACTION_START);
  ASSERT_TRUE(service_->timer_command(iv, 1, cmd).ok());
  clock_.advance(2 * kMin);
  cmd.set_action(v1::TIMER_ACTION_PAUSE);
  ASSERT_TRUE(service_->timer_command(iv, 1, cmd).ok());
  open_service();
  clock_.advance(30 * kMin);
  iv = *service_->authenticate(tokens_["iv1"]);
  auto snap = service_->snapshot(iv, 1);
  EXPECT_EQ(snap->timer().status(), v1::TIMER_STATUS_PAUSED);
  EXPECT_EQ(snap->timer().remaining_ms(), 4 * kMin);
}

TEST_F(TimerService, OnlyStaffOfTheRoundControlTheTimer) {
  create_l6_loop();
  v1::TimerCommand cmd;
  cmd.set_action(v1::TIMER_ACTION_START);
  const std::map<std::string, bool> allowed = {{"host", true}, {"iv1", true}, {"iv2", false}, {"bar_raiser", true},
                                               {"observer", false}, {"candidate", false}};
  // Round 2: iv2 is not assigned. Each allowed caller starts then resets.
  for (const auto& [role, ok] : allowed) {
    auto p = *service_->authenticate(tokens_[role]);
    cmd.set_action(v1::TIMER_ACTION_START);
    auto r = service_->timer_command(p, 2, cmd);
    EXPECT_EQ(r.ok(), ok) << role;
    if (!ok) {
      EXPECT_EQ(r.error().code, Errc::forbidden) << role;
    }
    cmd.set_action(v1::TIMER_ACTION_RESET);
    if (ok) {
      ASSERT_TRUE(service_->timer_command(p, 2, cmd).ok());
    }
  }
}
