// The round_events table (loop_migrations step 9, issue 19): an append-only record of what
// happened in a round, read back in order for its replay timeline. Free functions over the
// caller's Database, so they run inside the LoopService's transactions and under its mutex
// like LoopStore's calls. Same threading rule as the Database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

struct RoundEventRow {
  int64_t at_ms = 0;
  std::string kind;     // "timer", "question", "joined", "left"
  std::string actor;    // participant id; "" for the server (auto-advance, a break's end)
  std::string summary;  // human-readable, as the timeline shows it
  std::string data;     // kind-specific bytes (timer: a TimerState message)
};

Result<void> append_round_event(Database& db, std::string_view loop_id, int round_index, const RoundEventRow& row);
// The round's events in the order they were appended.
Result<std::vector<RoundEventRow>> round_events(Database& db, std::string_view loop_id, int round_index);

// The code runs of a round (table runs, issue 16), oldest first, as the timeline lists them.
struct RoundRunRow {
  int64_t at_ms = 0;
  std::string by;  // the runner's display name
  std::string language, verdict;
  int64_t passed = 0, total = 0;
};
Result<std::vector<RoundRunRow>> round_runs(Database& db, std::string_view loop_id, int round_index);

}  // namespace mockloop::store
