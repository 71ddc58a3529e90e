// PhaseTimer: the server-kept phase timer of one round, as a pure state machine over
// absolute server times (ms since the Unix epoch). Every operation takes `now` so tests
// drive it with an injected clock; the state is a TimerState message so it can be
// persisted as is and reloaded after a restart (times are absolute, so a running timer
// keeps running across the restart). Each phase keeps its elapsed time and extensions
// (TimerState.phase_elapsed_ms / phase_extended_ms): leaving a phase records how much of it
// was used, entering one again resumes it with what it had left ("previous" after a hasty
// "next" loses nothing; a phase that ran out comes back with 0 or its overtime).
//
// Not thread-safe; the LoopService owns timers under its mutex.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "loop.pb.h"
#include "session.pb.h"

namespace mockloop::loop {

// Longest single extension: 60 minutes.
inline constexpr int64_t kMaxExtendMs = 60 * 60 * 1000;

class PhaseTimer {
 public:
  // `phase_ms`: planned duration of each phase (at least one).
  PhaseTimer(uint32_t round_index, std::vector<int64_t> phase_ms, bool auto_advance);
  // Restores a persisted state; an out-of-range phase index is clamped.
  PhaseTimer(std::vector<int64_t> phase_ms, const v1::TimerState& persisted);

  Result<void> start(int64_t now);
  Result<void> pause(int64_t now);
  Result<void> resume(int64_t now);
  Result<void> next(int64_t now);
  Result<void> previous(int64_t now);
  Result<void> extend(int64_t now, int64_t ms);
  void set_auto_advance(bool on);
  void reset();
  // Applies the command; every refusal is Errc::conflict (wrong state) or Errc::invalid_argument.
  Result<void> apply(const v1::TimerCommand& cmd, int64_t now);

  // With auto-advance, moves past every phase that ended by `now` (each next phase starts
  // when the previous one ended, not when this is called); FINISHED after the last.
  // Returns true when the state changed.
  bool advance(int64_t now);

  // The state as clients see it at `now` (remaining_ms, overtime, server_now_ms filled).
  v1::TimerState view(int64_t now) const;
  // The state to persist.
  const v1::TimerState& state() const { return s_; }

 private:
  void enter_phase(uint32_t index, int64_t now);
  // Records the current phase's elapsed time at `now` (before entering another).
  void leave_phase(int64_t now);
  void clear_history();
  int64_t& elapsed(uint32_t index);
  int64_t& extended(uint32_t index);
  void bump() { s_.set_revision(s_.revision() + 1); }

  std::vector<int64_t> phase_ms_;
  v1::TimerState s_;  // remaining_ms is authoritative while not RUNNING
};

}  // namespace mockloop::loop
