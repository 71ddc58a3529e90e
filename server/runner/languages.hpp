// Language: how one runtime is compiled and run inside the sandbox (paths as seen in the
// sandbox, where /usr is bound read-only and the run's folder is /box). The table is
// fixed; a runtime whose toolchain is absent is listed as unavailable, never hidden.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/limits.hpp"

namespace mockloop::runner {

struct Language {
  std::string id;           // "python"
  std::string name;         // "Python 3"
  std::string source;       // file the code is written to in /box: "main.py"
  std::string toolchain;    // host path that must exist: "/usr/bin/python3"
  std::vector<std::string> version_argv;  // prints the version (first line kept)
  std::vector<std::string> compile_argv;  // empty: interpreted
  bool supported = true;    // false: listed, never run (unsupported_reason says why)
  std::string unsupported_reason;
  std::vector<std::string> ro_binds;  // extra host folders bound read-only (a JDK's /etc config)
};

const std::vector<Language>& languages();
const Language* find_language(std::string_view id);

// The command that runs the (compiled) program under `limits`.
std::vector<std::string> run_argv(const Language& lang, const RunLimits& limits);
// The address-space limit for `lang`: memory_mib, except node, whose V8 reserves about
// 1 GiB of address space up front; its heap is bounded by --max-old-space-size instead.
uint64_t address_space_bytes(const Language& lang, const RunLimits& limits);

}  // namespace mockloop::runner
