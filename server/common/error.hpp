// Errc: every error the server names, and the one table that maps each to what a client
// sees: an HTTP status, a WebSocket close code and the code string of a JSON error body.
// Every endpoint (REST, /session, /yjs, static files) answers through this table, so a
// refusal reads the same on every channel: a /yjs or /session refusal closes with
// 4000 + the HTTP status (4401 unauthenticated, 4403 forbidden, 4404 not found, 4429 rate
// limited), which browsers can read where they cannot read an upgrade's HTTP status.
// Header + table in error.cpp; values only, thread-safe.
//
// The codec modules below common keep their own small error values (they depend on nothing
// but codec/); each becomes an Errc at the one place it crosses into the server, through
// one function (room/errc_of.hpp):
//   wire::DecodeErrc  unknown_message_type, unknown_sync_type -> unsupported_message (1003);
//                     every other decode failure               -> malformed_message (1007)
//   crdt::Error.code  reading an update: kErrLimit -> too_big (1009), kErrDecode,
//                     kErrInvalid, kErrJson -> invalid_update (1007);
//                     reading a state vector: any code -> invalid_state_vector (1007)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mockloop {

enum class Errc : uint8_t {
  // A client's fault (4xx): the request, the token or what it asks for.
  invalid_argument,      // malformed request, unknown field, out-of-range value
  unauthenticated,       // missing, unknown, revoked or expired token
  forbidden,             // the token may not do this
  origin_not_allowed,    // a WebSocket upgrade from an Origin this server does not serve
  not_found,             // unknown loop, round, document, file or route
  method_not_allowed,
  conflict,              // wrong state (timer, locked scorecard, ...)
  payload_too_large,
  headers_too_large,
  rate_limited,
  invalid_update,        // a Yjs update that does not decode or apply
  too_big,               // a Yjs update past the engine's limits (crdt::kErrLimit)
  invalid_state_vector,  // a sync step 1 whose state vector does not decode
  too_many_clients,      // one connection announces too many awareness clients
  doc_too_large,         // an update would take the document past its stored-bytes limit
  awareness_too_large,   // one connection's awareness states are over their byte limit
  malformed_message,     // a y-protocols frame that does not decode (wire::DecodeErrc)
  unsupported_message,   // a y-protocols message kind the server does not speak
  // The server's state (503): retry later.
  busy,                  // persistence queue full, document being unloaded
  doc_full,              // the document has the maximum number of connections
  too_many_docs,         // the server holds the maximum number of documents
  principal_docs,        // one principal has the maximum number of documents open
  principal_conns,       // one principal has the maximum number of connections on a doc
  closed,                // the document was unloaded meanwhile
  shutting_down,
  queue_full,            // store::Writer's queue is full
  stopped,               // store::Writer is stopped
  db_busy,               // SQLite busy
  // The server's fault (500): details stay in the log.
  load_failed,           // a document could not be loaded
  db,                    // any other SQLite error (open, prepare, step, lock file)
  db_in_use,             // another process holds the database's lock
  db_unusable,           // the database file is empty, unreadable or not SQLite
  db_corrupt,            // the database file fails its integrity check
  schema_too_new,
  migration_failed,
  invalid_content,       // content/ does not load
  usage,                 // bad command line
  io,                    // listen, static directory
  internal,
};

inline constexpr int kErrcCount = static_cast<int>(Errc::internal) + 1;

// What the table says about one code.
struct ErrcInfo {
  std::string_view name;       // stable spelling, for logs and metrics labels
  int http_status;             // 4xx or 5xx
  uint16_t close_code;         // WebSocket close code for a refusal or a close
  std::string_view wire_code;  // the "code" of a JSON error body / session ErrorMessage
};

const ErrcInfo& info(Errc c);
inline std::string_view name(Errc c) { return info(c).name; }
inline int http_status(Errc c) { return info(c).http_status; }
inline uint16_t close_code(Errc c) { return info(c).close_code; }
// 5xx codes are not described to clients ("internal error"): their messages may name files.
inline bool exposed_to_client(Errc c) { return info(c).http_status < 500; }

// What went wrong, for a log line or a client-facing error.
struct Error {
  Errc code = Errc::internal;
  std::string message;
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace mockloop
