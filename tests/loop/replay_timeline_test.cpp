// The replay timeline builder (issue 19) on hand-made inputs: timer states become phase
// events and bands, note paragraphs are dated by their stamps, edits become bursts per
// participant, and everything comes out in time order.
#include "loop/replay_timeline.hpp"

#include <gtest/gtest.h>

namespace mockloop::loop {
namespace {

store::RoundEventRow timer_row(int64_t at, uint32_t phase, v1::TimerStatus status, int64_t extended = 0) {
  v1::TimerState s;
  s.set_phase_index(phase);
  s.set_status(status);
  s.set_phase_ends_at_ms(at + 60'000);
  s.set_remaining_ms(60'000);
  s.add_phase_extended_ms(extended);
  s.add_phase_extended_ms(0);
  return store::RoundEventRow{at, "timer", "host", "", s.SerializeAsString()};
}

LoopService::ReplayFacts facts() {
  LoopService::ReplayFacts f;
  f.phase_ms = {600'000, 600'000};
  f.phase_names = {"Requirements", "Design"};
  f.events = {timer_row(1000, 0, v1::TIMER_STATUS_RUNNING),
              {1500, "question", "host", "Design a cache", "q-cache"},
              timer_row(2000, 0, v1::TIMER_STATUS_PAUSED),
              timer_row(3000, 0, v1::TIMER_STATUS_RUNNING, 120'000),
              timer_row(4000, 1, v1::TIMER_STATUS_RUNNING, 120'000),
              timer_row(9000, 1, v1::TIMER_STATUS_FINISHED, 120'000)};
  auto* p = f.loop.add_participants();
  p->set_id("cand");
  p->set_display_name("Cam");
  return f;
}

std::vector<std::string> kinds(const nlohmann::json& tl) {
  std::vector<std::string> out;
  for (const auto& e : tl["events"]) out.push_back(e["kind"]);
  return out;
}

TEST(ReplayTimeline, TimerStatesBecomePhaseEventsAndBands) {
  auto tl = build_timeline(facts(), {}, {});
  EXPECT_EQ(kinds(tl), (std::vector<std::string>{"phase_started", "question_asked", "phase_paused", "phase_resumed",
                                                 "phase_extended", "phase_started", "round_finished"}));
  EXPECT_EQ(tl["events"][0]["summary"], "Requirements started");
  EXPECT_EQ(tl["events"][4]["summary"], "Requirements extended by 2 min");
  ASSERT_EQ(tl["phases"].size(), 4u);  // running, paused, running (phase 0), running (phase 1)
  EXPECT_EQ(tl["phases"][3]["name"], "Design");
  EXPECT_EQ(tl["phases"][3]["endMs"], 9000);
  EXPECT_EQ(tl["startMs"], 1000);
  EXPECT_EQ(tl["endMs"], 9000);
}

TEST(ReplayTimeline, EditsAreBurstsPerParticipantInTimeOrder) {
  std::vector<store::HistoryMark> marks = {{1, 1200, "cand", 10}, {2, 1300, "cand", 10}, {3, 1250, "iv", 5},
                                           {4, 1300 + kEditBurstGapMs + 1, "cand", 10}};
  auto tl = build_timeline(facts(), marks, {});
  std::vector<std::string> edits;
  for (const auto& e : tl["events"])
    if (e["kind"] == "edits") edits.push_back(std::string(e["participantId"]) + ":" + std::string(e["summary"]));
  EXPECT_EQ(edits, (std::vector<std::string>{"cand:2 changes", "iv:1 change", "cand:1 change"}));
  int64_t prev = 0;
  for (const auto& e : tl["events"]) {
    EXPECT_GE(e["atMs"].get<int64_t>(), prev);
    prev = e["atMs"];
  }
}

TEST(ReplayTimeline, NoteParagraphsAreDatedByTheirStamps) {
  auto stamps = nlohmann::json::parse(R"([{"serverTimeMs": 5555, "elapsedMs": 5200, "pos": null}])");
  auto ps = note_paragraphs("[0:05] drew the cache first\nplain line\n[1:10] asked about scale\n", stamps, "iv", 1000);
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].at_ms, 5555);
  EXPECT_EQ(ps[0].text, "drew the cache first");
  EXPECT_EQ(ps[1].at_ms, 1000 + 70'000);  // no stamp entry: the round's start + the stamp
  EXPECT_EQ(ps[1].author_id, "iv");
}

TEST(ReplayTimeline, TimerAndQuestionAtAMoment) {
  auto f = facts();
  EXPECT_EQ(timer_at(f, 500)["status"], "idle");
  EXPECT_EQ(timer_at(f, 2500)["status"], "paused");
  EXPECT_EQ(timer_at(f, 4500)["phaseName"], "Design");
  EXPECT_EQ(timer_at(f, 4500)["remainingMs"], 59'500);
  EXPECT_TRUE(question_at(f, 1400).is_null());
  EXPECT_EQ(question_at(f, 1600)["id"], "q-cache");
}

}  // namespace
}  // namespace mockloop::loop
