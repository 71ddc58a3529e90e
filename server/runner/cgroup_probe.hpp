// CgroupSupport: what this machine offers for cgroup memory/pids limits on runs (issue 16).
// The runner applies none yet (memory is bounded per process by RLIMIT_AS, processes by
// RLIMIT_NPROC); this says what it found and why runs rely on rlimits only, for
// GET /api/runtimes ("cgroup"). Reads the filesystem once; pure otherwise; thread-safe.
#pragma once

#include <string>

namespace mockloop::runner {

struct CgroupSupport {
  std::string version;     // "v2", "v1" or "" (no cgroup filesystem)
  bool delegated = false;  // the process's own cgroup (memory and pids) is writable by it, as
                           // access(2) says (for root: always, unless mounted read-only)
  bool applied = false;    // limits put on runs: never yet
  std::string reason;      // why runs are bounded by rlimits only
};

// `root`: the cgroup mount ("/sys/fs/cgroup"); `self`: this process's cgroup list
// ("/proc/self/cgroup"). Parameters for tests.
CgroupSupport probe_cgroup(const std::string& root = "/sys/fs/cgroup", const std::string& self = "/proc/self/cgroup");

}  // namespace mockloop::runner
