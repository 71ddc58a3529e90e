#include "content/catalog.hpp"

#include <algorithm>

namespace mockloop::content {

const v1::Template* Catalog::find_template(std::string_view id) const {
  for (const auto& t : templates_)
    if (t.id() == id) return &t;
  return nullptr;
}

const v1::PhasePlan* Catalog::plan_for(v1::RoundKind kind) const {
  for (const auto& p : plans_)
    if (p.round_kind() == kind) return &p;
  return nullptr;
}

const v1::Rubric* Catalog::rubric_for(v1::RoundKind kind) const {
  for (const auto& r : rubrics_)
    if (r.round_kind() == kind) return &r;
  return nullptr;
}

const v1::LeadershipPrinciple* Catalog::find_principle(std::string_view id) const {
  for (const auto& p : principles_)
    if (p.id() == id) return &p;
  return nullptr;
}

const v1::Question* Catalog::find_question(std::string_view id) const {
  for (const auto& q : questions_)
    if (q.id() == id) return &q;
  return nullptr;
}

std::vector<const v1::Question*> Catalog::find_questions(const QuestionFilter& filter) const {
  std::vector<const v1::Question*> out;
  for (const auto& q : questions_) {
    if (filter.round_kind != v1::ROUND_KIND_UNSPECIFIED && q.round_kind() != filter.round_kind) continue;
    if (!filter.lp_id.empty() &&
        std::find(q.lp_ids().begin(), q.lp_ids().end(), filter.lp_id) == q.lp_ids().end())
      continue;
    if (filter.level != v1::LEVEL_UNSPECIFIED && q.levels_size() > 0 &&
        std::find(q.levels().begin(), q.levels().end(), filter.level) == q.levels().end())
      continue;
    out.push_back(&q);
  }
  return out;
}

std::string Catalog::where(std::string_view kind, std::string_view id) const {
  auto it = where_.find(std::string(kind) + "/" + std::string(id));
  return it == where_.end() ? std::string("<unknown>") : it->second;
}

}  // namespace mockloop::content
