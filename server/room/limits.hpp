// Every bound the room enforces, with its default beside it: the one place these defaults
// live. app::Options holds a Limits and maps each field to a flag (--max-docs,
// --max-conns-per-doc, --updates-per-second, --update-burst, --awareness-timeout,
// --doc-idle-unload, --compact-after), whose help text prints the defaults from here.
#pragma once

#include <chrono>
#include <cstddef>

namespace mockloop::room {

struct Limits {
  // join() refuses ("too_many_docs") a doc that is not loaded while this many are.
  size_t max_docs_in_memory = 10000;
  // join() refuses ("doc_full") the next connection to a doc that has this many.
  size_t max_connections_per_doc = 200;
  // Token bucket per connection over sync updates and awareness messages; exceeding it
  // closes the connection with 1008 "rate limit".
  double max_updates_per_second = 200;
  double update_burst = 400;
  // Awareness states not renewed for this long are removed (Yjs: outdatedTimeout 30 s).
  std::chrono::milliseconds awareness_timeout{30000};
  // A doc without connections for this long is compacted and unloaded by tick().
  std::chrono::milliseconds idle_unload_after{60000};
  // tick() compacts a doc's log into a snapshot once it holds this many updates and at
  // least as many bytes as the last snapshot (so a large doc is not re-encoded for every
  // few updates: the encoding work stays proportional to the bytes logged).
  size_t compact_after_updates = 1000;
  // A doc keeps the sync step 2 it sent to a joiner with an empty state vector (a fresh
  // client) until its next change, so the next fresh joiners get the same bytes without
  // another encode; not kept for docs whose state is larger than this.
  size_t max_cached_state_bytes = 8 * 1024 * 1024;
  // Awareness client ids one connection may control (y-websocket clients use one).
  size_t max_awareness_clients_per_connection = 16;
};

}  // namespace mockloop::room
