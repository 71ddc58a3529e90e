#include "runner/flags.hpp"

#include <charconv>

namespace mockloop::runner {
namespace {

struct U32Flag {
  const char* name = nullptr;
  uint32_t SandboxConfig::*top = nullptr;
  uint32_t RunLimits::*lim = nullptr;
};

const U32Flag kFlags[] = {
    {"uid", &SandboxConfig::uid, nullptr},
    {"cpu-seconds", nullptr, &RunLimits::cpu_seconds},
    {"wall-ms", nullptr, &RunLimits::wall_ms},
    {"memory-mib", nullptr, &RunLimits::memory_mib},
    {"processes", nullptr, &RunLimits::processes},
    {"file-mib", nullptr, &RunLimits::file_mib},
    {"open-files", nullptr, &RunLimits::open_files},
    {"tmpfs-mib", nullptr, &RunLimits::tmpfs_mib},
    {"output-kib", nullptr, &RunLimits::output_kib},
};

}  // namespace

Result<SandboxConfig> parse_flags(const std::vector<std::string>& args) {
  SandboxConfig c;
  for (const auto& a : args) {
    auto eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) return make_error(Errc::usage, "expected --name=value: " + a);
    const std::string name = a.substr(2, eq - 2), value = a.substr(eq + 1);
    if (name == "bwrap") {
      c.bwrap = value;
      continue;
    }
    if (name == "scratch") {
      c.scratch = value;
      continue;
    }
    bool found = false;
    for (const auto& f : kFlags) {
      if (name != f.name) continue;
      uint32_t v = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || p != value.data() + value.size() || (v == 0 && name != "uid"))
        return make_error(Errc::usage, "--" + name + " needs a positive integer");
      if (f.top) c.*(f.top) = v;
      else c.limits.*(f.lim) = v;
      found = true;
    }
    if (!found) return make_error(Errc::usage, "unknown flag --" + name);
  }
  return c;
}

std::vector<std::string> runner_flags(const SandboxConfig& c) {
  std::vector<std::string> out = {"--bwrap=" + c.bwrap, "--scratch=" + c.scratch};
  for (const auto& f : kFlags)
    out.push_back(std::string("--") + f.name + "=" + std::to_string(f.top ? c.*(f.top) : c.limits.*(f.lim)));
  return out;
}

}  // namespace mockloop::runner
