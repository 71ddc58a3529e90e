// The schema of the "profiles" component (issue 20; docs/progress.md): candidate profiles,
// who may see them, the loops attached to them, self-assessments and STAR stories. Its own
// component beside "accounts" (whose users it names), applied after it.
#pragma once

#include <string>
#include <vector>

namespace mockloop::store {

const std::vector<std::string>& profile_migrations();

}  // namespace mockloop::store
