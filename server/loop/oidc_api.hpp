// The single sign-on routes of the REST API (issue 20; docs/accounts.md "Single sign-on"):
// how this server signs people in, the start of an OpenID Connect sign-in (a 302 to the
// provider with the flow cookie) and its callback (code exchange, id-token verification,
// the account by the rules of AccountService::oidc_sign_in, the session cookie, a 302
// back). start and callback make outbound requests: the router runs them on its own
// outbound pool, never on an io thread nor on the store-bound workers.
#pragma once

#include "loop/api.hpp"

namespace mockloop::loop::oidc_api {

net::Response config(ApiRouter::Call& c);
net::Response start(ApiRouter::Call& c);
net::Response callback(ApiRouter::Call& c);

}  // namespace mockloop::loop::oidc_api
