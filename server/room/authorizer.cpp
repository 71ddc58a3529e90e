#include "room/authorizer.hpp"

namespace mockloop::room {

AccessDecision AnonymousAuthorizer::authorize(std::string_view doc_name, std::string_view token) {
  if (allow_) return AccessDecision{.allowed = true, .read_only = false, .http_status = 200, .reason = {}};
  return AccessDecision{.allowed = false, .read_only = false, .http_status = 401, .reason = "token required"};
}

}  // namespace mockloop::room
