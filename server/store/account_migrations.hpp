// The schema of the "accounts" component (issue 20), a list of steps applied in order by
// Database::migrate. Its own component, so it evolves apart from the loop tables; rows
// that name a loop (attached invites) are removed by the loop's deletion.
#pragma once

#include <string>
#include <vector>

namespace mockloop::store {

const std::vector<std::string>& account_migrations();

}  // namespace mockloop::store
