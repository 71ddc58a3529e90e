#include "loop/phase_timer.hpp"

#include <algorithm>

namespace mockloop::loop {

PhaseTimer::PhaseTimer(uint32_t round_index, std::vector<int64_t> phase_ms, bool auto_advance)
    : phase_ms_(std::move(phase_ms)) {
  if (phase_ms_.empty()) phase_ms_.push_back(0);
  s_.set_round_index(round_index);
  s_.set_auto_advance(auto_advance);
  reset();
  s_.set_revision(0);
}

PhaseTimer::PhaseTimer(std::vector<int64_t> phase_ms, const v1::TimerState& persisted)
    : phase_ms_(std::move(phase_ms)), s_(persisted) {
  if (phase_ms_.empty()) phase_ms_.push_back(0);
  if (s_.phase_index() >= phase_ms_.size()) s_.set_phase_index(static_cast<uint32_t>(phase_ms_.size() - 1));
  if (s_.status() == v1::TIMER_STATUS_UNSPECIFIED) reset();
}

int64_t& PhaseTimer::elapsed(uint32_t index) {
  while (s_.phase_elapsed_ms_size() < static_cast<int>(phase_ms_.size())) s_.add_phase_elapsed_ms(0);
  return *s_.mutable_phase_elapsed_ms()->Mutable(static_cast<int>(index));
}

int64_t& PhaseTimer::extended(uint32_t index) {
  while (s_.phase_extended_ms_size() < static_cast<int>(phase_ms_.size())) s_.add_phase_extended_ms(0);
  return *s_.mutable_phase_extended_ms()->Mutable(static_cast<int>(index));
}

void PhaseTimer::clear_history() {
  s_.clear_phase_elapsed_ms();
  s_.clear_phase_extended_ms();
}

void PhaseTimer::leave_phase(int64_t now) {
  if (s_.status() == v1::TIMER_STATUS_FINISHED) return;  // the last phase was recorded when it ended
  const int64_t remaining = s_.status() == v1::TIMER_STATUS_RUNNING ? s_.phase_ends_at_ms() - now : s_.remaining_ms();
  elapsed(s_.phase_index()) = s_.phase_duration_ms() - remaining;
}

void PhaseTimer::enter_phase(uint32_t index, int64_t now) {
  const int64_t duration = phase_ms_[index] + extended(index);
  const int64_t remaining = duration - elapsed(index);
  s_.set_phase_index(index);
  s_.set_phase_duration_ms(duration);
  if (s_.status() == v1::TIMER_STATUS_RUNNING) {
    s_.set_phase_ends_at_ms(now + remaining);
  } else {
    s_.set_remaining_ms(remaining);
    s_.set_phase_ends_at_ms(0);
  }
}

void PhaseTimer::reset() {
  s_.set_status(v1::TIMER_STATUS_IDLE);
  clear_history();
  enter_phase(0, 0);
  bump();
}

Result<void> PhaseTimer::start(int64_t now) {
  if (s_.status() != v1::TIMER_STATUS_IDLE && s_.status() != v1::TIMER_STATUS_FINISHED)
    return make_error(Errc::conflict, "the timer is already started");
  if (s_.status() == v1::TIMER_STATUS_FINISHED) {
    s_.set_status(v1::TIMER_STATUS_IDLE);
    clear_history();
    enter_phase(0, now);
  }
  s_.set_status(v1::TIMER_STATUS_RUNNING);
  s_.set_phase_ends_at_ms(now + s_.remaining_ms());
  bump();
  return {};
}

Result<void> PhaseTimer::pause(int64_t now) {
  if (s_.status() != v1::TIMER_STATUS_RUNNING) return make_error(Errc::conflict, "the timer is not running");
  s_.set_remaining_ms(s_.phase_ends_at_ms() - now);
  s_.set_phase_ends_at_ms(0);
  s_.set_status(v1::TIMER_STATUS_PAUSED);
  bump();
  return {};
}

Result<void> PhaseTimer::resume(int64_t now) {
  if (s_.status() != v1::TIMER_STATUS_PAUSED) return make_error(Errc::conflict, "the timer is not paused");
  s_.set_status(v1::TIMER_STATUS_RUNNING);
  s_.set_phase_ends_at_ms(now + s_.remaining_ms());
  bump();
  return {};
}

Result<void> PhaseTimer::next(int64_t now) {
  if (s_.status() == v1::TIMER_STATUS_FINISHED) return make_error(Errc::conflict, "the round is finished");
  leave_phase(now);
  if (s_.phase_index() + 1 >= phase_ms_.size()) {
    s_.set_status(v1::TIMER_STATUS_FINISHED);
    s_.set_remaining_ms(0);
    s_.set_phase_ends_at_ms(0);
  } else {
    enter_phase(s_.phase_index() + 1, now);
  }
  bump();
  return {};
}

Result<void> PhaseTimer::previous(int64_t now) {
  if (s_.status() == v1::TIMER_STATUS_FINISHED) {
    s_.set_status(v1::TIMER_STATUS_PAUSED);
    enter_phase(static_cast<uint32_t>(phase_ms_.size() - 1), now);
  } else {
    leave_phase(now);
    enter_phase(s_.phase_index() == 0 ? 0 : s_.phase_index() - 1, now);
  }
  bump();
  return {};
}

Result<void> PhaseTimer::extend(int64_t now, int64_t ms) {
  if (ms <= 0 || ms > kMaxExtendMs) return make_error(Errc::invalid_argument, "extend_seconds must be 1..3600");
  if (s_.status() == v1::TIMER_STATUS_FINISHED) return make_error(Errc::conflict, "the round is finished");
  s_.set_phase_duration_ms(s_.phase_duration_ms() + ms);
  extended(s_.phase_index()) += ms;
  if (s_.status() == v1::TIMER_STATUS_RUNNING) {
    s_.set_phase_ends_at_ms(s_.phase_ends_at_ms() + ms);
  } else {
    s_.set_remaining_ms(s_.remaining_ms() + ms);
  }
  bump();
  return {};
}

void PhaseTimer::set_auto_advance(bool on) {
  s_.set_auto_advance(on);
  bump();
}

Result<void> PhaseTimer::apply(const v1::TimerCommand& cmd, int64_t now) {
  switch (cmd.action()) {
    case v1::TIMER_ACTION_START: return start(now);
    case v1::TIMER_ACTION_PAUSE: return pause(now);
    case v1::TIMER_ACTION_RESUME: return resume(now);
    case v1::TIMER_ACTION_NEXT: return next(now);
    case v1::TIMER_ACTION_PREVIOUS: return previous(now);
    case v1::TIMER_ACTION_EXTEND:
      if (cmd.extend_seconds() <= 0 || cmd.extend_seconds() > kMaxExtendMs / 1000)
        return make_error(Errc::invalid_argument, "extend_seconds must be 1..3600");
      return extend(now, cmd.extend_seconds() * 1000);
    case v1::TIMER_ACTION_SET_AUTO_ADVANCE: set_auto_advance(cmd.auto_advance()); return {};
    case v1::TIMER_ACTION_RESET: reset(); return {};
    default: return make_error(Errc::invalid_argument, "unknown timer action");
  }
}

bool PhaseTimer::advance(int64_t now) {
  if (s_.status() != v1::TIMER_STATUS_RUNNING || !s_.auto_advance()) return false;
  bool changed = false;
  while (s_.status() == v1::TIMER_STATUS_RUNNING && now >= s_.phase_ends_at_ms()) {
    changed = true;
    const int64_t ended_at = s_.phase_ends_at_ms();
    leave_phase(ended_at);
    if (s_.phase_index() + 1 >= phase_ms_.size()) {
      s_.set_status(v1::TIMER_STATUS_FINISHED);
      s_.set_remaining_ms(0);
      s_.set_phase_ends_at_ms(0);
    } else {
      enter_phase(s_.phase_index() + 1, ended_at);
    }
  }
  if (changed) bump();
  return changed;
}

v1::TimerState PhaseTimer::view(int64_t now) const {
  v1::TimerState v = s_;
  if (s_.status() == v1::TIMER_STATUS_RUNNING) v.set_remaining_ms(s_.phase_ends_at_ms() - now);
  v.set_overtime(v.remaining_ms() < 0);
  v.set_server_now_ms(now);
  return v;
}

}  // namespace mockloop::loop
