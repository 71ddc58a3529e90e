#include "loop/replay_snapshots.hpp"

#include <algorithm>

#include "loop/replay_timeline.hpp"

namespace mockloop::loop {

using nlohmann::json;

namespace {

// A manual snapshot's row: at_ms when it was taken, data the moment it names (decimal ms).
int64_t moment_of(const store::RoundEventRow& e) {
  if (e.data.empty() || e.data.size() > 13 || !std::all_of(e.data.begin(), e.data.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return e.at_ms;
  return std::stoll(e.data);
}

}  // namespace

std::vector<RoundSnapshot> round_snapshots(const LoopService::ReplayFacts& f) {
  std::vector<RoundSnapshot> out;
  int phase = 0, manual = 0;
  for (const auto& b : phase_boundaries(f))
    out.push_back({"phase-" + std::to_string(++phase), b.name, b.at_ms, "phase", b.actor});
  for (const auto& e : f.events)
    if (e.kind == "snapshot") out.push_back({"snap-" + std::to_string(++manual), e.summary, moment_of(e), "manual", e.actor});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return out;
}

std::optional<RoundSnapshot> find_snapshot(const LoopService::ReplayFacts& f, const std::string& id) {
  for (auto& s : round_snapshots(f))
    if (s.id == id) return s;
  return std::nullopt;
}

json snapshot_json(const RoundSnapshot& s) {
  return json{{"id", s.id}, {"name", s.name}, {"atMs", s.at_ms}, {"kind", s.kind}, {"by", s.by}};
}

}  // namespace mockloop::loop
