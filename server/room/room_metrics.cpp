#include "room/room_metrics.hpp"

#include <string>

namespace mockloop::room {

RoomMetrics& RoomMetrics::get() {
  static RoomMetrics m{
      metrics::gauge("mockloop_docs_loaded", "Collaborative documents held in memory"),
      metrics::gauge("mockloop_doc_connections", "Connections joined to a document"),
      metrics::counter("mockloop_doc_updates_applied_total", "Document updates applied from clients"),
      metrics::counter("mockloop_doc_broadcast_frames_total", "Update and awareness frames sent to other clients (fan-out)"),
      metrics::counter("mockloop_awareness_messages_total", "Awareness messages received"),
      metrics::histogram("mockloop_doc_persist_latency_seconds", "From update applied to update committed in SQLite"),
      metrics::counter("mockloop_doc_compactions_total", "Document logs compacted into a snapshot"),
      metrics::counter("mockloop_doc_persist_errors_total", "Failed persistence operations (the doc's clients are closed with 1011)"),
      metrics::counter("mockloop_doc_read_only_updates_dropped_total", "Updates ignored from read-only connections"),
      metrics::counter("mockloop_doc_state_cache_hits_total", "Fresh joiners sent the cached full state (no encode)"),
      metrics::counter("mockloop_doc_commits_total", "SQLite transactions of the document writer (a group commit each)"),
      metrics::counter("mockloop_doc_committed_ops_total", "Operations (updates, compactions, barriers) in those transactions"),
      metrics::counter("mockloop_doc_evictions_total", "Unused documents unloaded early to make room under --max-docs"),
      metrics::counter("mockloop_awareness_dropped_total", "Awareness messages dropped: the document's awareness bytes are at their limit"),
      metrics::counter("mockloop_doc_rate_pauses_total", "Times a client over its update rate had its reads paused (back-pressure)"),
  };
  return m;
}

metrics::Counter& RoomMetrics::refused(std::string_view reason) {
  return metrics::counter("mockloop_doc_joins_refused_total", "Document joins refused, by reason",
                          "reason=\"" + std::string(reason) + "\"");
}

metrics::Counter& RoomMetrics::malformed(std::string_view reason) {
  return metrics::counter("mockloop_doc_malformed_messages_total", "Malformed protocol messages or updates, by reason",
                          "reason=\"" + std::string(reason) + "\"");
}

metrics::Counter& RoomMetrics::closed(std::string_view reason) {
  return metrics::counter("mockloop_doc_connections_closed_total", "Connections closed by the room, by reason",
                          "reason=\"" + std::string(reason) + "\"");
}

}  // namespace mockloop::room
