// The cost of one sign-in's password check (Argon2id, account/password.hpp) for a grid of
// parameters around the default, best and median of N runs each. Prints a table; the
// default (account/account_options.hpp) should land in 50-250 ms on the target machine.
//   build/bench/login_cost [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "account/account_options.hpp"
#include "account/password.hpp"

int main(int argc, char** argv) {
  using namespace mockloop::account;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const AccountOptions dflt;
  std::printf("%-6s %-8s %-10s %-10s %s\n", "ops", "mem MiB", "best ms", "median ms", "");
  for (unsigned long long ops : {1ULL, 2ULL, 3ULL}) {
    for (size_t mib : {8u, 19u, 32u, 64u}) {
      const PwhashCost cost{ops, mib << 20};
      auto hash = hash_password("correct horse battery staple", cost);
      if (!hash) return 1;
      std::vector<double> ms;
      for (int i = 0; i < runs; ++i) {
        auto t = std::chrono::steady_clock::now();
        if (!verify_password(*hash, "correct horse battery staple")) return 2;
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
      }
      std::sort(ms.begin(), ms.end());
      const bool is_default = ops == dflt.pwhash_opslimit && (mib << 20) == dflt.pwhash_memlimit;
      std::printf("%-6llu %-8zu %-10.1f %-10.1f %s\n", ops, mib, ms.front(), ms[ms.size() / 2],
                  is_default ? "<- default" : "");
    }
  }
  return 0;
}
