// Decision rules: L6 (4 of 6 onsite rounds + Bar Raiser), L7 (no weak round + Bar Raiser),
// the veto, pending states, disagreements and LP coverage.
#include "scoring/debrief.hpp"

#include <gtest/gtest.h>

using namespace mockloop;
using namespace mockloop::v1;

namespace {

std::shared_ptr<const content::Catalog> catalog() {
  static auto c = content::load_catalog(std::string(MOCKLOOP_SOURCE_DIR) + "/content");
  return *c;
}

// A loop built from the shipped template (every round included).
Loop make_loop(const std::string& template_id) {
  const auto* t = catalog()->find_template(template_id);
  Loop loop;
  loop.set_id("loop1");
  loop.set_level(t->level());
  loop.set_decision_rule(t->decision_rule());
  loop.set_min_hire_rounds(t->min_hire_rounds());
  uint32_t i = 0;
  for (const auto& spec : t->rounds()) {
    auto* r = loop.add_rounds();
    r->set_index(i++);
    r->set_title(spec.title());
    r->set_kind(spec.kind());
    r->set_onsite(spec.onsite());
    r->set_bar_raiser(spec.bar_raiser());
  }
  return loop;
}

Scorecard card(uint32_t round, const std::string& author, Rating overall, Role role = ROLE_INTERVIEWER,
               BarRaiserVerdict verdict = BAR_RAISER_VERDICT_UNSPECIFIED) {
  Scorecard s;
  s.set_round_index(round);
  s.set_author_id(author);
  s.set_author_role(role);
  s.set_status(SCORECARD_STATUS_SUBMITTED);
  s.set_version(1);
  s.set_submitted_at_ms(1000 + round);
  s.mutable_content()->set_overall(overall);
  s.mutable_content()->set_bar_raiser_verdict(verdict);
  return s;
}

// Onsite rounds of the L6 loop: 1 coding, 2 coding, 3 design, 4 beh, 5 beh, 6 bar raiser.
std::vector<Scorecard> l6_cards(std::vector<Rating> onsite, BarRaiserVerdict verdict) {
  std::vector<Scorecard> out;
  for (uint32_t i = 0; i < onsite.size(); ++i) {
    const uint32_t round = i + 1;
    const bool br = round == 6;
    out.push_back(card(round, br ? "br" : "iv" + std::to_string(round), onsite[i],
                       br ? ROLE_BAR_RAISER : ROLE_INTERVIEWER, br ? verdict : BAR_RAISER_VERDICT_UNSPECIFIED));
  }
  return out;
}

Decision decide_for(const std::string& tmpl, const std::vector<Scorecard>& cards) {
  return scoring::build_debrief(*catalog(), make_loop(tmpl), cards, 0).decision();
}

constexpr Rating H = RATING_HIRE, SH = RATING_STRONG_HIRE, NH = RATING_NO_HIRE, SNH = RATING_STRONG_NO_HIRE;

}  // namespace

TEST(DecisionL6, FourOfSixWithBarRaiserApprovalIsHire) {
  auto d = decide_for("l6-loop", l6_cards({H, NH, H, NH, SH, H}, BAR_RAISER_VERDICT_APPROVE));
  EXPECT_EQ(d.outcome(), DECISION_OUTCOME_HIRE);
  EXPECT_EQ(d.onsite_rounds(), 6u);
  EXPECT_EQ(d.hire_rounds(), 4u);
}

TEST(DecisionL6, ThreeOfSixIsNoHire) {
  auto d = decide_for("l6-loop", l6_cards({H, NH, NH, NH, SH, H}, BAR_RAISER_VERDICT_APPROVE));
  EXPECT_EQ(d.outcome(), DECISION_OUTCOME_NO_HIRE);
  EXPECT_EQ(d.hire_rounds(), 3u);
}

TEST(DecisionL6, BarRaiserVetoOverridesSixHireRounds) {
  auto d = decide_for("l6-loop", l6_cards({SH, SH, SH, SH, SH, H}, BAR_RAISER_VERDICT_VETO));
  EXPECT_EQ(d.outcome(), DECISION_OUTCOME_NO_HIRE);
  EXPECT_TRUE(d.bar_raiser_vetoed());
  EXPECT_EQ(d.hire_rounds(), 6u);
}

TEST(DecisionL6, WithoutVerdictTheBarRaiserRoundOutcomeCounts) {
  auto weak_br = decide_for("l6-loop", l6_cards({H, H, H, H, H, NH}, BAR_RAISER_VERDICT_UNSPECIFIED));
  EXPECT_EQ(weak_br.outcome(), DECISION_OUTCOME_NO_HIRE);
  EXPECT_TRUE(weak_br.bar_raiser_vetoed());
  auto good_br = decide_for("l6-loop", l6_cards({H, H, H, NH, NH, H}, BAR_RAISER_VERDICT_UNSPECIFIED));
  EXPECT_EQ(good_br.outcome(), DECISION_OUTCOME_HIRE);
}

TEST(DecisionL6, MissingRoundsArePendingUntilHireIsOutOfReach) {
  auto pending = decide_for("l6-loop", l6_cards({H, H, H}, BAR_RAISER_VERDICT_UNSPECIFIED));
  EXPECT_EQ(pending.outcome(), DECISION_OUTCOME_PENDING);
  auto lost = decide_for("l6-loop", l6_cards({NH, NH, NH}, BAR_RAISER_VERDICT_UNSPECIFIED));
  EXPECT_EQ(lost.outcome(), DECISION_OUTCOME_NO_HIRE);
}

TEST(DecisionL6, PhoneScreenAndOptionalChatDoNotCount) {
  auto cards = l6_cards({H, H, H, H, NH, H}, BAR_RAISER_VERDICT_APPROVE);
  cards.push_back(card(0, "screener", SNH));
  cards.push_back(card(7, "hm", SNH));
  EXPECT_EQ(decide_for("l6-loop", cards).outcome(), DECISION_OUTCOME_HIRE);
}

// L7 rounds: 1 six-pager, 2 strategy, 3 org, 4 exec, 5 bar raiser, 6 vp chat.
TEST(DecisionL7, NoWeakRoundWithApprovalIsHire) {
  std::vector<Scorecard> cards;
  for (uint32_t r = 1; r <= 6; ++r) cards.push_back(card(r, "a" + std::to_string(r), H, r == 5 ? ROLE_BAR_RAISER : ROLE_INTERVIEWER, r == 5 ? BAR_RAISER_VERDICT_APPROVE : BAR_RAISER_VERDICT_UNSPECIFIED));
  EXPECT_EQ(decide_for("l7-loop", cards).outcome(), DECISION_OUTCOME_HIRE);
}

TEST(DecisionL7, OneWeakRoundIsNoHireEvenWithApproval) {
  std::vector<Scorecard> cards;
  for (uint32_t r = 1; r <= 6; ++r)
    cards.push_back(card(r, "a" + std::to_string(r), r == 3 ? NH : SH, r == 5 ? ROLE_BAR_RAISER : ROLE_INTERVIEWER,
                         r == 5 ? BAR_RAISER_VERDICT_APPROVE : BAR_RAISER_VERDICT_UNSPECIFIED));
  auto d = decide_for("l7-loop", cards);
  EXPECT_EQ(d.outcome(), DECISION_OUTCOME_NO_HIRE);
  EXPECT_EQ(d.weak_rounds(), 1u);
}

TEST(DecisionL7, VetoWithAllStrongRoundsIsNoHire) {
  std::vector<Scorecard> cards;
  for (uint32_t r = 1; r <= 6; ++r)
    cards.push_back(card(r, "a" + std::to_string(r), SH, r == 5 ? ROLE_BAR_RAISER : ROLE_INTERVIEWER,
                         r == 5 ? BAR_RAISER_VERDICT_VETO : BAR_RAISER_VERDICT_UNSPECIFIED));
  auto d = decide_for("l7-loop", cards);
  EXPECT_EQ(d.outcome(), DECISION_OUTCOME_NO_HIRE);
  EXPECT_TRUE(d.bar_raiser_vetoed());
}

TEST(RoundOutcome, SplitPanelRoundsDownAndIsFlaggedAsDisagreement) {
  Round round;
  round.set_index(1);
  round.set_onsite(true);
  auto o = scoring::round_outcome(round, {card(1, "a", H), card(1, "b", NH)});
  EXPECT_EQ(o.recommendation(), RATING_NO_HIRE);
  EXPECT_TRUE(o.weak());
  EXPECT_TRUE(o.disagreement());
  auto agree = scoring::round_outcome(round, {card(1, "a", H), card(1, "b", SH)});
  EXPECT_EQ(agree.recommendation(), RATING_HIRE);
  EXPECT_FALSE(agree.disagreement());
}

TEST(Practice, SingleRoundTemplatesMakeNoDecision) {
  EXPECT_EQ(decide_for("single-coding", {card(0, "a", H)}).outcome(), DECISION_OUTCOME_NOT_APPLICABLE);
}

TEST(LpCoverage, SignalsLandInTheirRoundWithTheLowestRating) {
  auto c1 = card(4, "a", H);
  auto* s = c1.mutable_content()->add_lp_signals();
  s->set_lp_id("ownership");
  s->set_rating(RATING_HIRE);
  auto c2 = card(4, "b", H);
  s = c2.mutable_content()->add_lp_signals();
  s->set_lp_id("ownership");
  s->set_rating(RATING_NO_HIRE);
  auto debrief = scoring::build_debrief(*catalog(), make_loop("l6-loop"), {c1, c2}, 0);
  ASSERT_EQ(debrief.lp_coverage_size(), 16);
  for (const auto& row : debrief.lp_coverage()) {
    if (row.lp_id() != "ownership") continue;
    EXPECT_EQ(row.weight(), 2u);
    ASSERT_EQ(row.cells_size(), 1);
    EXPECT_EQ(row.cells(0).round_index(), 4u);
    EXPECT_EQ(row.cells(0).rating(), RATING_NO_HIRE);
    EXPECT_EQ(row.cells(0).signals(), 2u);
  }
}
