// The room's metrics, registered once in the process-wide registry (common/metrics.hpp).
// All members are lock-free to update from any thread; refused()/malformed() look up a
// labelled counter (registry mutex) and are meant for rare paths only.
#pragma once

#include <string_view>

#include "common/metrics.hpp"

namespace mockloop::room {

struct RoomMetrics {
  metrics::Gauge& docs_loaded;
  metrics::Gauge& connections;
  metrics::Counter& updates_applied;
  metrics::Counter& broadcast_frames;
  metrics::Counter& awareness_messages;
  metrics::Histogram& persist_latency;
  metrics::Counter& compactions;
  metrics::Counter& persist_errors;
  metrics::Counter& read_only_updates_dropped;
  metrics::Counter& state_cache_hits;
  metrics::Counter& commits;
  metrics::Counter& committed_ops;
  metrics::Counter& evictions;
  metrics::Counter& awareness_dropped;
  metrics::Counter& rate_paused;

  metrics::Counter& refused(std::string_view reason);
  metrics::Counter& malformed(std::string_view reason);
  metrics::Counter& closed(std::string_view reason);

  static RoomMetrics& get();
};

}  // namespace mockloop::room
