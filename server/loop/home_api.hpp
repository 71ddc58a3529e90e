// The host's routes on the account's home page (issue 20, "Home pages"; docs/accounts.md):
// a signed-in user whose account holds the host invite of a loop (attached, even if that
// link was since revoked or replaced) may, from the account alone: reissue anyone's link
// (their own host link included: the way back in from any device), archive and unarchive
// the loop (hidden from the default My loops list), export it (JSON of the loop and its
// debrief with the HTML report), and delete it with everything it has.
//
// Every route needs the session cookie; the state changes also the X-CSRF-Token header
// (403 without). 404 when the account has no invite of that loop (or the loop is gone),
// 403 when its invite is not the host's. Run on the router's workers.
#pragma once

#include "loop/api.hpp"

namespace mockloop::loop::home_api {

net::Response reissue(ApiRouter::Call& c);
net::Response archive(ApiRouter::Call& c);
net::Response export_loop(ApiRouter::Call& c);
net::Response delete_loop(ApiRouter::Call& c);

}  // namespace mockloop::loop::home_api
