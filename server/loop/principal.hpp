// Principal: who a request or session acts as, resolved from an invite token, and how it
// meets the policy table (loop/policy.hpp): its token kind towards a loop or study room,
// the facts its rules depend on, and `permit`, the check every channel makes.
// Values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "loop.pb.h"
#include "loop/policy.hpp"

namespace mockloop::loop {

struct Principal {
  std::string token_id;
  std::string loop_id;   // empty for a study-room token
  std::string study_id;  // empty for a loop token
  int64_t expires_at_ms = 0;  // 0 = never
  v1::Participant participant;

  v1::Role role() const { return participant.role(); }
};

// What `p`'s token is towards loop `loop_id` (participant, study or foreign).
policy::TokenKind kind_for_loop(const Principal& p, std::string_view loop_id);
// What `p`'s token is towards study room `study_id` (study or foreign).
policy::TokenKind kind_for_study(const Principal& p, std::string_view study_id);

// The policy's answer for `p` on a resource of loop `loop_id`; `round` when the resource is
// per round (its assignment decides `assigned` rules). `current_round` is the loop's
// current round (LoopProgress); a per-round cell whose rule is `current` is refused when it
// is not given. For loop_progress write, `round` is the round being entered and the
// `assigned` fact also holds for an interviewer of `current_round` (the round being left).
// Refusals are Errc::forbidden with a message naming role and resource.
// `replay_open`: the after_loop fact (policy::Context::replay_open).
Result<void> permit(const Principal& p, std::string_view loop_id, policy::Resource resource, policy::Action action,
                    std::optional<uint32_t> round = std::nullopt, bool everyone_edits = false,
                    std::optional<uint32_t> current_round = std::nullopt, bool replay_open = false);
bool permitted(const Principal& p, std::string_view loop_id, policy::Resource resource, policy::Action action,
               std::optional<uint32_t> round = std::nullopt, bool everyone_edits = false,
               std::optional<uint32_t> current_round = std::nullopt, bool replay_open = false);

// May join the round's room at all (interviewers only their assigned rounds): the
// `assigned` fact of the policy's rules.
bool may_join_round(const Principal& p, uint32_t round_index);
// Sees the round's interviewer material (rubric, hints, notes, own scorecard): the policy's
// private_doc read cell for the round.
bool is_staff_of_round(const Principal& p, uint32_t round_index);
// Sees interviewer material in some round (full participant list in loop views).
bool is_staff(const Principal& p);

}  // namespace mockloop::loop
