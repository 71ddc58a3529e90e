#include "loop/replay_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "crdt/doc.hpp"
#include "crdt/utf.hpp"
#include "loop/doc_names.hpp"
#include "loop/limits.hpp"
#include "loop/replay_snapshots.hpp"
#include "loop/replay_timeline.hpp"
#include "loop/snapshot_restore.hpp"

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

json parse_or(const std::string& text, const json& fallback) {
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
    for (const auto& e : f->events) {
      if (e.kind == "timer") {
        start = e.at_ms;
        break;
      }
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

// ---- snapshots (loop/replay_snapshots.hpp) ----

namespace {

json parse_body(const std::string& body) {
  if (body.empty()) return json::object();
  auto j = json::parse(body, nullptr, false);
  return j;
}

bool name_ok(const std::string& name) {
  if (name.size() > kMaxSnapshotNameBytes || !crdt::is_valid_utf8(name)) return false;
  return std::none_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

Result<std::string> ReplayService::snapshots(const Principal& p, const std::string& loop_id, uint32_t round) {
  auto f = loops_.replay_facts(p, loop_id, round);
  if (!f) return f.error();
  if (!f->snapshots_read) return make_error(Errc::forbidden, "snapshots are for the round's staff");
  json list = json::array();
  for (const auto& s : round_snapshots(*f)) list.push_back(snapshot_json(s));
  return dump(json{{"snapshots", std::move(list)}, {"maxPerRound", kMaxSnapshotsPerRound}});
}

Result<std::string> ReplayService::create_snapshot(const Principal& p, const std::string& loop_id, uint32_t round,
                                                   const std::string& body) {
  const json b = parse_body(body);
  if (!b.is_object()) return make_error(Errc::invalid_argument, "body: a JSON object {name, atMs}");
  for (const auto& [k, v] : b.items())
    if (k != "name" && k != "atMs") return make_error(Errc::invalid_argument, "unknown field '" + k + "'");
  const json name = b.value("name", json(""));
  if (!name.is_string() || !name_ok(name.get<std::string>()))
    return make_error(Errc::invalid_argument, "name: at most " + std::to_string(kMaxSnapshotNameBytes) +
                                                  " bytes of text without control characters");
  std::optional<int64_t> at;
  if (b.contains("atMs")) {
    const json& a = b["atMs"];
    if (a.is_number_integer()) at = a.get<int64_t>();
    else if (a.is_string() && !a.get<std::string>().empty() && a.get<std::string>().size() <= 13 &&
             std::all_of(a.get<std::string>().begin(), a.get<std::string>().end(), [](char c) { return c >= '0' && c <= '9'; }))
      at = std::stoll(a.get<std::string>());
    else return make_error(Errc::invalid_argument, "atMs: a moment in ms since the Unix epoch");
  }
  auto row = loops_.record_snapshot(p, loop_id, round, name.get<std::string>(), at);
  if (!row) return row.error();
  auto f = loops_.replay_facts(p, loop_id, round);
  if (!f) return f.error();
  auto list = round_snapshots(*f);
  for (auto it = list.rbegin(); it != list.rend(); ++it)
    if (it->kind == "manual") return dump(snapshot_json(*it));
  return make_error(Errc::internal, "the snapshot was not recorded");
}

Result<std::string> ReplayService::restore(const Principal& p, const std::string& loop_id, uint32_t round,
                                           const std::string& snapshot_id, const std::string& body) {
  const json b = parse_body(body);
  if (!b.is_object() || b.size() != 1 || !b.value("target", json()).is_string())
    return make_error(Errc::invalid_argument, "body: {\"target\": \"board\" | \"code\"}");
  const std::string target_name = b["target"];
  if (target_name != "board" && target_name != "code")
    return make_error(Errc::invalid_argument, "target: \"board\" or \"code\"");
  const RestoreTarget target = target_name == "board" ? RestoreTarget::board : RestoreTarget::code;
  auto f = loops_.replay_facts(p, loop_id, round);
  if (!f) return f.error();
  if (!f->snapshots_write) return make_error(Errc::forbidden, "restoring is for the round's staff");
  auto snap = find_snapshot(*f, snapshot_id);
  if (!snap) return make_error(Errc::not_found, "no such snapshot");
  if (!editor_) return make_error(Errc::conflict, "restoring needs the live documents (not on this server)");
  const std::string doc_name = doc_names::round_doc(f->loop.rounds(static_cast<int>(round)).room_id());
  auto s = slice(doc_name, snap->at_ms);
  if (!s) return s.error();
  auto then = rebuild(*s);
  RestoreWanted wanted;
  wanted.board = parse_or(then->root_to_json("board", crdt::TypeKind::Map), json::object());
  wanted.code = then->get_text("code").to_string();
  const json pad = parse_or(then->root_to_json("codepad", crdt::TypeKind::Map), json::object());
  if (pad.is_object() && pad.value("language", json()).is_string()) wanted.language = pad["language"];
  auto changed = editor_(doc_name, p.participant.id(), [&](std::span<const uint8_t> live) {
    return restore_update(live, target, wanted);
  });
  if (!changed) return changed.error();
  const std::string what = target == RestoreTarget::board ? "the board" : "the code";
  auto row = loops_.record_restore(p, loop_id, round,
                                   p.participant.display_name() + " restored " + what + " to \"" + snap->name + "\"",
                                   snap->id + " " + target_name);
  if (!row) return row.error();
  return dump(json{{"snapshot", snapshot_json(*snap)}, {"target", target_name}, {"changed", *changed},
                   {"restoredAtMs", row->at_ms}});
}

}  // namespace mockloop::loop
