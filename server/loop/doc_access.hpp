// DocAccess: room::Authorizer for the loop domain's documents (loop/doc_names.hpp), built
// on LoopService::authenticate and the policy table (loop/policy.hpp):
//   room-<roomId>          Resource::round_doc of that round
//   room-<roomId>-private  Resource::private_doc of that round
//   room-<roomId>-notes-<participantId>  that author's notes: loop/notes_access.hpp (own_notes
//                          for the author, others_notes or a submitted scorecard for colleagues;
//                          checked on every open, so a colleague who submits may open it next time)
//   study-<id>             Resource::study_doc of that study room
//   written-<id>[-review|-staff]  Resource::written_draft / written_review / written_staff of
//                          the assignment's loop (no round: the written work precedes the loop)
// A connection needs the resource's read cell; without its write cell it is read-only.
// The candidate's cells are `current` rules: only the loop's current round's document opens
// (checked when the connection opens; an open connection is not closed when the loop moves).
// Refusals: unauthenticated (missing, unknown, revoked or expired token), forbidden (another
// loop's or study room's token, or a role the table refuses), not_found (no such doc).
// Allowed connections carry the token id as their principal, so revoking or expiring the
// invite closes them (DocRegistry::close_principal, wired in app/).
// Names outside the loop domain go to AnonymousAuthorizer(allow_anonymous).
//
// Thread-safety: authorize() may be called concurrently (LoopService locks itself). It
// runs once per connection, before the join: never on the message path. For loop-domain
// names it reads SQLite, so blocks() is true for them and the transport calls it on a
// worker (app/yjs_endpoint); other names are answered at once.
#pragma once

#include "loop/doc_names.hpp"
#include "loop/loop_service.hpp"
#include "room/authorizer.hpp"

namespace mockloop::loop {

class DocAccess final : public room::Authorizer {
 public:
  // REQUIRES: `service` outlives this.
  DocAccess(LoopService& service, bool allow_anonymous) : service_(service), anonymous_(allow_anonymous) {}
  room::AccessDecision authorize(std::string_view doc_name, std::string_view token) override;
  bool blocks(std::string_view doc_name) const override { return doc_names::is_loop_doc(doc_name); }

 private:
  room::AccessDecision authorize_notes(const Principal& p, const LoopService::DocTarget& target);

  LoopService& service_;
  room::AnonymousAuthorizer anonymous_;
};

}  // namespace mockloop::loop
