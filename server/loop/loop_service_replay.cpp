// LoopService's replay calls (issue 19): presence on the timeline, and the loop-table facts
// the replay of a round is built from (loop/replay_service.hpp).
#include <algorithm>

#include "loop/limits.hpp"
#include "loop/loop_service.hpp"
#include "loop/notes_access.hpp"

namespace mockloop::loop {

using policy::Action;
using policy::Resource;

Result<void> LoopService::record_presence(const Principal& p, uint32_t round, bool joined) {
  if (p.loop_id.empty()) return {};
  std::lock_guard lock(mu_);
  store::RoundEventRow row{now_ms(), joined ? "joined" : "left", p.participant.id(),
                           p.participant.display_name() + (joined ? " joined" : " left"), {}};
  if (auto r = store::append_round_event(store_->database(), p.loop_id, static_cast<int>(round), row); !r)
    return make_error(Errc::internal, r.error().message);
  return {};
}

Result<LoopService::ReplayFacts> LoopService::replay_facts(const Principal& p, std::string_view loop_id,
                                                           uint32_t round) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return make_error(Errc::not_found, "no such round");
  // The loop has ended when its last round's timer has finished.
  const int64_t now = now_ms();
  auto last = timer(*loop, static_cast<uint32_t>(loop->rounds_size() - 1), now);
  if (!last) return last.error();
  const bool ended = (*last)->state().status() == v1::TIMER_STATUS_FINISHED;
  const bool open = ended && !loop->replay_hidden_from_candidate();
  if (auto ok = permit(p, loop_id, Resource::replay, Action::read, round, false, std::nullopt, open); !ok)
    return ok.error();
  ReplayFacts f;
  f.round = round;
  f.staff_events = permitted(p, loop_id, Resource::replay_staff_events, Action::read, round);
  f.snapshots_read = permitted(p, loop_id, Resource::replay_snapshots, Action::read, round);
  f.snapshots_write = permitted(p, loop_id, Resource::replay_snapshots, Action::write, round);
  const auto& r = loop->rounds(static_cast<int>(round));
  f.phase_ms = phase_ms(r);
  if (const auto* plan = catalog_->plan_for(r.kind()))
    for (const auto& ph : plan->phases()) f.phase_names.push_back(ph.title());
  while (f.phase_names.size() < f.phase_ms.size()) f.phase_names.push_back("Phase " + std::to_string(f.phase_names.size() + 1));
  auto events = store::round_events(store_->database(), loop_id, static_cast<int>(round));
  if (!events) return make_error(Errc::internal, events.error().message);
  f.events = std::move(*events);
  auto runs = store::round_runs(store_->database(), loop_id, static_cast<int>(round));
  if (!runs) return make_error(Errc::internal, runs.error().message);
  f.runs = std::move(*runs);
  if (f.staff_events) {
    auto cards = store_->scorecards(loop_id);
    if (!cards) return make_error(Errc::internal, cards.error().message);
    for (const auto& c : *cards)
      if (c.round_index == static_cast<int>(round) && c.status == v1::SCORECARD_STATUS_SUBMITTED)
        f.scorecards.push_back({c.submitted_at_ms, c.author_id, c.version});
    auto submitted = submitted_locked(*loop, round, p.participant.id());
    if (!submitted) return submitted.error();
    auto docs = loop::notes_docs(*loop, round, p, *submitted);
    if (docs.has_mine()) f.notes_docs.emplace_back(docs.mine().doc_name(), docs.mine().participant_id());
    for (const auto& c : docs.colleagues()) f.notes_docs.emplace_back(c.doc_name(), c.participant_id());
  }
  f.loop = std::move(*loop);
  return f;
}

Result<store::RoundEventRow> LoopService::record_snapshot(const Principal& p, std::string_view loop_id, uint32_t round,
                                                          std::string name, std::optional<int64_t> at_ms) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return make_error(Errc::not_found, "no such round");
  if (auto ok = permit(p, loop_id, Resource::replay_snapshots, Action::write, round); !ok) return ok.error();
  const int64_t now = now_ms();
  const int64_t at = at_ms.value_or(now);
  if (at < loop->created_at_ms() || at > now + kMomentSkewMs)
    return make_error(Errc::invalid_argument, "atMs: a moment inside the loop's time");
  auto events = store::round_events(store_->database(), loop_id, static_cast<int>(round));
  if (!events) return make_error(Errc::internal, events.error().message);
  const auto taken = std::count_if(events->begin(), events->end(), [](const auto& e) { return e.kind == "snapshot"; });
  if (taken >= kMaxSnapshotsPerRound)
    return make_error(Errc::conflict, "at most " + std::to_string(kMaxSnapshotsPerRound) + " snapshots per round");
  if (name.empty()) name = "Snapshot " + std::to_string(taken + 1);
  store::RoundEventRow row{now, "snapshot", p.participant.id(), std::move(name), std::to_string(at)};
  if (auto r = store::append_round_event(store_->database(), loop_id, static_cast<int>(round), row); !r)
    return make_error(Errc::internal, r.error().message);
  return row;
}

Result<store::RoundEventRow> LoopService::record_restore(const Principal& p, std::string_view loop_id, uint32_t round,
                                                         std::string summary, std::string data) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return make_error(Errc::not_found, "no such round");
  if (auto ok = permit(p, loop_id, Resource::replay_snapshots, Action::write, round); !ok) return ok.error();
  store::RoundEventRow row{now_ms(), "restore", p.participant.id(), std::move(summary), std::move(data)};
  if (auto r = store::append_round_event(store_->database(), loop_id, static_cast<int>(round), row); !r)
    return make_error(Errc::internal, r.error().message);
  return row;
}

}  // namespace mockloop::loop
