#include "runner/seccomp_filter.hpp"

#include <cerrno>
#include <cstring>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mockloop::runner {

const std::vector<std::string>& refused_syscalls() {
  static const std::vector<std::string> names = {
      "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
      "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
      "fspick", "mount_setattr",
      "unshare", "setns",
      "keyctl", "add_key", "request_key",
      "bpf", "perf_event_open", "userfaultfd",
      "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
      "reboot", "swapon", "swapoff", "acct", "quotactl",
      "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
      "personality", "lookup_dcookie", "open_by_handle_at", "name_to_handle_at",
      "syslog", "vhangup", "iopl", "ioperm",
  };
  return names;
}

Result<int> seccomp_program_fd() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return make_error(Errc::internal, "seccomp_init failed");
  auto fail = [&](const std::string& what) -> Result<int> {
    seccomp_release(ctx);
    return make_error(Errc::internal, "seccomp: " + what);
  };
  for (const auto& name : refused_syscalls()) {
    int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) != 0) return fail("rule for " + name);
  }
  // socket(domain != AF_UNIX) -> EAFNOSUPPORT (no network namespace route anyway).
  if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                       SCMP_A0(SCMP_CMP_NE, AF_UNIX, 0)) != 0)
    return fail("rule for socket");
  int fd = memfd_create("mockloop-seccomp", MFD_CLOEXEC);
  if (fd < 0) return fail(std::string("memfd_create: ") + std::strerror(errno));
  if (seccomp_export_bpf(ctx, fd) != 0) {
    ::close(fd);
    return fail("export");
  }
  seccomp_release(ctx);
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return make_error(Errc::internal, "seccomp: lseek");
  }
  return fd;
}

}  // namespace mockloop::runner
