#include "loop/scorecard_rules.hpp"

#include <set>

#include "loop/limits.hpp"

namespace mockloop::loop {
namespace {

Error invalid(std::string msg) { return make_error(Errc::invalid_argument, std::move(msg)); }

bool rating_ok(int r) { return r >= v1::RATING_UNSPECIFIED && r <= v1::RATING_STRONG_HIRE; }

// Cited moments (issue 19): a few, each inside the loop's time.
template <typename Moments>
bool moments_ok(const Moments& m, const MomentWindow& w) {
  if (m.size() > kMaxMomentsPerRating) return false;
  for (int64_t ms : m)
    if (ms < w.from_ms || ms > w.to_ms) return false;
  return true;
}

}  // namespace

Result<void> validate_draft(const content::Catalog& catalog, const v1::Round& round, v1::Role author_role,
                            const v1::ScorecardDraft& draft, const MomentWindow& moments) {
  const auto* rubric = catalog.rubric_for(round.kind());
  if (draft.competencies_size() > kMaxScoresPerCard || draft.lp_signals_size() > kMaxScoresPerCard)
    return invalid("at most 64 competency scores and 64 LP signals");
  if (!rating_ok(draft.overall())) return invalid("overall rating must be 1..4");
  if (draft.summary().size() > kMaxSummaryBytes) return invalid("summary longer than 16 KiB");
  if (draft.bar_raiser_verdict() < v1::BAR_RAISER_VERDICT_UNSPECIFIED ||
      draft.bar_raiser_verdict() > v1::BAR_RAISER_VERDICT_VETO)
    return invalid("unknown bar_raiser_verdict");
  if (draft.bar_raiser_verdict() != v1::BAR_RAISER_VERDICT_UNSPECIFIED && author_role != v1::ROLE_BAR_RAISER)
    return make_error(Errc::forbidden, "only the bar raiser may set bar_raiser_verdict");
  std::set<std::string> seen;
  for (const auto& c : draft.competencies()) {
    bool known = false;
    if (rubric)
      for (const auto& rc : rubric->competencies()) known = known || rc.id() == c.competency_id();
    if (!known) return invalid("unknown competency '" + c.competency_id().substr(0, 64) + "' for this round");
    if (!seen.insert(c.competency_id()).second) return invalid("competency '" + c.competency_id() + "' rated twice");
    if (!rating_ok(c.rating())) return invalid("rating of '" + c.competency_id() + "' must be 1..4");
    if (c.evidence().size() > kMaxEvidenceBytes) return invalid("evidence of '" + c.competency_id() + "' longer than 8 KiB");
    if (!moments_ok(c.moments_ms(), moments))
      return invalid("moments of '" + c.competency_id() + "': at most 8, each inside the loop's time");
  }
  seen.clear();
  for (const auto& s : draft.lp_signals()) {
    if (!catalog.find_principle(s.lp_id())) return invalid("unknown principle '" + s.lp_id().substr(0, 64) + "'");
    if (!seen.insert(s.lp_id()).second) return invalid("principle '" + s.lp_id() + "' signalled twice");
    if (!rating_ok(s.rating())) return invalid("rating of '" + s.lp_id() + "' must be 1..4");
    if (s.evidence().size() > kMaxEvidenceBytes) return invalid("evidence of '" + s.lp_id() + "' longer than 8 KiB");
    if (!moments_ok(s.moments_ms(), moments))
      return invalid("moments of '" + s.lp_id() + "': at most 8, each inside the loop's time");
  }
  return {};
}

}  // namespace mockloop::loop
