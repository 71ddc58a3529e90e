// RunLimits: what one sandboxed run may use. Every field is a named flag of the server
// (app/options.cpp) and of mockloop-runner, with its default here. Plain value; copy freely.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mockloop::runner {

struct RunLimits {
  uint32_t cpu_seconds = 3;        // RLIMIT_CPU of each test's process (SIGXCPU, then SIGKILL)
  uint32_t wall_ms = 10000;        // wall clock per test; the whole process group is killed
  uint32_t memory_mib = 256;       // RLIMIT_AS (node: V8 heap flag; see languages.cpp)
  uint32_t processes = 64;         // RLIMIT_NPROC of the sandbox's own uid
  uint32_t file_mib = 1;           // RLIMIT_FSIZE: largest file a run may write
  uint32_t open_files = 64;        // RLIMIT_NOFILE
  uint32_t tmpfs_mib = 16;         // size of the tmpfs at /tmp, the only writable place
  uint32_t output_kib = 64;        // stdout (and stderr) kept per test; the rest is cut with a marker
  uint32_t output_kill_factor = 16;  // killed with OUTPUT_LIMIT past output_kib * this
};

// Compile steps (C++) get their own, wider limits: g++ needs more than a solution.
struct CompileLimits {
  uint32_t cpu_seconds = 15;
  uint32_t wall_ms = 30000;
  uint32_t memory_mib = 1024;
  uint32_t file_mib = 64;
};

// Bounds on what a client may send (checked by the server before a run is queued and again
// by the runner, which refuses a request past them).
inline constexpr size_t kMaxCodeBytes = 64 * 1024;     // source code of one run
inline constexpr size_t kMaxStdinBytes = 64 * 1024;    // stdin of one test
inline constexpr size_t kMaxCases = 32;                // tests in one run
inline constexpr size_t kMaxFrameBytes = 8u << 20;     // one frame of the runner protocol

// The sandbox as configured: where bwrap is, which uid it runs as (0 = do not change).
struct SandboxConfig {
  std::string bwrap = "/usr/bin/bwrap";
  uint32_t uid = 0;                 // sandbox uid when the runner is root (each pool slot its own)
  std::string scratch = "/tmp/mockloop-runner";  // host folder for a run's source and binary
  RunLimits limits;
  CompileLimits compile;
};

}  // namespace mockloop::runner
