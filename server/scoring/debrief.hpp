// The debrief of a loop: per-round outcomes from submitted scorecards, the LP coverage
// matrix, and the hiring decision under the loop's rule with the Bar Raiser's veto.
// Pure functions over protobuf values; thread-safe.
//
// Rules:
//  - A round's recommendation is the mean of its submitted overall ratings, rounded with
//    halves going down (one hire and one no hire make no hire). Inclined to hire = hire or
//    strong hire; weak = below hire. Disagreement = overall ratings on both sides of the
//    hire line, or two points apart.
//  - The Bar Raiser approves or vetoes with `bar_raiser_verdict` on a submitted scorecard
//    written with the bar raiser role (the latest such verdict counts); without a verdict,
//    the Bar Raiser round's own recommendation counts (hire = approve, weak = veto).
//  - MIN_HIRE_ROUNDS (L6): hire iff at least min_hire_rounds onsite rounds are inclined to
//    hire and the Bar Raiser approves. NO_WEAK_ROUND (L7): hire iff no onsite round is weak
//    and the Bar Raiser approves. A veto is no hire at once; otherwise missing rounds or a
//    missing verdict leave the decision pending unless no outcome of them could reach hire.
#pragma once

#include <cstdint>
#include <vector>

#include "content/catalog.hpp"
#include "loop.pb.h"

namespace mockloop::scoring {

// `submitted`: the latest submitted version of each author's scorecard in this round.
v1::RoundOutcome round_outcome(const v1::Round& round, const std::vector<v1::Scorecard>& submitted);

// `outcomes`: one per round of the loop, in order.
v1::Decision decide(const v1::Loop& loop, const std::vector<v1::RoundOutcome>& outcomes);

std::vector<v1::LpCoverageRow> lp_coverage(const content::Catalog& catalog, const v1::Loop& loop,
                                           const std::vector<v1::RoundOutcome>& outcomes);

// `submitted`: every latest submitted scorecard of the loop (any round, any author).
v1::Debrief build_debrief(const content::Catalog& catalog, const v1::Loop& loop,
                          const std::vector<v1::Scorecard>& submitted, int64_t now_ms);

}  // namespace mockloop::scoring
