// The progress numbers (scoring/progress_stats.hpp): spread by hand-worked quartiles, the
// self-assessment's score and band at each band's edges, story coverage gaps, the week of
// a moment, and series built from scorecards of several loops.
#include "scoring/progress_stats.hpp"

#include <gtest/gtest.h>

using namespace mockloop;
using namespace mockloop::v1;

namespace {

std::shared_ptr<const content::Catalog> catalog() {
  static auto c = content::load_catalog(std::string(MOCKLOOP_SOURCE_DIR) + "/content");
  return *c;
}

TEST(ProgressStats, SpreadInterpolatesQuartiles) {
  auto s = scoring::spread_of({4, 1, 3, 2});
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.q1, 1.75);
  EXPECT_DOUBLE_EQ(s.q3, 3.25);
  EXPECT_EQ(s.min, 1u);
  EXPECT_EQ(s.max, 4u);
  auto odd = scoring::spread_of({3, 1, 2, 4, 4});  // 1 2 3 4 4
  EXPECT_DOUBLE_EQ(odd.median, 3);
  EXPECT_DOUBLE_EQ(odd.q1, 2);
  EXPECT_DOUBLE_EQ(odd.q3, 4);
  auto one = scoring::spread_of({2});
  EXPECT_DOUBLE_EQ(one.median, 2);
  EXPECT_DOUBLE_EQ(one.q1, 2);
  EXPECT_EQ(scoring::spread_of({}).max, 0u);
}

TEST(ProgressStats, SelfAssessmentScoreAndBandAtTheEdges) {
  const auto& form = catalog()->self_assessment();
  ASSERT_EQ(form.statements_size(), 12);
  auto with_sum = [](uint32_t sum) {  // twelve ratings adding up to `sum`
    std::vector<uint32_t> r(12, 1);
    for (uint32_t left = sum - 12, i = 0; left > 0; i = (i + 1) % 12) {
      const uint32_t add = std::min(left, 5 - r[i]);
      r[i] += add;
      left -= add;
    }
    return r;
  };
  struct Case { uint32_t sum, score; const char* band; };
  for (const Case c : {Case{12, 0, "build-experience"}, Case{38, 54, "build-experience"}, Case{39, 56, "twelve-week-comprehensive"},
                       Case{45, 69, "twelve-week-comprehensive"}, Case{46, 71, "six-week-intensive"}, Case{52, 83, "six-week-intensive"},
                       Case{53, 85, "final-polish"}, Case{60, 100, "final-polish"}}) {
    auto a = scoring::assess(form, with_sum(c.sum));
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->score(), c.score) << "sum " << c.sum;
    EXPECT_EQ(a->band_id(), c.band) << "sum " << c.sum;
  }
  EXPECT_FALSE(scoring::assess(form, std::vector<uint32_t>(11, 3)));
  EXPECT_FALSE(scoring::assess(form, std::vector<uint32_t>(12, 0)));
  auto areas = scoring::assess(form, std::vector<uint32_t>{5, 5, 5, 5, 1, 1, 1, 1, 3, 3, 3, 3});
  ASSERT_TRUE(areas);
  ASSERT_EQ(areas->areas_size(), 3);
  EXPECT_EQ(areas->areas(0).score(), 100u);
  EXPECT_EQ(areas->areas(1).score(), 0u);
  EXPECT_EQ(areas->areas(2).score(), 50u);
}

TEST(ProgressStats, StoryCoverageNamesTheGaps) {
  std::vector<Story> stories(6);
  for (size_t i = 0; i < stories.size(); ++i) {
    stories[i].mutable_content()->set_kind(i < 5 ? STORY_KIND_LEADERSHIP_IMPACT : STORY_KIND_CHARACTER);
    stories[i].mutable_content()->add_principles(catalog()->principles()[i].id());
  }
  auto cov = scoring::story_coverage(*catalog(), stories);
  EXPECT_EQ(cov.principles_size(), 16);
  std::string all;
  for (const auto& g : cov.gaps()) all += g + "|";
  EXPECT_NE(all.find("No story shows 10 of the 16 principles"), std::string::npos) << all;
  EXPECT_EQ(all.find("Leadership impact"), std::string::npos) << "5 is within 5-7: " << all;
  EXPECT_NE(all.find("Character: 1 of at least 3 stories (2 more)"), std::string::npos) << all;
  EXPECT_NE(all.find("Vision: 0 of at least 3"), std::string::npos) << all;
  EXPECT_NE(all.find("aim for 10-12"), std::string::npos) << all;
}

TEST(ProgressStats, WeekStartsOnMondayUtc) {
  // 2026-12-05 is a Saturday; its week starts Monday 2026-11-30 00:00 UTC (1795996800000).
  EXPECT_EQ(scoring::week_start_ms(1795996800000 + 5 * 86'400'000LL + 3'600'000), 1795996800000);
  EXPECT_EQ(scoring::week_start_ms(1795996800000), 1795996800000);
  EXPECT_EQ(scoring::week_start_ms(1795996800000 - 1), 1795996800000 - 7 * 86'400'000LL);
}

TEST(ProgressStats, SeriesAcrossLoopsCarryRoundAndInterviewer) {
  auto card = [](uint32_t round, const std::string& who, Rating r, int64_t at) {
    Scorecard c;
    c.set_round_index(round);
    c.set_author_name(who);
    c.set_submitted_at_ms(at);
    auto* cs = c.mutable_content()->add_competencies();
    cs->set_competency_id("problem-solving");
    cs->set_rating(r);
    return c;
  };
  const int64_t now = 1795996800000 + 86'400'000;
  scoring::LoopRecord a, b;
  a.loop.set_id("a");
  a.loop.set_title("A");
  a.loop.set_created_at_ms(1);
  auto* ra = a.loop.add_rounds();
  ra->set_index(0);
  ra->set_title("Design");
  ra->set_kind(ROUND_KIND_SYSTEM_DESIGN);
  a.submitted = {card(0, "Ivo", RATING_HIRE, now - 2000), card(0, "Jo", RATING_NO_HIRE, now - 1000)};
  b.loop.set_id("b");
  b.loop.set_created_at_ms(2);
  b.loop.add_rounds()->set_index(0);
  b.submitted = {card(0, "Ivo", RATING_STRONG_HIRE, now - 500)};
  auto p = scoring::build_progress(*catalog(), {b, a}, {}, {}, now);
  ASSERT_EQ(p.loops_size(), 2);
  EXPECT_EQ(p.loops(0).loop_id(), "a") << "oldest first";
  ASSERT_EQ(p.competencies_size(), 1);
  const auto& s = p.competencies(0);
  EXPECT_EQ(s.count(), 3u);
  EXPECT_DOUBLE_EQ(s.median(), 3);
  EXPECT_EQ(s.points(0).interviewer_name(), "Ivo");
  EXPECT_EQ(s.points(0).round_title(), "Design");
  EXPECT_EQ(s.points(2).rating(), RATING_STRONG_HIRE);
  ASSERT_EQ(p.weeks_size(), scoring::kWeeksShown);
  EXPECT_EQ(p.weeks(scoring::kWeeksShown - 1).mock_interviews(), 2u) << "one round of each loop";
  EXPECT_EQ(p.weeks(scoring::kWeeksShown - 1).system_designs(), 1u);
}

}  // namespace
