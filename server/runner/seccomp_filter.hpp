// The seccomp program every sandboxed process runs under (handed to bwrap as `--seccomp
// FD`, loaded just before the solution's exec). Default allow; refused with EPERM: ptrace,
// process_vm_*, mount family, pivot_root/chroot, unshare/setns, keyctl family, bpf,
// perf_event_open, userfaultfd, kernel modules, kexec, reboot, swap, acct, quotactl,
// clock/time setting, personality, and socket() for any family but AF_UNIX. Syscalls of
// another architecture (x32, i386 via int 0x80) kill the process.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace mockloop::runner {

// The refused syscall names (for tests and docs).
const std::vector<std::string>& refused_syscalls();

// A memfd holding the exported BPF program, seeked to 0; the caller owns (closes) it.
Result<int> seccomp_program_fd();

}  // namespace mockloop::runner
