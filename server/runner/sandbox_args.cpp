#include "runner/sandbox_args.hpp"

namespace mockloop::runner {

std::vector<std::string> bwrap_argv(const SandboxCall& c) {
  std::vector<std::string> a = {
      c.bwrap,
      "--unshare-all", "--unshare-user",  // --unshare-all only *tries* a user namespace; demand it
      "--die-with-parent", "--new-session",
      "--cap-drop", "ALL",
      "--hostname", "sandbox",
      "--ro-bind", "/usr", "/usr",
  };
  for (const auto& b : c.ro_binds) a.insert(a.end(), {"--ro-bind-try", b, b});
  a.insert(a.end(), {
      "--symlink", "usr/bin", "/bin",
      "--symlink", "usr/lib", "/lib",
      "--symlink", "usr/lib64", "/lib64",
      "--proc", "/proc",
      "--dev", "/dev",
      "--size", std::to_string(uint64_t{c.tmpfs_mib} << 20), "--tmpfs", "/tmp",
      c.box_writable ? "--bind" : "--ro-bind", c.box_dir, "/box",
      "--remount-ro", "/",  // the root tmpfs bwrap builds: only /tmp stays writable
      "--chdir", "/box",
      "--clearenv",
      "--setenv", "PATH", "/usr/bin:/bin",
      "--setenv", "HOME", "/tmp",
      "--setenv", "LANG", "C.UTF-8",
  });
  if (c.seccomp_fd >= 0) {
    a.emplace_back("--seccomp");
    a.push_back(std::to_string(c.seccomp_fd));
  }
  a.emplace_back("--");
  a.insert(a.end(), c.argv.begin(), c.argv.end());
  return a;
}

}  // namespace mockloop::runner
