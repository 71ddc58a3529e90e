// Deleting a loop's rows (issue 20, "delete a loop"): every row of every table that has a
// `loop_id` column and is this loop's (tokens, rooms, scorecards and their panel views,
// timers, progress, written assignments, runs, round events, invites attached to accounts,
// its attachments to candidate profiles (profile_loops, the "profiles" component in the same
// file), and any table added later that keys rows by loop_id), the written work's versions and
// questions (keyed by assignment), then the loop itself, in one transaction. The loop's
// documents are not here: they are the document store's (room::DocRegistry).
//
// Submitted scorecards and written versions are otherwise kept by triggers; this marks the
// loop in `loop_deletions` for the transaction, which those triggers let through (loop
// migration 11). Same thread rules as Database.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

// Returns how many rows went (the loop's own row included); 0 when there was no such loop.
Result<int64_t> delete_loop_rows(Database& db, std::string_view loop_id);

}  // namespace mockloop::store
