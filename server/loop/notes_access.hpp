// Who may open which notes document of a round (issue 15): every staff member of a round
// keeps their own notes (doc_names::notes_doc), and only its author writes it. On top of
// the policy table (loop/policy.hpp):
//   the author                         own_notes: read and write
//   the host, the Bar Raiser           others_notes: read-only, at once
//   the round's other interviewers     read-only once they have submitted their own
//                                      scorecard for the round (the rule of colleagues'
//                                      scorecards, LoopService::get_scorecard)
//   everyone else (candidate, observers, interviewers of other rounds)  forbidden
// Callers supply the one fact that is data: whether the viewer submitted a scorecard for
// the round. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "loop/principal.hpp"
#include "loop.pb.h"
#include "session.pb.h"

namespace mockloop::loop {

enum class NotesAccess { read, write };

// Whether `part` keeps notes in `round` of `loop` (its own_notes cell allows reading).
bool keeps_notes(const v1::Loop& loop, const v1::Participant& part, uint32_t round);

// Whether `viewer` may read colleagues' notes of `round` now.
bool sees_colleagues_notes(const Principal& viewer, std::string_view loop_id, uint32_t round, bool submitted);

// `viewer`'s access to the notes of `author_id` in `round` of loop `loop_id`. Refusals are
// Errc::forbidden (or the policy's refusal) with a message for the close reason. Whether
// such an author exists is the caller's check.
Result<NotesAccess> notes_access(const Principal& viewer, std::string_view loop_id, uint32_t round,
                                 std::string_view author_id, bool submitted);

// The notes docs of `round` that `viewer` may open: their own (when they keep notes) and
// the colleagues' who keep notes in the round (when sees_colleagues_notes).
v1::NotesDocs notes_docs(const v1::Loop& loop, uint32_t round, const Principal& viewer, bool submitted);

// "Host", "Bar Raiser", "Interviewer", ... (labels beside an author's notes).
std::string role_label(v1::Role role);

}  // namespace mockloop::loop
