// Every bound the room enforces, with its default beside it. The transport maps each to a
// command-line flag of the same name (max_docs_in_memory -> --max-docs-in-memory).
#pragma once

#include <chrono>
#include <cstddef>

namespace mockloop::room {

struct Limits {
  // join() refuses ("too_many_docs") a doc that is not loaded while this many are.
  size_t max_docs_in_memory = 10000;
  // join() refuses ("doc_full") the next connection to a doc that has this many.
  size_t max_connections_per_doc = 256;
  // Token bucket per connection over sync updates and awareness messages; exceeding it
  // closes the connection with 1008 "rate limit".
  double max_updates_per_second = 200;
  double update_burst = 1000;
  // Awareness states not renewed for this long are removed (Yjs: outdatedTimeout 30 s).
  std::chrono::milliseconds awareness_timeout{30000};
  // A doc without connections for this long is compacted and unloaded by tick().
  std::chrono::milliseconds idle_unload_after{30000};
  // tick() compacts a doc's log into a snapshot once it holds this many updates.
  size_t compact_after_updates = 2000;
  // Awareness client ids one connection may control (y-websocket clients use one).
  size_t max_awareness_clients_per_connection = 16;
};

}  // namespace mockloop::room
