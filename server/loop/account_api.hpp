// The account routes of the REST API (issue 20; docs/api.md "Accounts"): sign-up,
// sign-in, sign-out (this session or every one), password change, the signed-in user,
// sign-up codes (admins), invites attached to the account and its loops; and the rule for
// who may create a loop or a study room. Handlers for the route table in api.cpp; they
// run on the router's workers (hashing a password takes tens of milliseconds).
#pragma once

#include <optional>
#include <string>

#include "account/account_service.hpp"
#include "loop/api.hpp"

namespace mockloop::loop::account_api {

net::Response signup(ApiRouter::Call& c);
net::Response login(ApiRouter::Call& c);
net::Response logout(ApiRouter::Call& c);
net::Response logout_all(ApiRouter::Call& c);
net::Response change_password(ApiRouter::Call& c);
net::Response me(ApiRouter::Call& c);
net::Response create_signup_code(ApiRouter::Call& c);
net::Response attach_invite(ApiRouter::Call& c);
net::Response my_loops(ApiRouter::Call& c);

// Who creates a loop or study room. A signed-in caller (session cookie; a state change, so
// the X-CSRF-Token header must match: else 403): the user. No session: anonymous (nullopt)
// where ApiOptions::allow_anonymous_create is on; otherwise 401 "sign in" (403 when the
// server has no accounts). `what`: "loops" or "study rooms", for the message.
struct Creator {
  std::optional<account::SessionUser> user;
  std::optional<net::Response> refusal;
};
Creator creator(ApiRouter::Call& c, std::string_view what);

// After a signed-in user created a loop: the host invite (`token_id`) is attached to them,
// so the loop is on their home page on every device. Failures are logged, not returned
// (the loop exists; the host still has the link).
void attach_created(ApiRouter::Call& c, const account::SessionUser& user, const std::string& loop_id,
                    const std::string& token_id);

}  // namespace mockloop::loop::account_api
