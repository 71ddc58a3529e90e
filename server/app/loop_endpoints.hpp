// The interview domain's transport glue: /api/* to loop::ApiRouter, the /session
// WebSocket to loop::SessionHub and /session/study to loop::StudyHub (refusals close with close_code(Errc): 4401, 4403, ...).
// The /yjs doc authorizer is loop::DocAccess.
#pragma once

#include <memory>

#include "loop/api.hpp"
#include "loop/session_hub.hpp"
#include "loop/study_hub.hpp"
#include "net/endpoints.hpp"

namespace mockloop::app {

// Store-bound requests run on the router's workers; see loop/api.hpp.
net::AsyncHttpRoute make_api_route(loop::ApiRouter& router);

// REQUIRES: `hub` outlives every connection the route accepts.
net::WsRoute make_session_route(loop::SessionHub& hub);

// The study section of the session protocol (study.proto), under /session so that proxies
// that pass /session upgrades pass it too. REQUIRES: `hub` outlives its connections.
inline constexpr const char* kStudySessionPath = "/session/study";
net::WsRoute make_study_route(loop::StudyHub& hub);

}  // namespace mockloop::app
