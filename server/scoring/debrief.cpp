#include "scoring/debrief.hpp"

#include <algorithm>
#include <map>

namespace mockloop::scoring {
namespace {

bool is_hire(v1::Rating r) { return r == v1::RATING_HIRE || r == v1::RATING_STRONG_HIRE; }
bool is_rated(v1::Rating r) { return r >= v1::RATING_STRONG_NO_HIRE && r <= v1::RATING_STRONG_HIRE; }

const char* rating_name(v1::Rating r) {
  switch (r) {
    case v1::RATING_STRONG_NO_HIRE: return "strong no hire";
    case v1::RATING_NO_HIRE: return "no hire";
    case v1::RATING_HIRE: return "hire";
    case v1::RATING_STRONG_HIRE: return "strong hire";
    default: return "unrated";
  }
}

}  // namespace

v1::RoundOutcome round_outcome(const v1::Round& round, const std::vector<v1::Scorecard>& submitted) {
  v1::RoundOutcome out;
  out.set_round_index(round.index());
  out.set_title(round.title());
  out.set_kind(round.kind());
  out.set_onsite(round.onsite());
  int sum = 0, n = 0, lo = 5, hi = 0;
  bool any_hire = false, any_no = false;
  for (const auto& sc : submitted) {
    if (sc.round_index() != round.index() || sc.status() != v1::SCORECARD_STATUS_SUBMITTED) continue;
    *out.add_scorecards() = sc;
    const auto r = sc.content().overall();
    if (!is_rated(r)) continue;
    sum += r;
    ++n;
    lo = std::min(lo, static_cast<int>(r));
    hi = std::max(hi, static_cast<int>(r));
    (is_hire(r) ? any_hire : any_no) = true;
  }
  if (n == 0) return out;
  out.set_complete(true);
  // Mean rounded half-down: floor((2*sum + n - 1) / (2n)) rounds x.5 down.
  const int rec = (2 * sum + n - 1) / (2 * n);
  out.set_recommendation(static_cast<v1::Rating>(rec));
  out.set_inclined_to_hire(is_hire(out.recommendation()));
  out.set_weak(!out.inclined_to_hire());
  if ((any_hire && any_no) || hi - lo >= 2) {
    out.set_disagreement(true);
    out.set_disagreement_note(std::string("ratings range from ") + rating_name(static_cast<v1::Rating>(lo)) + " to " +
                              rating_name(static_cast<v1::Rating>(hi)));
  }
  return out;
}

v1::Decision decide(const v1::Loop& loop, const std::vector<v1::RoundOutcome>& outcomes) {
  v1::Decision d;
  const auto rule = loop.decision_rule();
  if (rule == v1::DECISION_RULE_NONE || rule == v1::DECISION_RULE_UNSPECIFIED) {
    d.set_outcome(v1::DECISION_OUTCOME_NOT_APPLICABLE);
    d.set_rule("practice: no hiring decision");
    return d;
  }
  uint32_t onsite = 0, hire = 0, weak = 0, missing = 0;
  const v1::RoundOutcome* br_round = nullptr;
  for (size_t i = 0; i < outcomes.size() && i < static_cast<size_t>(loop.rounds_size()); ++i) {
    const auto& o = outcomes[i];
    if (loop.rounds(static_cast<int>(i)).bar_raiser()) br_round = &o;
    if (!o.onsite()) continue;
    ++onsite;
    if (!o.complete()) {
      ++missing;
      d.add_reasons("round '" + o.title() + "' has no submitted scorecard yet");
    } else if (o.inclined_to_hire()) {
      ++hire;
    } else {
      ++weak;
      d.add_reasons("round '" + o.title() + "' is below hire (" + rating_name(o.recommendation()) + ")");
    }
  }
  d.set_onsite_rounds(onsite);
  d.set_hire_rounds(hire);
  d.set_weak_rounds(weak);

  // Bar Raiser verdict: latest explicit verdict by a bar raiser, else the BR round outcome.
  v1::BarRaiserVerdict verdict = v1::BAR_RAISER_VERDICT_UNSPECIFIED;
  int64_t verdict_at = -1;
  for (const auto& o : outcomes) {
    for (const auto& sc : o.scorecards()) {
      if (sc.author_role() == v1::ROLE_BAR_RAISER && sc.content().bar_raiser_verdict() != v1::BAR_RAISER_VERDICT_UNSPECIFIED &&
          sc.submitted_at_ms() >= verdict_at) {
        verdict = sc.content().bar_raiser_verdict();
        verdict_at = sc.submitted_at_ms();
      }
    }
  }
  if (verdict == v1::BAR_RAISER_VERDICT_UNSPECIFIED && br_round && br_round->complete())
    verdict = br_round->inclined_to_hire() ? v1::BAR_RAISER_VERDICT_APPROVE : v1::BAR_RAISER_VERDICT_VETO;
  d.set_bar_raiser_approved(verdict == v1::BAR_RAISER_VERDICT_APPROVE);
  d.set_bar_raiser_vetoed(verdict == v1::BAR_RAISER_VERDICT_VETO);

  if (rule == v1::DECISION_RULE_MIN_HIRE_ROUNDS) {
    d.set_rule("at least " + std::to_string(loop.min_hire_rounds()) + " of " + std::to_string(onsite) +
               " onsite rounds inclined to hire, and the Bar Raiser's approval");
  } else {
    d.set_rule("no weak onsite round, and the Bar Raiser's approval");
  }
  if (d.bar_raiser_vetoed()) {
    d.add_reasons("the Bar Raiser vetoed the loop");
    d.set_outcome(v1::DECISION_OUTCOME_NO_HIRE);
    return d;
  }
  const bool rounds_fail = rule == v1::DECISION_RULE_MIN_HIRE_ROUNDS ? hire + missing < loop.min_hire_rounds()
                                                                      : weak > 0;
  if (rounds_fail) {
    if (rule == v1::DECISION_RULE_MIN_HIRE_ROUNDS)
      d.add_reasons(std::to_string(hire) + " onsite rounds inclined to hire, " + std::to_string(loop.min_hire_rounds()) +
                    " needed");
    d.set_outcome(v1::DECISION_OUTCOME_NO_HIRE);
    return d;
  }
  if (missing > 0 || !d.bar_raiser_approved()) {
    if (!d.bar_raiser_approved()) d.add_reasons("waiting for the Bar Raiser's verdict");
    d.set_outcome(v1::DECISION_OUTCOME_PENDING);
    return d;
  }
  if (rule == v1::DECISION_RULE_MIN_HIRE_ROUNDS && hire < loop.min_hire_rounds()) {
    d.set_outcome(v1::DECISION_OUTCOME_NO_HIRE);
    return d;
  }
  d.add_reasons("the Bar Raiser approved");
  d.set_outcome(v1::DECISION_OUTCOME_HIRE);
  return d;
}

std::vector<v1::LpCoverageRow> lp_coverage(const content::Catalog& catalog, const v1::Loop& loop,
                                           const std::vector<v1::RoundOutcome>& outcomes) {
  std::vector<v1::LpCoverageRow> rows;
  for (const auto& lp : catalog.principles()) {
    v1::LpCoverageRow row;
    row.set_lp_id(lp.id());
    row.set_lp_name(lp.name());
    row.set_weight(loop.level() == v1::LEVEL_L7 ? lp.weight_l7() : lp.weight_l6());
    for (const auto& o : outcomes) {
      uint32_t signals = 0;
      int lowest = 0;
      for (const auto& sc : o.scorecards()) {
        for (const auto& s : sc.content().lp_signals()) {
          if (s.lp_id() != lp.id()) continue;
          ++signals;
          if (is_rated(s.rating()) && (lowest == 0 || s.rating() < lowest)) lowest = s.rating();
        }
      }
      bool probed = signals > 0;
      if (!probed && o.round_index() < static_cast<uint32_t>(loop.rounds_size())) {
        const auto* q = catalog.find_question(loop.rounds(static_cast<int>(o.round_index())).selected_question_id());
        probed = q && std::find(q->lp_ids().begin(), q->lp_ids().end(), lp.id()) != q->lp_ids().end();
      }
      if (!probed) continue;
      auto* cell = row.add_cells();
      cell->set_round_index(o.round_index());
      cell->set_rating(static_cast<v1::Rating>(lowest));
      cell->set_signals(signals);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

v1::Debrief build_debrief(const content::Catalog& catalog, const v1::Loop& loop,
                          const std::vector<v1::Scorecard>& submitted, int64_t now_ms) {
  v1::Debrief out;
  *out.mutable_loop() = loop;
  std::vector<v1::RoundOutcome> outcomes;
  for (const auto& round : loop.rounds()) outcomes.push_back(round_outcome(round, submitted));
  for (const auto& o : outcomes) *out.add_rounds() = o;
  for (auto& row : lp_coverage(catalog, loop, outcomes)) *out.add_lp_coverage() = std::move(row);
  *out.mutable_decision() = decide(loop, outcomes);
  out.set_generated_at_ms(now_ms);
  return out;
}

}  // namespace mockloop::scoring
