// The runner's command-line flags: "--name=value" for every field of SandboxConfig and
// RunLimits (defaults in limits.hpp). The server passes its own flags of the same names
// on (runner_flags), so one set of names works for both. Pure; unit-tested.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "runner/limits.hpp"

namespace mockloop::runner {

Result<SandboxConfig> parse_flags(const std::vector<std::string>& args);
std::vector<std::string> runner_flags(const SandboxConfig& config);

}  // namespace mockloop::runner
