// Runner: what mockloop-runner does with one request. A run writes the code into a fresh
// folder under config.scratch (owned by the sandbox uid), compiles it in the sandbox when
// the language needs it, runs each case in a fresh sandbox (sandbox_args.hpp) under the
// seccomp program and rlimits, and removes the folder. A probe checks that the sandbox
// works at all (a trivial command must run in it) and asks each toolchain its version
// inside the sandbox. If the sandbox cannot be set up, every run answers SANDBOX_ERROR
// with the reason: nothing is ever run outside it. Single-threaded (it forks).
#pragma once

#include <functional>
#include <string>

#include "runner/limits.hpp"
#include "runner/protocol.hpp"

namespace mockloop::runner {

class Runner {
 public:
  explicit Runner(SandboxConfig config);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs (or probes) one request. With request.stream, `progress` receives the kept stdout
  // as it is produced, at most every kStreamTickMs or per 4 KiB (exec.hpp), on this thread.
  using ProgressSink = std::function<void(const Progress&)>;
  Reply handle(const Request& request, const ProgressSink& progress = {});
  // Sandbox unusable: the reason (checked once, lazily), else empty.
  const std::string& sandbox_problem();

 private:
  Reply probe();
  Reply run(const Request& request, const ProgressSink& progress);

  SandboxConfig config_;
  int seccomp_fd_ = -1;
  bool checked_ = false;
  std::string problem_;
  uint64_t counter_ = 0;
};

}  // namespace mockloop::runner
