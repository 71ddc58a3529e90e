#include "runner/cgroup_probe.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mockloop::runner {
namespace {

// The path after "<id>:<controllers>:" on the line of `controller` ("" = the v2 line "0::").
std::string own_path(const std::string& self, const std::string& controller) {
  std::ifstream in(self);
  std::string line;
  while (std::getline(in, line)) {
    const auto a = line.find(':'), b = line.find(':', a == std::string::npos ? 0 : a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string list = line.substr(a + 1, b - a - 1);
    if (controller.empty() ? list.empty() : (',' + list + ',').find(',' + controller + ',') != std::string::npos)
      return line.substr(b + 1);
  }
  return {};
}

bool writable(const std::filesystem::path& p) { return ::access(p.c_str(), W_OK) == 0; }

}  // namespace

CgroupSupport probe_cgroup(const std::string& root, const std::string& self) {
  namespace fs = std::filesystem;
  CgroupSupport s;
  std::error_code ec;
  if (fs::exists(fs::path(root) / "cgroup.controllers", ec)) {
    s.version = "v2";
    const fs::path dir = fs::path(root) / fs::path(own_path(self, "")).relative_path();
    std::ifstream in(dir / "cgroup.controllers");
    std::string controllers((std::istreambuf_iterator<char>(in)), {});
    const bool both = controllers.find("memory") != std::string::npos && controllers.find("pids") != std::string::npos;
    s.delegated = both && writable(dir) && writable(dir / "cgroup.subtree_control");
  } else if (fs::exists(fs::path(root) / "memory", ec) && fs::exists(fs::path(root) / "pids", ec)) {
    s.version = "v1";
    const fs::path mem = fs::path(root) / "memory" / fs::path(own_path(self, "memory")).relative_path();
    const fs::path pids = fs::path(root) / "pids" / fs::path(own_path(self, "pids")).relative_path();
    s.delegated = writable(mem) && writable(pids);
  }
  if (s.version.empty())
    s.reason = "no cgroup filesystem at " + root + ": memory is bounded per process (RLIMIT_AS), processes by RLIMIT_NPROC";
  else if (!s.delegated)
    s.reason = "cgroup " + s.version + " without a memory+pids subtree delegated to this process: memory is bounded "
               "per process (RLIMIT_AS), processes by RLIMIT_NPROC";
  else
    s.reason = "cgroup " + s.version + " is delegated here, but the runner does not use it yet: memory is bounded per "
               "process (RLIMIT_AS), processes by RLIMIT_NPROC";
  return s;
}

}  // namespace mockloop::runner
