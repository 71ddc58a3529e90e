#include "loop/views.hpp"

#include "loop/doc_names.hpp"

namespace mockloop::loop {

v1::QuestionPrompt prompt_of(const v1::Question& q) {
  v1::QuestionPrompt p;
  p.set_id(q.id());
  p.set_title(q.title());
  p.set_prompt(q.prompt());
  return p;
}

v1::Loop view_loop(const v1::Loop& loop, const Principal& p) {
  v1::Loop out = loop;
  if (!is_staff(p))
    for (auto& part : *out.mutable_participants()) part.clear_round_indexes();
  return out;
}

v1::StateSnapshot build_snapshot(const content::Catalog& catalog, const v1::Loop& loop, uint32_t round,
                                 const Principal& p, const v1::TimerState& timer, bool staff,
                                 const std::optional<v1::Scorecard>& mine, const v1::LoopProgress& progress,
                                 int64_t now_ms) {
  const auto& r = loop.rounds(static_cast<int>(round));
  v1::StateSnapshot s;
  *s.mutable_loop() = view_loop(loop, p);
  *s.mutable_round() = r;
  if (const auto* plan = catalog.plan_for(r.kind())) {
    *s.mutable_plan() = *plan;
    if (!staff)
      for (auto& ph : *s.mutable_plan()->mutable_phases()) ph.clear_guidance();
  }
  *s.mutable_timer() = timer;
  *s.mutable_you() = p.participant;
  s.set_role(p.role());
  s.set_shared_doc(doc_names::round_doc(r.room_id()));
  s.set_server_time_ms(now_ms);
  s.set_can_control_timer(staff);
  s.set_can_edit_shared_doc(permitted(p, loop.id(), policy::Resource::round_doc, policy::Action::write, round,
                                       loop.everyone_edits(), progress.current_round()));
  *s.mutable_progress() = progress;
  s.mutable_progress()->set_server_now_ms(now_ms);
  s.set_can_move_loop(permitted(p, loop.id(), policy::Resource::loop_progress, policy::Action::write, round, false,
                                progress.current_round()));
  const auto* selected = r.selected_question_id().empty() ? nullptr : catalog.find_question(r.selected_question_id());
  if (selected) *s.mutable_selected_prompt() = prompt_of(*selected);
  if (!staff) return s;
  s.set_private_doc(doc_names::private_doc(r.room_id()));
  if (selected) *s.mutable_selected_question() = *selected;
  for (const auto* q : catalog.find_questions({r.kind(), "", loop.level()})) *s.add_questions() = *q;
  if (const auto* rubric = catalog.rubric_for(r.kind())) *s.mutable_rubric() = *rubric;
  if (mine) *s.mutable_my_scorecard() = *mine;
  return s;
}

}  // namespace mockloop::loop
