#include "room/authorizer.hpp"

namespace mockloop::room {

AccessDecision AnonymousAuthorizer::authorize(std::string_view doc_name, std::string_view token) {
  if (allow_) return AccessDecision::allow(false);
  return AccessDecision::refuse(Errc::unauthenticated, "token required");
}

}  // namespace mockloop::room
