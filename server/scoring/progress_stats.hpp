// A candidate's progress across loops (issue 20; docs/progress.md), as pure functions over
// protobuf values: the spread of a set of ratings, every competency and Leadership
// Principle rating over time with its round and interviewer, each loop's decision under its
// rule, the self-assessment's score and band, the STAR story bank's coverage and gaps, and
// the weekly goals counted from what happened. Thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "content/catalog.hpp"
#include "loop.pb.h"
#include "progress.pb.h"

namespace mockloop::scoring {

// How many weeks of goals the progress shows (default 8), the current one last.
inline constexpr int kWeeksShown = 8;

struct Spread {
  double median = 0, q1 = 0, q3 = 0;
  uint32_t min = 0, max = 0;
};
// Quartiles by linear interpolation between order statistics (numpy's default): for n
// sorted values, quantile p sits at position p * (n - 1). Empty input: all zero.
Spread spread_of(std::vector<uint32_t> values);

// One loop as the progress sees it: the loop, the latest submitted scorecard of each author
// in each round, and the decision under the loop's rule (scoring::decide).
struct LoopRecord {
  v1::Loop loop;
  std::vector<v1::Scorecard> submitted;
  v1::Decision decision;
};

// The self-assessment: Errc::invalid_argument unless `ratings` has one 1-5 rating per
// statement of `form`. Score = round((sum - n) * 100 / (4 * n)); the band whose range holds
// it; per area the same formula over that area's statements.
Result<v1::SelfAssessment> assess(const v1::SelfAssessmentForm& form, const std::vector<uint32_t>& ratings);

// Coverage of the 16 principles (content order) and of the Bar Raiser mix, with the gaps
// named: principles without a story, kinds below their minimum or above their maximum, a
// bank smaller than the guide's target.
v1::StoryCoverage story_coverage(const content::Catalog& catalog, const std::vector<v1::Story>& stories);

// Monday 00:00 UTC of the week holding `ms`.
int64_t week_start_ms(int64_t ms);

// Everything of the progress page but the profile: series (only ids with at least one
// rating; competencies by first appearance, principles in content order), loops oldest
// first, the kWeeksShown weeks ending with the one holding `now_ms`.
v1::ProgressResponse build_progress(const content::Catalog& catalog, std::vector<LoopRecord> loops,
                                    const std::vector<v1::SelfAssessment>& assessments,
                                    const std::vector<v1::Story>& stories, int64_t now_ms);

}  // namespace mockloop::scoring
