// load_catalog(): parses every content file, then validates each entity and the
// references between them, reporting the first problem with its file and line.
#include <algorithm>
#include <cstdlib>
#include <set>

#include "content/catalog.hpp"
#include "content/text_file.hpp"

namespace mockloop::content {

namespace fs = std::filesystem;
using google::protobuf::TextFormat;

// Bounds of a phase plan's board template (proto BoardFrame); content past them is refused.
constexpr size_t kMaxBoardFrames = 16;           // frames per plan
constexpr size_t kMaxBoardFrameTitle = 80;       // characters
constexpr uint32_t kMinBoardFrameSide = 100;     // board units
constexpr uint32_t kMaxBoardFrameSide = 5000;    // board units
constexpr int32_t kMaxBoardFrameCoord = 100000;  // |x|, |y| in board units

class CatalogBuilder {
 public:
  explicit CatalogBuilder(Catalog& c) : c_(c) {}

  Result<void> load(const fs::path& dir);

 private:
  // Parses `path` as a Set message, appends its repeated field `field` to `dest` and
  // records each element's line under "kind/id".
  template <typename Set, typename Item>
  Result<void> load_file(const fs::path& path, std::string_view field, std::string_view kind,
                         std::vector<Item>& dest, std::vector<std::string>& lines);
  Result<std::vector<fs::path>> files_in(const fs::path& dir, bool required);

  Result<void> validate();
  Result<void> validate_board_frames(const v1::PhasePlan& plan, const std::set<std::string>& phase_ids,
                                     const std::string& at);
  Error fail(const std::string& at, const std::string& reason) const {
    return make_error(Errc::invalid_content, at + ": " + reason);
  }

  Catalog& c_;
  std::vector<std::string> template_at_, plan_at_, principle_at_, rubric_at_, question_at_;
};

Result<std::vector<fs::path>> CatalogBuilder::files_in(const fs::path& dir, bool required) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (required) return make_error(Errc::invalid_content, dir.string() + ":0: missing content folder");
    return out;
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && (entry.path().extension() == ".txtpb" || entry.path().extension() == ".textproto"))
      out.push_back(entry.path());
  }
  if (ec) return make_error(Errc::invalid_content, dir.string() + ":0: " + ec.message());
  std::sort(out.begin(), out.end());
  if (out.empty() && required) return make_error(Errc::invalid_content, dir.string() + ":0: no .txtpb files");
  return out;
}

template <typename Set, typename Item>
Result<void> CatalogBuilder::load_file(const fs::path& path, std::string_view field, std::string_view kind,
                                       std::vector<Item>& dest, std::vector<std::string>& lines) {
  Set set;
  TextFormat::ParseInfoTree tree;
  if (auto r = parse_text_file(path, set, &tree); !r) return r;
  const auto* fd = set.GetDescriptor()->FindFieldByName(std::string(field));
  const auto* refl = set.GetReflection();
  const int n = refl->FieldSize(set, fd);
  for (int i = 0; i < n; ++i) {
    const auto& item = static_cast<const Item&>(refl->GetRepeatedMessage(set, fd, i));
    const auto loc = tree.GetLocation(fd, i);
    std::string at = path.string() + ":" + std::to_string(loc.line + 1);
    dest.push_back(item);
    lines.push_back(at);
    std::string id;
    if constexpr (std::is_same_v<Item, v1::PhasePlan>) {
      id = v1::RoundKind_Name(item.round_kind());
    } else {
      id = item.id();
    }
    c_.where_.emplace(std::string(kind) + "/" + id, at);
  }
  return {};
}

Result<void> CatalogBuilder::load(const fs::path& dir) {
  auto templates = files_in(dir / "templates", true);
  if (!templates) return templates.error();
  for (const auto& p : *templates)
    if (auto r = load_file<v1::TemplateSet>(p, "templates", "template", c_.templates_, template_at_); !r) return r;
  auto phases = files_in(dir / "phases", true);
  if (!phases) return phases.error();
  for (const auto& p : *phases)
    if (auto r = load_file<v1::PhasePlanSet>(p, "plans", "plan", c_.plans_, plan_at_); !r) return r;
  const fs::path principles = dir / "principles.txtpb";
  if (!fs::exists(principles)) return make_error(Errc::invalid_content, principles.string() + ":0: missing");
  if (auto r = load_file<v1::PrincipleSet>(principles, "principles", "principle", c_.principles_, principle_at_); !r)
    return r;
  auto rubrics = files_in(dir / "rubrics", true);
  if (!rubrics) return rubrics.error();
  for (const auto& p : *rubrics)
    if (auto r = load_file<v1::RubricSet>(p, "rubrics", "rubric", c_.rubrics_, rubric_at_); !r) return r;
  auto questions = files_in(dir / "questions", false);
  if (!questions) return questions.error();
  for (const auto& p : *questions)
    if (auto r = load_file<v1::QuestionBank>(p, "questions", "question", c_.questions_, question_at_); !r) return r;
  if (auto r = load_written(dir, c_); !r) return r;
  if (auto r = load_prep(dir, c_); !r) return r;
  return validate();
}

// A plan's board template: bounded, every frame named and tied to one of the plan's phases.
Result<void> CatalogBuilder::validate_board_frames(const v1::PhasePlan& plan, const std::set<std::string>& phase_ids,
                                                   const std::string& at) {
  if (plan.board_frames_size() > static_cast<int>(kMaxBoardFrames))
    return fail(at, "at most " + std::to_string(kMaxBoardFrames) + " board_frames per plan");
  for (const auto& f : plan.board_frames()) {
    if (f.title().empty() || f.title().size() > kMaxBoardFrameTitle)
      return fail(at, "board frame titles must be 1.." + std::to_string(kMaxBoardFrameTitle) + " characters");
    if (!phase_ids.count(f.phase_id()))
      return fail(at, "board frame '" + f.title() + "': phase_id '" + f.phase_id() + "' is not a phase of this plan");
    if (f.w() < kMinBoardFrameSide || f.w() > kMaxBoardFrameSide || f.h() < kMinBoardFrameSide ||
        f.h() > kMaxBoardFrameSide || std::abs(f.x()) > kMaxBoardFrameCoord || std::abs(f.y()) > kMaxBoardFrameCoord)
      return fail(at, "board frame '" + f.title() + "': size must be " + std::to_string(kMinBoardFrameSide) + ".." +
                          std::to_string(kMaxBoardFrameSide) + " and |x|, |y| at most " +
                          std::to_string(kMaxBoardFrameCoord));
  }
  return {};
}

Result<void> CatalogBuilder::validate() {
  // Principles.
  std::set<std::string> seen;
  for (size_t i = 0; i < c_.principles_.size(); ++i) {
    const auto& p = c_.principles_[i];
    const auto& at = principle_at_[i];
    if (p.id().empty() || p.name().empty()) return fail(at, "principle needs an id and a name");
    if (!seen.insert(p.id()).second) return fail(at, "duplicate principle id '" + p.id() + "'");
    if (p.weight_l6() < 1 || p.weight_l6() > 3 || p.weight_l7() < 1 || p.weight_l7() > 3)
      return fail(at, "principle '" + p.id() + "': weights must be 1..3");
  }
  // Phase plans.
  std::set<int> kinds;
  for (size_t i = 0; i < c_.plans_.size(); ++i) {
    const auto& plan = c_.plans_[i];
    const auto& at = plan_at_[i];
    if (plan.round_kind() == v1::ROUND_KIND_UNSPECIFIED) return fail(at, "plan needs a round_kind");
    if (!kinds.insert(plan.round_kind()).second)
      return fail(at, "second phase plan for " + v1::RoundKind_Name(plan.round_kind()));
    if (plan.phases_size() == 0) return fail(at, "plan has no phases");
    uint32_t total = 0;
    std::set<std::string> ids;
    for (const auto& ph : plan.phases()) {
      if (ph.id().empty() || !ids.insert(ph.id()).second) return fail(at, "phase ids must be present and unique");
      if (ph.planned_minutes() == 0 || ph.planned_minutes() < ph.min_minutes() ||
          (ph.max_minutes() != 0 && ph.planned_minutes() > ph.max_minutes()))
        return fail(at, "phase '" + ph.id() + "': planned_minutes must be > 0 and within min_minutes..max_minutes");
      total += ph.planned_minutes();
    }
    if (total != plan.duration_minutes())
      return fail(at, "phases of " + v1::RoundKind_Name(plan.round_kind()) + " add up to " + std::to_string(total) +
                          " minutes, duration_minutes is " + std::to_string(plan.duration_minutes()));
    if (auto r = validate_board_frames(plan, ids, at); !r) return r;
  }
  // Rubrics.
  kinds.clear();
  for (size_t i = 0; i < c_.rubrics_.size(); ++i) {
    const auto& r = c_.rubrics_[i];
    const auto& at = rubric_at_[i];
    if (r.id().empty() || r.round_kind() == v1::ROUND_KIND_UNSPECIFIED)
      return fail(at, "rubric needs an id and a round_kind");
    if (!kinds.insert(r.round_kind()).second)
      return fail(at, "second rubric for " + v1::RoundKind_Name(r.round_kind()));
    if (r.competencies_size() == 0) return fail(at, "rubric '" + r.id() + "' has no competencies");
    std::set<std::string> ids;
    for (const auto& comp : r.competencies()) {
      if (comp.id().empty() || !ids.insert(comp.id()).second)
        return fail(at, "rubric '" + r.id() + "': competency ids must be present and unique");
      const auto& a = comp.anchors();
      if (a.strong_no_hire().empty() || a.no_hire().empty() || a.hire().empty() || a.strong_hire().empty())
        return fail(at, "rubric '" + r.id() + "' competency '" + comp.id() + "' needs all four anchors");
    }
  }
  // Questions.
  seen.clear();
  for (size_t i = 0; i < c_.questions_.size(); ++i) {
    const auto& q = c_.questions_[i];
    const auto& at = question_at_[i];
    if (q.id().empty()) return fail(at, "question needs an id");
    if (!seen.insert(q.id()).second) return fail(at, "duplicate question id '" + q.id() + "'");
    if (q.round_kind() == v1::ROUND_KIND_UNSPECIFIED) return fail(at, "question '" + q.id() + "' needs a round_kind");
    if (q.title().empty() || q.prompt().empty()) return fail(at, "question '" + q.id() + "' needs a title and a prompt");
    for (const auto& lp : q.lp_ids())
      if (!c_.find_principle(lp)) return fail(at, "question '" + q.id() + "' refers to unknown principle '" + lp + "'");
  }
  // Templates.
  seen.clear();
  for (size_t i = 0; i < c_.templates_.size(); ++i) {
    const auto& t = c_.templates_[i];
    const auto& at = template_at_[i];
    if (t.id().empty() || t.name().empty()) return fail(at, "template needs an id and a name");
    if (!seen.insert(t.id()).second) return fail(at, "duplicate template id '" + t.id() + "'");
    if (t.level() == v1::LEVEL_UNSPECIFIED) return fail(at, "template '" + t.id() + "' needs a level");
    if (t.rounds_size() == 0) return fail(at, "template '" + t.id() + "' has no rounds");
    if (t.decision_rule() == v1::DECISION_RULE_UNSPECIFIED)
      return fail(at, "template '" + t.id() + "' needs a decision_rule");
    std::set<std::string> ids;
    int onsite = 0, bar_raisers = 0;
    for (const auto& r : t.rounds()) {
      if (r.id().empty() || !ids.insert(r.id()).second)
        return fail(at, "template '" + t.id() + "': round ids must be present and unique");
      const auto* plan = c_.plan_for(r.kind());
      if (!plan) return fail(at, "round '" + r.id() + "': no phase plan for " + v1::RoundKind_Name(r.kind()));
      if (!c_.rubric_for(r.kind())) return fail(at, "round '" + r.id() + "': no rubric for " + v1::RoundKind_Name(r.kind()));
      if (r.duration_minutes() != plan->duration_minutes())
        return fail(at, "round '" + r.id() + "' lasts " + std::to_string(r.duration_minutes()) +
                            " minutes but its phase plan lasts " + std::to_string(plan->duration_minutes()));
      onsite += r.onsite() ? 1 : 0;
      bar_raisers += r.bar_raiser() ? 1 : 0;
    }
    if (bar_raisers > 1) return fail(at, "template '" + t.id() + "' has more than one Bar Raiser round");
    if (t.decision_rule() == v1::DECISION_RULE_MIN_HIRE_ROUNDS &&
        (t.min_hire_rounds() == 0 || static_cast<int>(t.min_hire_rounds()) > onsite))
      return fail(at, "template '" + t.id() + "': min_hire_rounds must be 1.." + std::to_string(onsite));
    if ((t.decision_rule() == v1::DECISION_RULE_MIN_HIRE_ROUNDS ||
         t.decision_rule() == v1::DECISION_RULE_NO_WEAK_ROUND) &&
        bar_raisers != 1)
      return fail(at, "template '" + t.id() + "': its decision rule needs one Bar Raiser round");
  }
  return {};
}

Result<std::shared_ptr<const Catalog>> load_catalog(const fs::path& dir) {
  auto catalog = std::make_shared<Catalog>();
  CatalogBuilder builder(*catalog);
  if (auto r = builder.load(dir); !r) return r.error();
  return std::shared_ptr<const Catalog>(std::move(catalog));
}

}  // namespace mockloop::content
