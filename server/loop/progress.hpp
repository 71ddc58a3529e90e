// Where a loop is (v1::LoopProgress): its current round and the timed break before it, as
// pure functions over absolute server times (ms since the Unix epoch), so tests drive them
// with an injected clock and the state persists as is (a running break keeps running across
// a restart). Who may move the loop is the policy's (loop_progress write), not decided here.
//
// Values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "loop.pb.h"

namespace mockloop::loop {

// The break that follows `round`: the template's break_minutes copied into the round at
// creation, or kDefaultBreakMinutes when the template names none.
int64_t break_ms_after(const v1::Round& round);

// The progress after moving `loop` from `cur` to round `target` at `now`:
//  - target out of range: Errc::not_found;
//  - take_break: only to a later round (else Errc::invalid_argument); the break that follows
//    the current round starts now and ends break_ms_after(current) later;
//  - target == current without take_break: ends a running break (no change otherwise);
//  - any other move: to `target`, no break.
// `changed` tells whether anything but server_now_ms differs; revision bumps when it does.
struct ProgressMove {
  v1::LoopProgress progress;
  uint32_t from_round = 0;
  bool changed = false;
  bool ended_break = false;  // a running break was ended early (target == current)
  // Filled by LoopService::move_loop: the round's timer, when ending the break started it.
  std::optional<v1::TimerState> started;
};
Result<ProgressMove> move_progress(const v1::LoopProgress& cur, const v1::Loop& loop, uint32_t target,
                                   bool take_break, const std::string& moved_by, int64_t now);

// Whether a break is running at `now`.
bool break_running(const v1::LoopProgress& p, int64_t now);

// `p` with its break ended (break_ends_at_ms 0, revision bumped).
v1::LoopProgress end_break(v1::LoopProgress p);

}  // namespace mockloop::loop
