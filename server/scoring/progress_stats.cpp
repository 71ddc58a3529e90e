#include "scoring/progress_stats.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace mockloop::scoring {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kWeekMs = 7 * kDayMs;

double quantile(const std::vector<uint32_t>& sorted, double p) {
  const double pos = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (static_cast<double>(sorted[hi]) - sorted[lo]) * frac;
}

uint32_t percent(uint32_t sum, uint32_t n) {
  if (n == 0) return 0;
  return static_cast<uint32_t>(std::lround((static_cast<double>(sum) - n) * 100.0 / (4.0 * n)));
}

std::string competency_name(const content::Catalog& catalog, const std::string& id) {
  for (const auto& r : catalog.rubrics())
    for (const auto& c : r.competencies())
      if (c.id() == id) return c.name();
  return id;
}

struct SeriesBuilder {
  std::vector<std::string> order;
  std::map<std::string, v1::RatingSeries> by_id;
  v1::RatingSeries& at(const std::string& id) {
    auto [it, fresh] = by_id.try_emplace(id);
    if (fresh) {
      order.push_back(id);
      it->second.set_id(id);
    }
    return it->second;
  }
};

void finish(v1::RatingSeries& s) {
  auto* pts = s.mutable_points();
  std::stable_sort(pts->begin(), pts->end(), [](const v1::RatingPoint& a, const v1::RatingPoint& b) {
    return a.at_ms() < b.at_ms();
  });
  std::vector<uint32_t> values;
  for (const auto& p : *pts) values.push_back(static_cast<uint32_t>(p.rating()));
  const Spread sp = spread_of(values);
  s.set_count(static_cast<uint32_t>(values.size()));
  s.set_median(sp.median);
  s.set_q1(sp.q1);
  s.set_q3(sp.q3);
  s.set_min(sp.min);
  s.set_max(sp.max);
}

}  // namespace

Spread spread_of(std::vector<uint32_t> values) {
  Spread s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.median = quantile(values, 0.5);
  s.q1 = quantile(values, 0.25);
  s.q3 = quantile(values, 0.75);
  s.min = values.front();
  s.max = values.back();
  return s;
}

Result<v1::SelfAssessment> assess(const v1::SelfAssessmentForm& form, const std::vector<uint32_t>& ratings) {
  const auto n = static_cast<size_t>(form.statements_size());
  if (n == 0) return make_error(Errc::not_found, "this server has no self-assessment (content/prep/)");
  if (ratings.size() != n)
    return make_error(Errc::invalid_argument, "ratings: one per statement (" + std::to_string(n) + "), in order");
  v1::SelfAssessment out;
  uint32_t sum = 0;
  std::vector<std::string> areas;
  std::map<std::string, std::pair<uint32_t, uint32_t>> by_area;  // area -> (sum, count)
  for (size_t i = 0; i < n; ++i) {
    if (ratings[i] < 1 || ratings[i] > 5)
      return make_error(Errc::invalid_argument, "ratings[" + std::to_string(i) + "]: 1 to 5");
    sum += ratings[i];
    out.add_ratings(ratings[i]);
    const std::string& area = form.statements(static_cast<int>(i)).area();
    if (!by_area.count(area)) areas.push_back(area);
    by_area[area].first += ratings[i];
    by_area[area].second += 1;
  }
  out.set_score(percent(sum, static_cast<uint32_t>(n)));
  for (const auto& b : form.bands()) {
    if (out.score() >= b.min_score() && out.score() <= b.max_score()) {
      out.set_band_id(b.id());
      out.set_band_name(b.name());
    }
  }
  for (const auto& a : areas) {
    auto* as = out.add_areas();
    as->set_area(a);
    as->set_score(percent(by_area[a].first, by_area[a].second));
  }
  return out;
}

v1::StoryCoverage story_coverage(const content::Catalog& catalog, const std::vector<v1::Story>& stories) {
  const v1::StoryGuide& guide = catalog.story_guide();
  v1::StoryCoverage out;
  out.set_stories(static_cast<uint32_t>(stories.size()));
  std::vector<std::string> missing;
  for (const auto& lp : catalog.principles()) {
    auto* row = out.add_principles();
    row->set_lp_id(lp.id());
    row->set_lp_name(lp.name());
    uint32_t n = 0;
    for (const auto& s : stories)
      if (std::find(s.content().principles().begin(), s.content().principles().end(), lp.id()) !=
          s.content().principles().end())
        ++n;
    row->set_stories(n);
    if (n == 0) missing.push_back(lp.name());
  }
  if (!missing.empty()) {
    std::string g = "No story shows " + std::to_string(missing.size()) + " of the " +
                    std::to_string(catalog.principles().size()) + " principles: ";
    for (size_t i = 0; i < missing.size(); ++i) g += (i ? ", " : "") + missing[i];
    out.add_gaps(g);
  }
  for (const auto& k : guide.kinds()) {
    auto* row = out.add_kinds();
    row->set_kind(k.kind());
    row->set_name(k.name());
    row->set_min(k.min());
    row->set_max(k.max());
    uint32_t n = 0;
    for (const auto& s : stories)
      if (s.content().kind() == k.kind()) ++n;
    row->set_stories(n);
    if (n < k.min())
      out.add_gaps(k.name() + ": " + std::to_string(n) + " of at least " + std::to_string(k.min()) + " stories (" +
                   std::to_string(k.min() - n) + " more)");
    else if (n > k.max())
      out.add_gaps(k.name() + ": " + std::to_string(n) + " stories, more than the " + std::to_string(k.max()) +
                   " a Bar Raiser mix needs; give some another kind");
  }
  if (guide.target_stories_min() > 0 && stories.size() < guide.target_stories_min())
    out.add_gaps("The bank has " + std::to_string(stories.size()) + " stories; aim for " +
                 std::to_string(guide.target_stories_min()) + "-" + std::to_string(guide.target_stories_max()));
  return out;
}

int64_t week_start_ms(int64_t ms) {
  // 1970-01-01 was a Thursday: Monday 1970-01-05 is day 4.
  int64_t days = ms >= 0 ? ms / kDayMs : -((-ms + kDayMs - 1) / kDayMs);
  int64_t since_monday = ((days - 4) % 7 + 7) % 7;
  return (days - since_monday) * kDayMs;
}

v1::ProgressResponse build_progress(const content::Catalog& catalog, std::vector<LoopRecord> loops,
                                    const std::vector<v1::SelfAssessment>& assessments,
                                    const std::vector<v1::Story>& stories, int64_t now_ms) {
  v1::ProgressResponse out;
  std::stable_sort(loops.begin(), loops.end(), [](const LoopRecord& a, const LoopRecord& b) {
    return a.loop.created_at_ms() < b.loop.created_at_ms();
  });
  SeriesBuilder comps, lps;
  const int64_t first_week = week_start_ms(now_ms) - (kWeeksShown - 1) * kWeekMs;
  std::vector<v1::WeekGoals> weeks(kWeeksShown);
  for (int i = 0; i < kWeeksShown; ++i) weeks[i].set_week_start_ms(first_week + i * kWeekMs);
  auto week_of = [&](int64_t ms) -> v1::WeekGoals* {
    if (ms < first_week) return nullptr;
    const int64_t i = (ms - first_week) / kWeekMs;
    return i < kWeeksShown ? &weeks[static_cast<size_t>(i)] : nullptr;
  };

  for (const auto& rec : loops) {
    auto* lr = out.add_loops();
    lr->set_loop_id(rec.loop.id());
    lr->set_title(rec.loop.title());
    lr->set_created_at_ms(rec.loop.created_at_ms());
    *lr->mutable_decision() = rec.decision;
    lr->set_rounds(static_cast<uint32_t>(rec.loop.rounds_size()));
    lr->set_scorecards(static_cast<uint32_t>(rec.submitted.size()));
    std::map<uint32_t, int64_t> round_done;  // round -> first submission
    for (const auto& card : rec.submitted) {
      const v1::Round* round = nullptr;
      for (const auto& r : rec.loop.rounds())
        if (r.index() == card.round_index()) round = &r;
      auto point = [&](v1::Rating rating) {
        v1::RatingPoint p;
        p.set_loop_id(rec.loop.id());
        p.set_loop_title(rec.loop.title());
        p.set_round_index(card.round_index());
        if (round) {
          p.set_round_title(round->title());
          p.set_round_kind(round->kind());
        }
        p.set_interviewer_name(card.author_name());
        p.set_rating(rating);
        p.set_at_ms(card.submitted_at_ms());
        return p;
      };
      for (const auto& c : card.content().competencies())
        if (c.rating() != v1::RATING_UNSPECIFIED) *comps.at(c.competency_id()).add_points() = point(c.rating());
      for (const auto& s : card.content().lp_signals())
        if (s.rating() != v1::RATING_UNSPECIFIED) *lps.at(s.lp_id()).add_points() = point(s.rating());
      auto [it, fresh] = round_done.try_emplace(card.round_index(), card.submitted_at_ms());
      if (!fresh) it->second = std::min(it->second, card.submitted_at_ms());
    }
    for (const auto& [index, at] : round_done) {
      auto* w = week_of(at);
      if (!w) continue;
      w->set_mock_interviews(w->mock_interviews() + 1);
      for (const auto& r : rec.loop.rounds())
        if (r.index() == index &&
            (r.kind() == v1::ROUND_KIND_SYSTEM_DESIGN || r.kind() == v1::ROUND_KIND_PEER_SYSTEM_DESIGN))
          w->set_system_designs(w->system_designs() + 1);
    }
  }
  for (const auto& id : comps.order) {
    auto& s = comps.by_id[id];
    s.set_name(competency_name(catalog, id));
    finish(s);
    *out.add_competencies() = std::move(s);
  }
  for (const auto& lp : catalog.principles()) {
    auto it = lps.by_id.find(lp.id());
    if (it == lps.by_id.end()) continue;
    it->second.set_name(lp.name());
    finish(it->second);
    *out.add_principles() = std::move(it->second);
  }
  for (const auto& id : lps.order) {  // signals naming a principle the content no longer has
    if (!catalog.find_principle(id)) {
      auto& s = lps.by_id[id];
      s.set_name(id);
      finish(s);
      *out.add_principles() = std::move(s);
    }
  }
  for (const auto& a : assessments) *out.add_assessments() = a;
  for (const auto& s : stories)
    if (auto* w = week_of(s.created_at_ms())) w->set_stories_written(w->stories_written() + 1);
  for (auto& w : weeks) *out.add_weeks() = std::move(w);
  for (const auto& t : catalog.story_guide().weekly()) *out.add_weekly_targets() = t;
  *out.mutable_story_coverage() = story_coverage(catalog, stories);
  out.set_generated_at_ms(now_ms);
  return out;
}

}  // namespace mockloop::scoring
