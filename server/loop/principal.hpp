// Principal: who a request or session acts as, resolved from an invite token, and the
// access rules of the interview domain (which role may see and do what in which round).
// Values; thread-safe.
#pragma once

#include <string>

#include "loop.pb.h"

namespace mockloop::loop {

struct Principal {
  std::string token_id;
  std::string loop_id;   // empty for a study-room token
  std::string study_id;  // empty for a loop token
  v1::Participant participant;

  v1::Role role() const { return participant.role(); }
};

// Host, interviewer or bar raiser: may see rubric, hints, notes and scores.
bool is_staff(v1::Role role);
// May join the round's room at all (interviewers only their assigned rounds).
bool may_join_round(const Principal& p, uint32_t round_index);
// Staff of this round: timer, question selection, own scorecard, private notes doc.
bool is_staff_of_round(const Principal& p, uint32_t round_index);
// May read other authors' submitted scorecards without submitting first.
bool sees_all_scorecards(v1::Role role);
// May read the debrief (host and bar raiser).
bool may_read_debrief(v1::Role role);

}  // namespace mockloop::loop
