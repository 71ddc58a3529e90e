// Role-filtered views of loop state: what each participant may be sent. A candidate's or
// observer's view never contains rubric content, hints, follow-ups, interviewer notes,
// phase guidance or scores; these functions are the only place such views are built.
// Pure; thread-safe.
#pragma once

#include <optional>

#include "content/catalog.hpp"
#include "loop/principal.hpp"
#include "loop.pb.h"
#include "session.pb.h"

namespace mockloop::loop {

v1::QuestionPrompt prompt_of(const v1::Question& q);

// The loop as `p` may see it (others' round assignments are staff-only).
v1::Loop view_loop(const v1::Loop& loop, const Principal& p);

// `staff`: is_staff_of_round(p, round). `mine`: the caller's latest scorecard, staff only.
// `progress`: where the loop is (decides the candidate's edit right and can_move_loop).
v1::StateSnapshot build_snapshot(const content::Catalog& catalog, const v1::Loop& loop, uint32_t round,
                                 const Principal& p, const v1::TimerState& timer, bool staff,
                                 const std::optional<v1::Scorecard>& mine, const v1::LoopProgress& progress,
                                 int64_t now_ms);

}  // namespace mockloop::loop
