// The snapshots of a round (issue 19): named moments of its shared doc that staff can go back
// to. Two kinds, both read from the round's events (no table of their own):
//   - "phase": one at every phase boundary, automatic (a phase started, the round finished),
//     derived from the recorded timer states; ids "phase-1", "phase-2", ...
//   - "manual": taken on demand by staff (round_events kind "snapshot": its summary the
//     name, its data the moment named, the present or one chosen in the replay); ids
//     "snap-1", "snap-2", ...
// Ids are ordinals over append-only rows, so they never change. A snapshot is a moment: its
// content is the round doc as the history rebuilds it at at_ms (like GET .../state?at=), so
// it lives as long as the history does (--history-retention-days).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loop/loop_service.hpp"

namespace mockloop::loop {

struct RoundSnapshot {
  std::string id;
  std::string name;
  int64_t at_ms = 0;
  std::string kind;  // "phase" or "manual"
  std::string by;    // participant id ("" for the server's automatic ones)
};

// Every snapshot of the round in time order (phase ones first at equal times).
std::vector<RoundSnapshot> round_snapshots(const LoopService::ReplayFacts& f);
std::optional<RoundSnapshot> find_snapshot(const LoopService::ReplayFacts& f, const std::string& id);

nlohmann::json snapshot_json(const RoundSnapshot& s);

}  // namespace mockloop::loop
