// load_prep(): the preparation tools' content (content/prep/, optional; docs/progress.md):
// the self-assessment form, the STAR story-bank guide and the weekly targets. Checked here
// so the pages and the server's scoring never meet a form they cannot score.
#include <set>

#include "content/catalog.hpp"
#include "content/text_file.hpp"

namespace mockloop::content {

namespace fs = std::filesystem;

namespace {

// The self-assessment has exactly this many statements (issue 20: 12, rated 1-5).
constexpr int kAssessmentStatements = 12;

Error bad(const fs::path& p, const std::string& why) { return make_error(Errc::invalid_content, p.string() + ":0: " + why); }

Result<void> check_form(const fs::path& p, const v1::SelfAssessmentForm& f) {
  if (f.statements_size() != kAssessmentStatements)
    return bad(p, "the self-assessment needs exactly " + std::to_string(kAssessmentStatements) + " statements");
  std::set<std::string> ids;
  for (const auto& s : f.statements()) {
    if (s.id().empty() || s.text().empty()) return bad(p, "a statement needs an id and a text");
    if (s.area() != "technical" && s.area() != "leadership" && s.area() != "cultural")
      return bad(p, "statement '" + s.id() + "': area must be technical, leadership or cultural");
    if (!ids.insert(s.id()).second) return bad(p, "duplicate statement id '" + s.id() + "'");
  }
  // Every score 0-100 falls in exactly one band.
  int covered[101] = {};
  for (const auto& b : f.bands()) {
    if (b.id().empty() || b.name().empty() || b.min_score() > b.max_score() || b.max_score() > 100)
      return bad(p, "band '" + b.id() + "': needs an id, a name and 0 <= min_score <= max_score <= 100");
    for (uint32_t s = b.min_score(); s <= b.max_score(); ++s) ++covered[s];
  }
  for (int s = 0; s <= 100; ++s)
    if (covered[s] != 1) return bad(p, "the bands must cover the score " + std::to_string(s) + " exactly once");
  return {};
}

}  // namespace

Result<void> load_prep(const fs::path& dir, Catalog& c) {
  const fs::path form = dir / "prep" / "self_assessment.txtpb";
  const fs::path stories = dir / "prep" / "story_bank.txtpb";
  const fs::path weekly = dir / "prep" / "weekly_goals.txtpb";
  std::error_code ec;
  if (fs::exists(form, ec)) {
    if (auto r = parse_text_file(form, c.self_assessment_, nullptr); !r) return r;
    if (auto r = check_form(form, c.self_assessment_); !r) return r;
  }
  if (fs::exists(stories, ec)) {
    if (auto r = parse_text_file(stories, c.story_guide_, nullptr); !r) return r;
    for (const auto& k : c.story_guide_.kinds())
      if (k.kind() == v1::STORY_KIND_UNSPECIFIED || k.min() > k.max()) return bad(stories, "each kind needs a kind and min <= max");
  }
  if (fs::exists(weekly, ec)) {
    v1::StoryGuide w;
    if (auto r = parse_text_file(weekly, w, nullptr); !r) return r;
    for (const auto& t : w.weekly()) {
      if (t.id() != "mock_interviews" && t.id() != "system_designs" && t.id() != "stories_written")
        return bad(weekly, "unknown weekly target '" + t.id() + "'");
      *c.story_guide_.add_weekly() = t;
    }
  }
  return {};
}

}  // namespace mockloop::content
