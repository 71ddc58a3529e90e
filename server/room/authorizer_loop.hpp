// LoopAuthorizer: room::Authorizer for interview loops and study rooms, deciding from the
// invite token (stored hashed in the loop tables) who may open which document:
//   room-<roomId>          shared whiteboard + code pad: host, bar raiser, candidate and
//                          the round's interviewers read-write; observers read-only
//                          (read-write when the loop's template lets everyone edit)
//   room-<roomId>-private  interviewers' notes: host, bar raiser, the round's interviewers;
//                          candidate and observers 403
//   study-<id>             any valid token of that study room, read-write
// Refusals: 401 for a missing, unknown or revoked token; 403 for a token of another loop
// or a role without access; 404 for an unknown document. Revocation takes effect at once.
//
// Thread-safety: authorize() may be called concurrently; one mutex serialises access to
// the authorizer's own Database connection (which it must not share with other threads).
#pragma once

#include <memory>
#include <mutex>

#include "common/result.hpp"
#include "room/authorizer.hpp"
#include "store/database.hpp"
#include "store/loop_store.hpp"

namespace mockloop::room {

class LoopAuthorizer final : public Authorizer {
 public:
  // `db`: a connection for the authorizer alone, on the same database file as the loop
  // service's; it must outlive the authorizer.
  static Result<std::unique_ptr<LoopAuthorizer>> open(store::Database& db);

  AccessDecision authorize(std::string_view doc_name, std::string_view token) override;

 private:
  explicit LoopAuthorizer(std::unique_ptr<store::LoopStore> store) : store_(std::move(store)) {}
  AccessDecision decide(std::string_view doc_name, std::string_view token);

  std::mutex mu_;  // guards store_
  std::unique_ptr<store::LoopStore> store_;
};

}  // namespace mockloop::room
