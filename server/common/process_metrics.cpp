#include "common/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace mockloop::metrics {
namespace {

void add(std::string& out, const char* name, const char* type, const char* help, double value) {
  std::ostringstream line;
  line.precision(15);
  line << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << value << '\n';
  out += line.str();
}

// The fields of /proc/self/stat after the command name (field 3 onwards), or empty.
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = all.rfind(')');  // the command name may hold spaces and ')'
  if (close == std::string::npos) return {};
  std::istringstream rest(all.substr(close + 1));
  std::vector<std::string> f;
  for (std::string s; rest >> s;) f.push_back(s);
  return f;
}

// Seconds since the epoch at boot, from /proc/stat's btime (0 when unreadable).
double boot_time() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

}  // namespace

std::string process_text() {
  std::string out;
  const auto f = stat_fields();
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // Indexes into f: field N of proc(5) is f[N - 3].
  if (f.size() > 21 && ticks > 0) {
    add(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.",
        (std::stod(f[11]) + std::stod(f[12])) / ticks);
    add(out, "process_threads", "gauge", "Number of OS threads in the process.", std::stod(f[17]));
    if (double boot = boot_time(); boot > 0)
      add(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
          boot + std::stod(f[19]) / ticks);
    add(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", std::stod(f[20]));
    add(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", std::stod(f[21]) * page);
  }
  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
  if (!ec) add(out, "process_open_fds", "gauge", "Number of open file descriptors.", fds - 1);  // less the iterator's own
  if (rlimit rl{}; getrlimit(RLIMIT_NOFILE, &rl) == 0)
    add(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", static_cast<double>(rl.rlim_cur));
  return out;
}

}  // namespace mockloop::metrics
