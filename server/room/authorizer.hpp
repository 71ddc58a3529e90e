// Who may open which document. The transport asks before the WebSocket upgrade (answering
// 401/403/404 on refusal) and passes `read_only` on to DocRegistry::join. The interview
// domain provides the real implementation (room/authorizer_loop.*); AnonymousAuthorizer
// serves local study sessions and benchmarks (--allow-anonymous-docs).
// Implementations must be thread-safe: N io threads call authorize() concurrently.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::room {

struct AccessDecision {
  bool allowed = false;
  bool read_only = false;
  int http_status = 0;  // when refused: 401 (no/invalid token), 403 (not yours), 404 (no such doc)
  std::string reason;   // when refused: for the HTTP body or the 1008 close reason
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual AccessDecision authorize(std::string_view doc_name, std::string_view token) = 0;
};

// Allows every doc name with any token when `allow_anonymous_docs`, else refuses every
// request with 401 "token required" (there is no token issuer yet).
class AnonymousAuthorizer final : public Authorizer {
 public:
  explicit AnonymousAuthorizer(bool allow_anonymous_docs) : allow_(allow_anonymous_docs) {}
  AccessDecision authorize(std::string_view doc_name, std::string_view token) override;

 private:
  const bool allow_;
};

}  // namespace mockloop::room
