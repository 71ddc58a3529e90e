#include "loop/progress.hpp"

#include "loop/limits.hpp"

namespace mockloop::loop {

int64_t break_ms_after(const v1::Round& round) {
  const int64_t minutes = round.break_minutes_after() > 0 ? round.break_minutes_after() : kDefaultBreakMinutes;
  return minutes * 60'000;
}

bool break_running(const v1::LoopProgress& p, int64_t now) {
  return p.break_ends_at_ms() > 0 && now < p.break_ends_at_ms();
}

v1::LoopProgress end_break(v1::LoopProgress p) {
  p.set_break_ends_at_ms(0);
  p.set_break_ms(0);
  p.set_revision(p.revision() + 1);
  return p;
}

Result<ProgressMove> move_progress(const v1::LoopProgress& cur, const v1::Loop& loop, uint32_t target,
                                   bool take_break, const std::string& moved_by, int64_t now) {
  if (target >= static_cast<uint32_t>(loop.rounds_size())) return make_error(Errc::not_found, "no such round");
  ProgressMove out;
  out.from_round = cur.current_round();
  out.progress = cur;
  out.progress.set_server_now_ms(now);
  if (take_break) {
    if (target <= cur.current_round()) return make_error(Errc::invalid_argument, "a break only leads to a later round");
    const int64_t ms = break_ms_after(loop.rounds(static_cast<int>(cur.current_round())));
    out.progress.set_break_ms(ms);
    out.progress.set_break_ends_at_ms(now + ms);
  } else if (target == cur.current_round()) {
    if (cur.break_ends_at_ms() == 0) return out;  // already there, no break: nothing to do
    out.progress.set_break_ends_at_ms(0);
    out.progress.set_break_ms(0);
    out.ended_break = true;
  } else {
    out.progress.set_break_ends_at_ms(0);
    out.progress.set_break_ms(0);
  }
  out.progress.set_current_round(target);
  out.progress.set_moved_by(moved_by);
  out.progress.set_revision(cur.revision() + 1);
  out.changed = true;
  return out;
}

}  // namespace mockloop::loop
