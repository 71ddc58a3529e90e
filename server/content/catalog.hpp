// Catalog: every piece of interview content loaded from content/ (templates, phase plans,
// Leadership Principles, rubrics, questions), validated and cross-referenced. Immutable
// after load_catalog() returns it, so it is shared read-only between threads.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "content.pb.h"
#include "progress.pb.h"
#include "written.pb.h"

namespace mockloop::content {

struct QuestionFilter {
  v1::RoundKind round_kind = v1::ROUND_KIND_UNSPECIFIED;  // unspecified = any
  std::string lp_id;                                     // empty = any
  v1::Level level = v1::LEVEL_UNSPECIFIED;                // questions without levels match any
};

class Catalog {
 public:
  const std::vector<v1::Template>& templates() const { return templates_; }
  const std::vector<v1::LeadershipPrinciple>& principles() const { return principles_; }
  const std::vector<v1::Rubric>& rubrics() const { return rubrics_; }
  const std::vector<v1::PhasePlan>& plans() const { return plans_; }
  const std::vector<v1::Question>& questions() const { return questions_; }
  // The written work (content/written/, optional): the prompt bank and the two templates.
  const std::vector<v1::WrittenPrompt>& written_prompts() const { return written_prompts_; }
  const v1::WrittenPrompt* find_written_prompt(std::string_view id) const;
  const v1::WrittenTemplate* written_template(v1::WrittenKind kind) const;
  // The preparation tools (content/prep/, optional; docs/progress.md): the self-assessment
  // form (empty when absent) and the story-bank guide with the weekly targets.
  const v1::SelfAssessmentForm& self_assessment() const { return self_assessment_; }
  const v1::StoryGuide& story_guide() const { return story_guide_; }

  // Lookups return nullptr when absent.
  const v1::Template* find_template(std::string_view id) const;
  const v1::PhasePlan* plan_for(v1::RoundKind kind) const;
  const v1::Rubric* rubric_for(v1::RoundKind kind) const;
  const v1::LeadershipPrinciple* find_principle(std::string_view id) const;
  const v1::Question* find_question(std::string_view id) const;

  std::vector<const v1::Question*> find_questions(const QuestionFilter& filter) const;

  // Where an entity was defined ("content/questions/coding.txtpb:12"), for messages.
  std::string where(std::string_view kind, std::string_view id) const;

 private:
  friend class CatalogBuilder;
  friend Result<void> load_written(const std::filesystem::path& dir, Catalog& c);
  friend Result<void> load_prep(const std::filesystem::path& dir, Catalog& c);
  std::vector<v1::Template> templates_;
  std::vector<v1::LeadershipPrinciple> principles_;
  std::vector<v1::Rubric> rubrics_;
  std::vector<v1::PhasePlan> plans_;
  std::vector<v1::Question> questions_;
  std::vector<v1::WrittenPrompt> written_prompts_;
  std::vector<v1::WrittenTemplate> written_templates_;
  v1::SelfAssessmentForm self_assessment_;
  v1::StoryGuide story_guide_;
  std::map<std::string, std::string, std::less<>> where_;  // "kind/id" -> "file:line"
};

// Loads and validates <dir>/templates/*.txtpb (TemplateSet), phases/*.txtpb (PhasePlanSet),
// principles.txtpb (PrincipleSet), rubrics/*.txtpb (RubricSet), questions/*.txtpb
// (QuestionBank). The first problem found is returned as "file:line:column: reason" or
// "file:line: reason" with code "invalid_content"; start-up should stop on it.
// Also written/prompts.txtpb (WrittenPromptSet) and written/templates.txtpb
// (WrittenTemplateSet) when present (content/written_loader.cpp).
Result<std::shared_ptr<const Catalog>> load_catalog(const std::filesystem::path& dir);

// Loads <dir>/written/ into `c` (called by load_catalog).
Result<void> load_written(const std::filesystem::path& dir, Catalog& c);

// Loads <dir>/prep/ into `c` (called by load_catalog; content/prep_loader.cpp): the
// self-assessment (kAssessmentStatements statements, bands covering 0-100 once each), the
// story guide and the weekly targets.
Result<void> load_prep(const std::filesystem::path& dir, Catalog& c);

}  // namespace mockloop::content
