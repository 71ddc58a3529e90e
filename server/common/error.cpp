#include "common/error.hpp"

#include <array>

namespace mockloop {
namespace {

// The one table. Close codes: 4000 + status for a client's fault the client can act on
// (re-authenticate, give up, slow down); RFC 6455 codes for the protocol and the server's
// state (1007 bad payload, 1008 policy, 1009 too big, 1011 server error, 1013 try again).
constexpr std::array<ErrcInfo, kErrcCount> kTable = {{
    {"invalid_argument", 400, 4400, "invalid_argument"},
    {"unauthenticated", 401, 4401, "unauthenticated"},
    {"forbidden", 403, 4403, "forbidden"},
    {"origin_not_allowed", 403, 4403, "origin_not_allowed"},
    {"not_found", 404, 4404, "not_found"},
    {"method_not_allowed", 405, 4405, "method_not_allowed"},
    {"conflict", 409, 4409, "conflict"},
    {"payload_too_large", 413, 1009, "payload_too_large"},
    {"headers_too_large", 431, 4431, "headers_too_large"},
    {"rate_limited", 429, 4429, "resource_exhausted"},
    {"invalid_update", 400, 1007, "invalid_argument"},
    {"too_big", 413, 1009, "payload_too_large"},
    {"invalid_state_vector", 400, 1007, "invalid_argument"},
    {"too_many_clients", 400, 1008, "invalid_argument"},
    {"doc_too_large", 413, 1008, "payload_too_large"},
    {"awareness_too_large", 413, 1008, "payload_too_large"},
    {"malformed_message", 400, 1007, "invalid_argument"},
    {"unsupported_message", 400, 1003, "invalid_argument"},
    {"busy", 503, 1013, "unavailable"},
    {"doc_full", 503, 1013, "unavailable"},
    {"too_many_docs", 503, 1013, "unavailable"},
    {"principal_docs", 503, 1013, "unavailable"},
    {"principal_conns", 503, 1013, "unavailable"},
    {"closed", 503, 1013, "unavailable"},
    {"shutting_down", 503, 1001, "unavailable"},
    {"queue_full", 503, 1013, "unavailable"},
    {"stopped", 503, 1001, "unavailable"},
    {"db_busy", 503, 1013, "unavailable"},
    {"load_failed", 500, 1011, "internal"},
    {"db", 500, 1011, "internal"},
    {"db_in_use", 500, 1011, "internal"},
    {"db_unusable", 500, 1011, "internal"},
    {"db_corrupt", 500, 1011, "internal"},
    {"schema_too_new", 500, 1011, "internal"},
    {"migration_failed", 500, 1011, "internal"},
    {"invalid_content", 500, 1011, "internal"},
    {"usage", 500, 1011, "internal"},
    {"io", 500, 1011, "internal"},
    {"internal", 500, 1011, "internal"},
}};

}  // namespace

const ErrcInfo& info(Errc c) {
  const auto i = static_cast<std::size_t>(c);
  return i < kTable.size() ? kTable[i] : kTable.back();
}

}  // namespace mockloop
