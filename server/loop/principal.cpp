#include "loop/principal.hpp"

#include <algorithm>

namespace mockloop::loop {
namespace {

bool assigned(const v1::Participant& p, uint32_t round_index) {
  return p.round_indexes_size() == 0 ||
         std::find(p.round_indexes().begin(), p.round_indexes().end(), round_index) != p.round_indexes().end();
}

std::string role_name(v1::Role r) {
  std::string n = v1::Role_Name(r);
  if (n.rfind("ROLE_", 0) == 0) n = n.substr(5);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return c == '_' ? ' ' : std::tolower(c); });
  return n;
}

}  // namespace

policy::TokenKind kind_for_loop(const Principal& p, std::string_view loop_id) {
  if (p.loop_id.empty()) return policy::TokenKind::study;
  return p.loop_id == loop_id ? policy::TokenKind::participant : policy::TokenKind::foreign;
}

policy::TokenKind kind_for_study(const Principal& p, std::string_view study_id) {
  return !p.study_id.empty() && p.study_id == study_id ? policy::TokenKind::study : policy::TokenKind::foreign;
}

Result<void> permit(const Principal& p, std::string_view loop_id, policy::Resource resource, policy::Action action,
                    std::optional<uint32_t> round, bool everyone_edits, std::optional<uint32_t> current_round,
                    bool replay_open) {
  const auto kind = kind_for_loop(p, loop_id);
  policy::Context ctx;
  ctx.assigned = round ? may_join_round(p, *round) : true;
  if (resource == policy::Resource::loop_progress && current_round && !ctx.assigned)
    ctx.assigned = may_join_round(p, *current_round);
  ctx.everyone_edits = everyone_edits;
  ctx.current_round = !round || (current_round && *round == *current_round);
  ctx.replay_open = replay_open;
  const auto d = policy::decide(kind, p.role(), resource, action, ctx);
  if (d.allowed) return {};
  if (kind == policy::TokenKind::foreign) return make_error(d.refusal, "this token does not belong to the loop");
  if (kind == policy::TokenKind::study) return make_error(d.refusal, "a study-room token opens only its study doc");
  std::string msg = role_name(p.role()) + " may not " + (action == policy::Action::read ? "read " : "change ") +
                    std::string(policy::name(resource));
  if (round && !ctx.assigned) msg += " of a round it is not assigned to";
  else if (round && !ctx.current_round) msg += " of a round the loop is not in";
  return make_error(d.refusal, std::move(msg));
}

bool permitted(const Principal& p, std::string_view loop_id, policy::Resource resource, policy::Action action,
               std::optional<uint32_t> round, bool everyone_edits, std::optional<uint32_t> current_round,
               bool replay_open) {
  return permit(p, loop_id, resource, action, round, everyone_edits, current_round, replay_open).ok();
}

bool may_join_round(const Principal& p, uint32_t round_index) {
  if (p.loop_id.empty()) return false;
  return p.role() != v1::ROLE_INTERVIEWER || assigned(p.participant, round_index);
}

bool is_staff_of_round(const Principal& p, uint32_t round_index) {
  return permitted(p, p.loop_id, policy::Resource::private_doc, policy::Action::read, round_index);
}

bool is_staff(const Principal& p) {
  return permitted(p, p.loop_id, policy::Resource::question_bank, policy::Action::read);
}

}  // namespace mockloop::loop
