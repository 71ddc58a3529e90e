#include "loop/replay_timeline.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "loop/phase_timer.hpp"

namespace mockloop::loop {

using nlohmann::json;

namespace {

std::string status_name(v1::TimerStatus s) {
  switch (s) {
    case v1::TIMER_STATUS_RUNNING: return "running";
    case v1::TIMER_STATUS_PAUSED: return "paused";
    case v1::TIMER_STATUS_FINISHED: return "finished";
    default: return "idle";
  }
}

// Cuts `s` to at most kMaxEventSummaryBytes without splitting a UTF-8 character.
std::string cut(std::string s) {
  if (s.size() <= kMaxEventSummaryBytes) return s;
  size_t n = kMaxEventSummaryBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "…";
}

std::string phase_name(const LoopService::ReplayFacts& f, uint32_t i) {
  return i < f.phase_names.size() ? f.phase_names[i] : "Phase " + std::to_string(i + 1);
}

int64_t extended_total(const v1::TimerState& s) {
  int64_t n = 0;
  for (auto ms : s.phase_extended_ms()) n += ms;
  return n;
}

// The recorded timer states in order (rows of kind "timer" whose bytes parse).
std::vector<std::pair<const store::RoundEventRow*, v1::TimerState>> timer_rows(const LoopService::ReplayFacts& f) {
  std::vector<std::pair<const store::RoundEventRow*, v1::TimerState>> out;
  for (const auto& e : f.events) {
    if (e.kind != "timer") continue;
    v1::TimerState s;
    if (s.ParseFromString(e.data)) out.emplace_back(&e, std::move(s));
  }
  return out;
}

struct Event {
  int64_t at_ms;
  std::string kind, participant, summary;
};

}  // namespace

std::vector<NoteParagraph> note_paragraphs(const std::string& notes, const json& stamps, const std::string& author_id,
                                           int64_t round_start_ms) {
  std::vector<NoteParagraph> out;
  std::vector<std::pair<int64_t, int64_t>> times;  // (elapsed second, server time), unused ones
  if (stamps.is_array())
    for (const auto& s : stamps)
      if (s.is_object() && s.value("serverTimeMs", json()).is_number() && s.value("elapsedMs", json()).is_number())
        times.emplace_back(s["elapsedMs"].get<int64_t>() / 1000, s["serverTimeMs"].get<int64_t>());
  size_t pos = 0;
  while (pos < notes.size()) {
    size_t end = notes.find('\n', pos);
    if (end == std::string::npos) end = notes.size();
    const std::string line = notes.substr(pos, end - pos);
    pos = end + 1;
    // "[m:ss] text"
    unsigned m = 0, ss = 0;
    int used = 0;
    if (line.size() < 6 || line[0] != '[' || std::sscanf(line.c_str(), "[%u:%2u]%n", &m, &ss, &used) != 2 || used <= 0)
      continue;
    const int64_t second = int64_t{m} * 60 + ss;
    int64_t at = round_start_ms + second * 1000;
    if (auto it = std::find_if(times.begin(), times.end(), [&](const auto& t) { return t.first == second; });
        it != times.end()) {
      at = it->second;
      times.erase(it);
    }
    std::string text = line.substr(static_cast<size_t>(used));
    if (!text.empty() && text[0] == ' ') text.erase(0, 1);
    if (text.empty()) continue;
    out.push_back(NoteParagraph{at, author_id, cut(std::move(text))});
  }
  return out;
}

json timer_at(const LoopService::ReplayFacts& f, int64_t at_ms) {
  const v1::TimerState* latest = nullptr;
  auto rows = timer_rows(f);
  for (const auto& [row, state] : rows) {
    if (row->at_ms > at_ms) break;
    latest = &state;
  }
  if (latest == nullptr) {
    const int64_t first = f.phase_ms.empty() ? 0 : f.phase_ms[0];
    return json{{"phaseIndex", 0}, {"phaseName", phase_name(f, 0)}, {"status", "idle"}, {"remainingMs", first},
                {"overtime", false}};
  }
  const auto view = PhaseTimer(f.phase_ms, *latest).view(at_ms);
  return json{{"phaseIndex", view.phase_index()},
              {"phaseName", phase_name(f, view.phase_index())},
              {"status", status_name(view.status())},
              {"remainingMs", view.remaining_ms()},
              {"overtime", view.overtime()}};
}

json question_at(const LoopService::ReplayFacts& f, int64_t at_ms) {
  json q = nullptr;
  for (const auto& e : f.events) {
    if (e.at_ms > at_ms) break;
    if (e.kind == "question") q = json{{"id", e.data}, {"title", e.summary}};
  }
  return q;
}

std::vector<PhaseBoundary> phase_boundaries(const LoopService::ReplayFacts& f) {
  std::vector<PhaseBoundary> out;
  v1::TimerState prev;
  prev.set_status(v1::TIMER_STATUS_IDLE);
  for (const auto& [row, cur] : timer_rows(f)) {
    const bool phase_moved = cur.phase_index() != prev.phase_index();
    if (cur.status() == v1::TIMER_STATUS_RUNNING && (prev.status() != v1::TIMER_STATUS_RUNNING || phase_moved) &&
        !(prev.status() == v1::TIMER_STATUS_PAUSED && !phase_moved))
      out.push_back({row->at_ms, phase_name(f, cur.phase_index()) + " started", row->actor});
    else if (cur.status() == v1::TIMER_STATUS_FINISHED && prev.status() != v1::TIMER_STATUS_FINISHED)
      out.push_back({row->at_ms, "Round finished", row->actor});
    prev = cur;
  }
  return out;
}

json build_timeline(const LoopService::ReplayFacts& f, const std::vector<store::HistoryMark>& edits,
                    const std::vector<NoteParagraph>& notes) {
  std::vector<Event> events;
  json phases = json::array();
  // Timer: each recorded state compared with the one before it.
  v1::TimerState prev;
  prev.set_status(v1::TIMER_STATUS_IDLE);
  const store::RoundEventRow* band_row = nullptr;
  v1::TimerState band_state;
  auto close_band = [&](int64_t end) {
    if (band_row == nullptr) return;
    phases.push_back(json{{"index", band_state.phase_index()},
                          {"name", phase_name(f, band_state.phase_index())},
                          {"status", status_name(band_state.status())},
                          {"startMs", band_row->at_ms},
                          {"endMs", end}});
    band_row = nullptr;
  };
  for (const auto& [row, cur] : timer_rows(f)) {
    const std::string name = phase_name(f, cur.phase_index());
    const bool phase_moved = cur.phase_index() != prev.phase_index();
    if (cur.status() == v1::TIMER_STATUS_RUNNING && (prev.status() != v1::TIMER_STATUS_RUNNING || phase_moved)) {
      const bool resumed = prev.status() == v1::TIMER_STATUS_PAUSED && !phase_moved;
      events.push_back({row->at_ms, resumed ? "phase_resumed" : "phase_started", row->actor,
                        name + (resumed ? " resumed" : " started")});
    } else if (cur.status() == v1::TIMER_STATUS_PAUSED && prev.status() != v1::TIMER_STATUS_PAUSED) {
      events.push_back({row->at_ms, "phase_paused", row->actor, name + " paused"});
    } else if (cur.status() == v1::TIMER_STATUS_FINISHED && prev.status() != v1::TIMER_STATUS_FINISHED) {
      events.push_back({row->at_ms, "round_finished", row->actor, "Round finished"});
    } else if (cur.status() == v1::TIMER_STATUS_IDLE && prev.status() != v1::TIMER_STATUS_IDLE) {
      events.push_back({row->at_ms, "timer_reset", row->actor, "Timer reset"});
    }
    if (const int64_t added = extended_total(cur) - extended_total(prev); added > 0)
      events.push_back({row->at_ms, "phase_extended", row->actor,
                        name + " extended by " + std::to_string(added / 60000) + " min"});
    const bool banded = cur.status() == v1::TIMER_STATUS_RUNNING || cur.status() == v1::TIMER_STATUS_PAUSED;
    if (band_row == nullptr || phase_moved || cur.status() != band_state.status()) {
      close_band(row->at_ms);
      if (banded) {
        band_row = row;
        band_state = cur;
      }
    }
    prev = cur;
  }
  for (const auto& e : f.events) {
    if (e.kind == "question") events.push_back({e.at_ms, "question_asked", e.actor, e.summary});
    if (e.kind == "joined") events.push_back({e.at_ms, "participant_joined", e.actor, e.summary});
    if (e.kind == "left") events.push_back({e.at_ms, "participant_left", e.actor, e.summary});
    // Snapshot names and restores are staff's (the restored content itself shows as edits).
    if (f.staff_events && e.kind == "snapshot")
      events.push_back({e.at_ms, "snapshot_taken", e.actor, "Snapshot \"" + e.summary + "\""});
    if (f.staff_events && e.kind == "restore") events.push_back({e.at_ms, "snapshot_restored", e.actor, e.summary});
  }
  std::map<std::string, std::string> id_by_name, name_by_id;
  for (const auto& p : f.loop.participants()) {
    id_by_name.emplace(p.display_name(), p.id());
    name_by_id.emplace(p.id(), p.display_name());
  }
  for (const auto& r : f.runs) {
    auto it = id_by_name.find(r.by);
    events.push_back({r.at_ms, "code_run", it == id_by_name.end() ? "" : it->second,
                      r.by + " ran " + r.language + ": " + r.verdict +
                          (r.total > 0 ? " (" + std::to_string(r.passed) + "/" + std::to_string(r.total) + ")" : "")});
  }
  for (const auto& s : f.scorecards) {
    auto it = name_by_id.find(s.author_id);
    events.push_back({s.at_ms, "scorecard_submitted", s.author_id,
                      (it == name_by_id.end() ? s.author_id : it->second) + " submitted a scorecard" +
                          (s.version > 1 ? " (version " + std::to_string(s.version) + ")" : "")});
  }
  for (const auto& n : notes) events.push_back({n.at_ms, "note", n.author_id, n.text});
  // Edits of the shared doc: bursts per participant, and their activity tracks.
  std::map<std::string, std::vector<std::array<int64_t, 3>>> spans;  // actor -> [start, end, n]
  for (const auto& m : edits) {
    auto& list = spans[m.actor];
    if (!list.empty() && m.at_ms - list.back()[1] <= kEditBurstGapMs) {
      list.back()[1] = m.at_ms;
      ++list.back()[2];
    } else {
      list.push_back({m.at_ms, m.at_ms, 1});
    }
  }
  json activity = json::array();
  for (const auto& [actor, list] : spans) {
    json js = json::array();
    for (const auto& s : list) {
      js.push_back(json::array({s[0], s[1], s[2]}));
      events.push_back({s[0], "edits", actor, std::to_string(s[2]) + (s[2] == 1 ? " change" : " changes")});
    }
    activity.push_back(json{{"participantId", actor}, {"spans", std::move(js)}});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at_ms < b.at_ms; });
  int64_t start = 0, end = 0;
  for (const auto& e : events) {
    if (start == 0 || e.at_ms < start) start = e.at_ms;
    end = std::max(end, e.at_ms);
  }
  for (const auto& [actor, list] : spans)
    for (const auto& s : list) end = std::max(end, s[1]);
  close_band(end);
  json out_events = json::array();
  for (auto& e : events)
    out_events.push_back(json{{"atMs", e.at_ms}, {"kind", e.kind}, {"participantId", e.participant}, {"summary", e.summary}});
  json participants = json::array();
  for (const auto& p : f.loop.participants())
    participants.push_back(json{{"id", p.id()}, {"name", p.display_name()}, {"role", v1::Role_Name(p.role())}});
  return json{{"startMs", start},          {"endMs", end},      {"staffEvents", f.staff_events},
              {"events", std::move(out_events)}, {"phases", std::move(phases)},
              {"participants", std::move(participants)}, {"activity", std::move(activity)}};
}

}  // namespace mockloop::loop
