// Which requests the Origin/Host policy (config.hpp OriginPolicy) lets through, in plain
// strings (no Beast): the server asks before routing a WebSocket upgrade or a
// state-changing request (POST, PUT, PATCH, DELETE). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "net/config.hpp"

namespace mockloop::net {

// Success when allowed, else Errc::origin_not_allowed with why not (for the 403 body). `host`: the Host header ("" if none);
// `origin`: the Origin header, nullptr if absent. allowed_hosts applies to every request,
// the Origin check only when `state_changing` (upgrades count as state-changing).
// A request without Origin passes (curl, tests, non-browser clients); one with Origin
// passes when the origin's host:port is its own Host (default ports of http/https/ws/wss
// may be omitted on either side) or the origin is listed in allowed_origins
// (case-insensitive, a trailing '/' ignored). "null" (sandboxed or opaque) never matches.
Result<void> check_origin(std::string_view host, const std::string* origin, const OriginPolicy& policy,
                          bool state_changing);

}  // namespace mockloop::net
