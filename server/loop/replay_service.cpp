#include "loop/replay_service.hpp"

#include <nlohmann/json.hpp>

#include "crdt/doc.hpp"
#include "loop/doc_names.hpp"
#include "loop/replay_timeline.hpp"

namespace mockloop::loop {

using nlohmann::json;

namespace {

// Every stored update was accepted by the room under its limits (which may have been raised
// since): rebuild without them, as loop/crdt_round_docs does for the debrief.
std::unique_ptr<crdt::Doc> rebuild(const store::HistorySlice& s) {
  crdt::Limits unbounded;
  unbounded.max_type_depth = UINT32_MAX;
  unbounded.max_map_keys = SIZE_MAX;
  auto doc = std::make_unique<crdt::Doc>(crdt::DocOptions{}, unbounded);
  if (!s.checkpoint.empty()) (void)doc->apply_update_v1(s.checkpoint);
  for (const auto& u : s.updates) (void)doc->apply_update_v1(u);
  return doc;
}

json parse_or(const std::string& text, json fallback) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<std::unique_ptr<ReplayService>> ReplayService::open(LoopService& loops, store::Database& db) {
  auto history = store::DocHistory::open(db);
  if (!history) return history.error();
  return std::unique_ptr<ReplayService>(new ReplayService(loops, std::move(*history)));
}

Result<store::HistorySlice> ReplayService::slice(const std::string& doc, int64_t at_ms) {
  std::lock_guard lock(mu_);
  auto s = history_->slice_until(doc, at_ms);
  if (!s) return make_error(Errc::internal, "reading history: " + s.error().message);
  return s;
}

Result<std::string> ReplayService::timeline(const Principal& p, const std::string& loop_id, uint32_t round) {
  auto f = loops_.replay_facts(p, loop_id, round);
  if (!f) return f.error();
  const std::string room = f->loop.rounds(static_cast<int>(round)).room_id();
  std::vector<store::HistoryMark> marks;
  {
    std::lock_guard lock(mu_);
    auto m = history_->marks(doc_names::round_doc(room));
    if (!m) return make_error(Errc::internal, "reading history: " + m.error().message);
    marks = std::move(*m);
  }
  // Notes paragraphs (staff only: notes_docs is empty otherwise), from each notes doc's
  // latest state. The round's start dates a paragraph whose stamp entry is missing.
  std::vector<NoteParagraph> notes;
  if (!f->notes_docs.empty()) {
    int64_t start = 0;
    for (const auto& e : f->events)
      if (e.kind == "timer") {
        start = e.at_ms;
        break;
      }
    for (const auto& [doc_name, author] : f->notes_docs) {
      auto s = slice(doc_name, kMaxReplayMoment);
      if (!s) return s.error();
      if (s->checkpoint.empty() && s->updates.empty()) continue;
      auto doc = rebuild(*s);
      auto stamps = parse_or(doc->root_to_json("stamps", crdt::TypeKind::Array), json::array());
      auto paragraphs = note_paragraphs(doc->get_text("notes").to_string(), stamps, author, start);
      notes.insert(notes.end(), paragraphs.begin(), paragraphs.end());
    }
  }
  return dump(build_timeline(*f, marks, notes));
}

Result<std::string> ReplayService::state(const Principal& p, const std::string& loop_id, uint32_t round,
                                         int64_t at_ms) {
  if (at_ms < 0 || at_ms > kMaxReplayMoment)
    return make_error(Errc::invalid_argument, "at: a moment in ms since the Unix epoch");
  auto f = loops_.replay_facts(p, loop_id, round);
  if (!f) return f.error();
  auto s = slice(doc_names::round_doc(f->loop.rounds(static_cast<int>(round)).room_id()), at_ms);
  if (!s) return s.error();
  auto doc = rebuild(*s);
  json board = parse_or(doc->root_to_json("board", crdt::TypeKind::Map), json::object());
  json codepad = parse_or(doc->root_to_json("codepad", crdt::TypeKind::Map), json::object());
  std::string language = "python";
  if (codepad.is_object() && codepad.value("language", json()).is_string()) language = codepad["language"];
  json out = {{"atMs", at_ms},
              {"board", std::move(board)},
              {"code", {{"text", doc->get_text("code").to_string()}, {"language", language}}},
              {"timer", timer_at(*f, at_ms)},
              {"question", question_at(*f, at_ms)},
              {"rebuiltFrom", {{"checkpointSeq", s->checkpoint_seq}, {"updates", s->updates.size()}}}};
  return dump(out);
}

}  // namespace mockloop::loop
