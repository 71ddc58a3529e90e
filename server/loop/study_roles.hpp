// Pramp-style role rotation in a study room: designer, interviewer, observer. Roles belong
// to the roster (StudyState.peers) and are kept by the server; these functions are the only
// place they are decided. Pure functions over the roster; thread-safe.
//
// At the start of each block (rotation switched on, or the previous block ended) the peers
// present then, in roster order P[0..n), take slot (j - block) mod n: slot 0 designs, slot 1
// interviews, the others observe. So from one block to the next the interviewer designs,
// the first observer interviews and the designer observes (with two peers they swap).
// Peers absent at that moment have no role; a peer who arrives during a block takes the
// first of designer, interviewer nobody holds, else observes. A peer who reloads keeps
// its role (it is the roster's, not the connection's).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "study.pb.h"

namespace mockloop::loop::study_roles {

using Roster = google::protobuf::RepeatedPtrField<v1::StudyPeer>;

// Assigns every role afresh for `block` among the `present` peer ids.
void assign(Roster& peers, const std::set<std::string>& present, uint32_t block);
// Gives `peer_id`, if it has no role, the first free role (see above).
void fill(Roster& peers, const std::string& peer_id);
// Removes every role (rotation switched off).
void clear(Roster& peers);

}  // namespace mockloop::loop::study_roles
