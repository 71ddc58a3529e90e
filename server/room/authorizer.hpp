// Who may open which document. The transport asks once per connection, before it joins
// (a refusal closes with close_code(refusal): 4401/4403/4404/...), passes `read_only` on to
// DocRegistry::join and tracks the connection under `principal` so that it can be closed
// when that principal's access ends (DocRegistry::close_principal). The interview domain
// provides the real implementation (loop/doc_access.*); AnonymousAuthorizer serves local
// study sessions and benchmarks (--allow-anonymous-docs).
// Implementations must be thread-safe: authorize() is called concurrently, from io threads
// for the names blocks() says are quick and from a worker pool for the others.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace mockloop::room {

struct AccessDecision {
  bool allowed = false;
  bool read_only = false;
  // When refused: unauthenticated (no, unknown, revoked or expired token), forbidden (not
  // yours), not_found (no such doc), db (could not check).
  Errc refusal = Errc::forbidden;
  std::string reason;     // when refused: the close reason
  std::string principal;  // when allowed: who the connection acts for ("" = nobody to revoke)
  std::string actor;      // when allowed: the participant id recorded in the doc's history ("" = none)

  static AccessDecision allow(bool read_only, std::string principal = {}) {
    return AccessDecision{true, read_only, Errc::forbidden, {}, std::move(principal), {}};
  }
  static AccessDecision refuse(Errc code, std::string reason) {
    return AccessDecision{false, false, code, std::move(reason), {}, {}};
  }
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  virtual AccessDecision authorize(std::string_view doc_name, std::string_view token) = 0;
  // True when authorize() may wait for something (a database) for this name: the
  // transport then calls it off its io threads. Never blocks itself.
  virtual bool blocks(std::string_view /*doc_name*/) const { return false; }
};

// Allows every doc name with any token when `allow_anonymous_docs`, else refuses every
// request as unauthenticated ("token required").
class AnonymousAuthorizer final : public Authorizer {
 public:
  explicit AnonymousAuthorizer(bool allow_anonymous_docs) : allow_(allow_anonymous_docs) {}
  AccessDecision authorize(std::string_view doc_name, std::string_view token) override;

 private:
  const bool allow_;
};

}  // namespace mockloop::room
