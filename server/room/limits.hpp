// Every bound the room enforces, with its default beside it: the one place these defaults
// live. app::Options holds a Limits and maps each field to a flag (--max-docs,
// --max-conns-per-doc, --updates-per-second, --update-burst, --max-update-debt, --awareness-timeout,
// --doc-idle-unload, --compact-after, --max-docs-per-principal, --max-conns-per-principal,
// --max-doc-bytes, --max-awareness-bytes, --max-read-only-awareness-bytes,
// --max-doc-awareness-bytes, --max-update-bytes, --max-type-depth, --max-map-keys), whose
// help text prints the defaults from here.
//
// A principal is who a connection acts for: its token's key, or, for an anonymous document
// (--allow-anonymous-docs), the client's IP address; anonymous connections from a loopback
// address are not counted (a reverse proxy's clients all come from there).
#pragma once

#include <chrono>
#include <cstddef>

namespace mockloop::room {

struct Limits {
  // join() of a doc that is not loaded while this many are first unloads an idle one (no
  // connections, nothing uncommitted) to make room; only when there is none does it refuse
  // ("too_many_docs").
  size_t max_docs_in_memory = 10000;
  // join() refuses ("doc_full") the next connection to a doc that has this many.
  size_t max_connections_per_doc = 200;
  // Token bucket per connection over sync updates and awareness messages. A client over it
  // is slowed, never closed for it: the transport stops reading it until the bucket is
  // out of debt (Peer::pause_reads_until), so TCP makes it wait.
  double max_updates_per_second = 200;
  double update_burst = 400;
  // Messages handled past an empty bucket and not yet repaid. A transport that pauses
  // reads keeps this at about one, so only a peer that keeps sending through its pauses
  // gets here: it is closed with 4429 "rate limit".
  double max_update_debt = 1000;
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

  // join() refuses ("principal_docs", 1013) a principal's connection to one more document
  // while it has connections on this many (one interviewer's tabs open a few each).
  size_t max_docs_per_principal = 32;
  // join() refuses ("principal_conns", 1013) a principal's next connection to a document
  // on which it has this many. A study room's members all share one link (one principal),
  // so this is sized for a peer group with a tab or two each, and stays far below
  // max_connections_per_doc so that one token can never fill a document.
  size_t max_connections_per_principal_per_doc = 32;
  // Stored bytes of one document (update log + snapshot). An update that would pass it is
  // refused: nothing is applied or stored, and the sender is closed with 1008
  // "document size limit reached".
  size_t max_doc_bytes = size_t{64} << 20;
  // Bytes of awareness state (JSON) one connection may hold in a document; over it the
  // connection is closed with 1008 "awareness state too large". A read-only connection may
  // hold only a small one: enough for a name, a colour and a cursor.
  size_t max_awareness_bytes_per_connection = size_t{64} << 10;
  size_t max_read_only_awareness_bytes = 1024;
  // Bytes of awareness state one document holds, all connections together: every joiner
  // receives them all in one message, so they must never make a document unjoinable. An
  // awareness message that would pass it is dropped (neither kept nor relayed; removals
  // always pass), its sender is not closed.
  size_t max_awareness_bytes_per_doc = size_t{1} << 20;
  // One update (sync step 2 or update message); over it the sender is closed with 1009
  // and nothing is applied. Default 2 MiB.
  size_t max_update_bytes = 2 * 1024 * 1024;
  // Nesting of shared types (crdt::Limits::max_type_depth): an update nesting deeper is
  // refused whole, its sender closed with 1009. Default 64.
  size_t max_type_depth = 64;
  // Keys of one Y.Map (crdt::Limits::max_map_keys): an update adding more is refused the
  // same way. (Keys of one JSON/any object: crdt::kMaxObjectKeys, 10,000.) Default 10,000.
  size_t max_map_keys = 10000;
};

}  // namespace mockloop::room
