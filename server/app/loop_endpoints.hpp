// The interview domain's transport glue: /api/* to loop::ApiRouter, the /session
// WebSocket to loop::SessionHub, and the doc authorizer used by /yjs (loop and study-room
// docs by invite token; with --allow-anonymous-docs, other doc names without a token).
#pragma once

#include <memory>

#include "loop/api.hpp"
#include "loop/session_hub.hpp"
#include "net/endpoints.hpp"
#include "room/authorizer.hpp"

namespace mockloop::app {

// Store-bound requests run on the router's workers; see loop/api.hpp.
net::AsyncHttpRoute make_api_route(loop::ApiRouter& router);

// REQUIRES: `hub` outlives every connection the route accepts.
net::WsRoute make_session_route(loop::SessionHub& hub);

// Docs named room-* or study-* always go to `loop_auth` (token required). Other names are
// allowed without a token only when `allow_anonymous` (study sessions, benchmarks).
class DocAuthorizer final : public room::Authorizer {
 public:
  DocAuthorizer(room::Authorizer& loop_auth, bool allow_anonymous)
      : loop_auth_(loop_auth), anonymous_(allow_anonymous) {}
  room::AccessDecision authorize(std::string_view doc_name, std::string_view token) override;
  // Whether authorize() checks the token for `doc_name` (loop and study docs); any other
  // doc is anonymous, its token (if any) unchecked.
  static bool checks_token(std::string_view doc_name);

 private:
  room::Authorizer& loop_auth_;
  room::AnonymousAuthorizer anonymous_;
};

}  // namespace mockloop::app
