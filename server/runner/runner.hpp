// Runner: what mockloop-runner does with one request. A run writes the code into a fresh
// folder under config.scratch (owned by the sandbox uid), compiles it in the sandbox when
// the language needs it, runs each case in a fresh sandbox (sandbox_args.hpp) under the
// seccomp program and rlimits, and removes the folder. A probe checks that the sandbox
// works at all (a trivial command must run in it) and asks each toolchain its version
// inside the sandbox. If the sandbox cannot be set up, every run answers SANDBOX_ERROR
// with the reason: nothing is ever run outside it. Single-threaded (it forks).
#pragma once

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

  Reply handle(const Request& request);

 private:
  Reply probe();
  Reply run(const Request& request);
  // Sandbox unusable: the reason (checked once, lazily), else empty.
  const std::string& sandbox_problem();

  SandboxConfig config_;
  int seccomp_fd_ = -1;
  bool checked_ = false;
  std::string problem_;
  uint64_t counter_ = 0;
};

}  // namespace mockloop::runner
