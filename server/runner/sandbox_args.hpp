// The bwrap command line of one sandboxed process. Pure: no I/O, unit-tested.
// The sandbox: every namespace unshared (user, pid, net, ipc, uts, mount, cgroup), no
// network at all, /usr bound read-only (the toolchains; /bin, /lib, /lib64 are symlinks
// into it), a fresh /proc of the new pid namespace, a minimal /dev, a size-limited tmpfs
// at /tmp, the run's folder at /box (read-write only while compiling), an empty
// environment but PATH/HOME/LANG, the seccomp program on fd `seccomp_fd`, and bwrap dying
// with its parent (the runner). Nothing else of the host is visible: not /work, not the
// database, not /etc (but for a language's own config folder, e.g. a JDK's /etc/java-17-openjdk,
// read-only), not the server's /proc.
#pragma once

#include <string>
#include <vector>

#include "runner/limits.hpp"

namespace mockloop::runner {

struct SandboxCall {
  std::string bwrap = "/usr/bin/bwrap";
  std::string box_dir;            // host folder bound at /box
  bool box_writable = false;      // compile step only
  uint32_t tmpfs_mib = 16;
  int seccomp_fd = -1;            // -1: none (only for tests of the argument list)
  std::vector<std::string> argv;  // the command inside the sandbox
  std::vector<std::string> ro_binds;  // extra host folders, bound read-only at the same path
};

std::vector<std::string> bwrap_argv(const SandboxCall& call);

}  // namespace mockloop::runner
