// The interview domain's transport glue: /api/* to loop::ApiRouter and the /session
// WebSocket to loop::SessionHub (refusals close with close_code(Errc): 4401, 4403, ...).
// The /yjs doc authorizer is loop::DocAccess.
#pragma once

#include <memory>

#include "loop/api.hpp"
#include "loop/session_hub.hpp"
#include "net/endpoints.hpp"

namespace mockloop::app {

// Store-bound requests run on the router's workers; see loop/api.hpp.
net::AsyncHttpRoute make_api_route(loop::ApiRouter& router);

// REQUIRES: `hub` outlives every connection the route accepts.
net::WsRoute make_session_route(loop::SessionHub& hub);

}  // namespace mockloop::app
