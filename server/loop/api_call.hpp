// What a REST handler sees (ApiRouter::Call) and the helpers every handler file shares:
// the error body, the protobuf JSON reply, the bounded JSON body parser, and the caller's
// account session. Internal to the REST layer (api.cpp, account_api.cpp); runs on the
// router's workers.
#pragma once

#include <google/protobuf/message.h>

#include <map>
#include <string>

#include "account/account_service.hpp"
#include "account/oidc_client.hpp"
#include "account/profile_service.hpp"
#include "loop/api.hpp"

namespace mockloop::loop {

// The request, its path parameters, the caller (for Auth::token routes) and the router's
// quotas. `cause` is set when the answer is a 5xx.
struct ApiRouter::Call {
  LoopService& service;
  const ApiOptions& options;
  CreationQuota& loop_quota;
  CreationQuota& study_quota;
  const net::Request& req;
  const std::map<std::string, std::string>& params;
  const Principal* principal = nullptr;  // set for Auth::token routes
  std::string cause;
  RunService* runs = nullptr;  // null: code runs are off
  ReplayService* replay = nullptr;  // null: the replay is off
  account::AccountService* accounts = nullptr;  // null: no accounts (tests of the loop API alone)
  account::OidcClient* oidc = nullptr;          // null: single sign-on is off
  account::ProfileService* profiles = nullptr;  // null: no profiles (set with accounts)
  const ApiRouter::DocRemover* remove_docs = nullptr;  // deleting a loop's documents

  const Principal& p() const { return *principal; }
  const std::string& param(const std::string& name) const { return params.at(name); }
};

namespace api_detail {

net::Response fail(ApiRouter::Call& c, const Error& e);
net::Response json_response(ApiRouter::Call& c, int status, const google::protobuf::Message& msg);
// Bounded by kMaxRequestBodyBytes; unknown fields are refused.
Result<void> parse_json(const std::string& body, google::protobuf::Message& out);

// The caller's account session from the session cookie. Errc::unauthenticated without one
// (or without accounts). With `state_changing`, the X-CSRF-Token header must match
// (Errc::forbidden otherwise).
Result<account::SessionUser> signed_in(ApiRouter::Call& c, bool state_changing);
// Whether the session cookie carries a value (signed in or not).
bool has_session_cookie(const ApiRouter::Call& c);

// Whether the browser reached us over HTTPS: --secure-cookies says so, or a trusted proxy's
// X-Forwarded-Proto is "https".
bool secure_request(const ApiRouter::Call& c);
// "http(s)://<Host>" of this request, or "" when the Host header is missing, longer than
// kMaxHostBytes or has a character outside [A-Za-z0-9.-:[]] (nothing to build a link on).
inline constexpr size_t kMaxHostBytes = 255;
std::string request_origin(const ApiRouter::Call& c);

}  // namespace api_detail
}  // namespace mockloop::loop
