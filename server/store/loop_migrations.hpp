// Schema of the interview-loop tables (component "loop" in schema_migrations). Step i is
// version i+1; append new steps, never edit shipped ones.
#pragma once

#include <string>
#include <vector>

namespace mockloop::store {

const std::vector<std::string>& loop_migrations();

}  // namespace mockloop::store
