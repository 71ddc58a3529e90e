// The replay timeline of one round (issue 19), built from what the loop tables and the
// documents' history recorded: pure functions over plain inputs, so tests feed them by hand.
// What a reader may see is decided before (LoopService::replay_facts): staff-only inputs
// (scorecards, notes) are simply absent for a reader without replay_staff_events.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loop/loop_service.hpp"
#include "store/doc_history.hpp"

namespace mockloop::loop {

// Rows of the shared doc's history closer than this belong to one "edits" event.
inline constexpr int64_t kEditBurstGapMs = 20'000;
// A note paragraph's summary is cut here (characters of UTF-8, on a character boundary).
inline constexpr size_t kMaxEventSummaryBytes = 200;

// One paragraph of an author's notes with the server time it was started.
struct NoteParagraph {
  int64_t at_ms = 0;
  std::string author_id;
  std::string text;
};

// The paragraphs of a notes doc: `notes` text split at paragraph starts stamped "[m:ss] ",
// each dated by the `stamps` entry (JSON array of {serverTimeMs, elapsedMs}) whose elapsed
// second matches, else by `round_start_ms` + the stamp's elapsed time.
std::vector<NoteParagraph> note_paragraphs(const std::string& notes, const nlohmann::json& stamps,
                                           const std::string& author_id, int64_t round_start_ms);

// The timer's state at `at_ms` from the recorded timer rows (kind "timer"), as JSON:
// {phaseIndex, phaseName, status, remainingMs, overtime}; idle phase 0 before the first row.
nlohmann::json timer_at(const LoopService::ReplayFacts& f, int64_t at_ms);
// The question selected at `at_ms`: {id, title}, or null.
nlohmann::json question_at(const LoopService::ReplayFacts& f, int64_t at_ms);

// The round's phase boundaries in order: every recorded timer state that started a phase
// (not a resume) or finished the round, named "<phase> started" / "Round finished".
struct PhaseBoundary {
  int64_t at_ms = 0;
  std::string name;
  std::string actor;
};
std::vector<PhaseBoundary> phase_boundaries(const LoopService::ReplayFacts& f);

// {startMs, endMs, staffEvents, events: [{atMs, kind, participantId, summary}], phases:
// [{index, name, status, startMs, endMs}], participants: [{id, name, role}], activity:
// [{participantId, spans: [[startMs, endMs, updates]]}]} sorted by atMs (ties keep the
// order of their sources). `edits`: the shared doc's history marks. Staff (f.staff_events)
// also get `snapshot_taken` and `snapshot_restored` (loop/replay_snapshots.hpp).
nlohmann::json build_timeline(const LoopService::ReplayFacts& f, const std::vector<store::HistoryMark>& edits,
                              const std::vector<NoteParagraph>& notes);

}  // namespace mockloop::loop
