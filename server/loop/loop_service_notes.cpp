// LoopService's notes calls (issue 15): the data behind loop/notes_access.hpp's rule.
#include "loop/loop_service.hpp"
#include "loop/notes_access.hpp"

namespace mockloop::loop {

Result<bool> LoopService::submitted_locked(const v1::Loop& loop, uint32_t round, const std::string& author) {
  auto rows = store_->scorecards(loop.id(), static_cast<int>(round), author);
  if (!rows) return make_error(Errc::internal, rows.error().message);
  for (const auto& row : *rows)
    if (row.status == v1::SCORECARD_STATUS_SUBMITTED) return true;
  return false;
}

Result<bool> LoopService::submitted_scorecard(const Principal& p, uint32_t round) {
  if (p.loop_id.empty()) return false;
  std::lock_guard lock(mu_);
  auto loop = load_loop(p.loop_id);
  if (!loop) return loop.error();
  return submitted_locked(*loop, round, p.participant.id());
}

Result<v1::NotesDocs> LoopService::notes_docs(const Principal& p, uint32_t round) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, p.loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return make_error(Errc::not_found, "no such round");
  auto submitted = submitted_locked(*loop, round, p.participant.id());
  if (!submitted) return submitted.error();
  return loop::notes_docs(*loop, round, p, *submitted);
}

Result<std::vector<std::vector<v1::NotesRef>>> LoopService::readable_notes_locked(const Principal& p,
                                                                                  const v1::Loop& loop) {
  std::vector<std::vector<v1::NotesRef>> out;
  for (const auto& r : loop.rounds()) {
    auto submitted = submitted_locked(loop, r.index(), p.participant.id());
    if (!submitted) return submitted.error();
    auto docs = loop::notes_docs(loop, r.index(), p, *submitted);
    std::vector<v1::NotesRef> refs;
    if (docs.has_mine()) refs.push_back(docs.mine());
    for (const auto& c : docs.colleagues()) refs.push_back(c);
    out.push_back(std::move(refs));
  }
  return out;
}

}  // namespace mockloop::loop
