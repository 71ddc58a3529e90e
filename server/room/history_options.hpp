// What the room keeps of a document's past (issue 19, store/doc_history.hpp): which documents
// keep history, how often a checkpoint is written, and how long history is kept. Mapped to
// flags by app::Options (--history-retention-days, --history-checkpoint-every), whose help
// prints the defaults from here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace mockloop::room {

// --history-retention-days: -1 keeps history forever; 0 records none (history already stored
// stays until a run with a positive value prunes it); N > 0 deletes a document's whole history
// (rows and checkpoints) once its newest row is N days old, so a round is kept or dropped
// as a whole, never cut in the middle.
inline constexpr int kHistoryForever = -1;
inline constexpr int kHistoryOff = 0;

struct HistoryOptions {
  // Which documents keep history; empty: none. The app passes the loop domain's rule
  // (loop/doc_names: round, notes and private docs; not study rooms, not written work).
  std::function<bool(std::string_view doc_name)> keeps;
  // A checkpoint after this many history rows since the last one (written by tick()).
  size_t checkpoint_every = 500;
  int retention_days = kHistoryForever;
  // How often the retention pass runs (from tick(); the first tick runs it too).
  std::chrono::minutes prune_every{60};
  // Server time of an update (ms since the Unix epoch); tests may substitute.
  std::function<int64_t()> now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
};

}  // namespace mockloop::room
