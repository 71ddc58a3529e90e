// runner_bench: latency of a code run through the RunnerPool and the real mockloop-runner
// (request frame -> sandboxed compile/run -> reply), per language, for a hello world and
// for a 10-test solution; and the sandbox's overhead: the same python hello world run
// bare (exec_limited without bwrap) vs in the sandbox. Prints p50, p90 and p99 of N runs.
// Usage: runner_bench PATH/TO/mockloop-runner [runs=15]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

#include "runner/exec.hpp"
#include "runner/pool.hpp"

using namespace mockloop::runner;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void report(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::printf("%-44s p50 %7.1f ms   p90 %7.1f ms   p99 %7.1f ms   (n=%zu)\n", what, v[v.size() / 2],
              v[v.size() * 9 / 10], v[v.size() * 99 / 100], v.size());
}

std::vector<double> time_pool(RunnerPool& pool, const Request& req, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    std::promise<Reply> p;
    auto t0 = Clock::now();
    pool.submit(req, [&](Reply r) { p.set_value(std::move(r)); });
    Reply r = p.get_future().get();
    out.push_back(ms_since(t0));
    if (r.error || r.cases.empty() || r.cases[0].verdict != Verdict::ok) {
      std::fprintf(stderr, "run failed: %s\n", r.error ? r.error->c_str() : r.cases.empty() ? "no cases" : r.cases[0].stderr_data.c_str());
    }
  }
  return out;
}

Request make(const std::string& lang, const std::string& code, int cases) {
  Request q;
  q.language = lang;
  q.code = code;
  for (int i = 0; i < cases; ++i) q.cases.push_back({"t" + std::to_string(i), "3 4\n"});
  return q;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: runner_bench PATH/TO/mockloop-runner [runs]\n");
    return 2;
  }
  const int n = argc > 2 ? std::atoi(argv[2]) : 15;
  PoolOptions o;
  o.runner_path = argv[1];
  o.slots = 1;
  o.base_uid = 60200;
  RunnerPool pool(o);
  Reply probe = pool.probe();
  if (!probe.sandbox_ok) {
    std::fprintf(stderr, "sandbox unavailable: %s\n", probe.sandbox_reason.c_str());
    return 1;
  }
  const std::string py = "a, b = map(int, input().split())\nprint(a + b)\n";
  const std::string js = "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number);\nconsole.log(a + b);\n";
  const std::string cpp = "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";
  report("python hello (1 test)", time_pool(pool, make("python", py, 1), n));
  report("javascript hello (1 test)", time_pool(pool, make("javascript", js, 1), n));
  report("cpp compile + hello (1 test)", time_pool(pool, make("cpp", cpp, 1), std::max(3, n / 3)));
  report("python solution, 10 tests", time_pool(pool, make("python", py, 10), std::max(3, n / 3)));
  report("javascript solution, 10 tests", time_pool(pool, make("javascript", js, 10), std::max(3, n / 3)));
  report("cpp compile + 10 tests", time_pool(pool, make("cpp", cpp, 10), std::max(3, n / 3)));

  // Overhead: bare python vs sandboxed python, one process each, same exec path.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::vector<double> bare;
  for (int i = 0; i < n; ++i) {
    ExecSpec s;
    s.argv = {"/usr/bin/python3", "-I", "-B", "-c", py};
    s.stdin_data = "3 4\n";
    auto t0 = Clock::now();
    exec_limited(s);
    bare.push_back(ms_since(t0));
  }
  report("python hello, bare (no sandbox, no runner)", bare);
  return 0;
}
