#include "runner/languages.hpp"

namespace mockloop::runner {

const std::vector<Language>& languages() {
  static const std::vector<Language> table = {
      {"python", "Python 3", "main.py", "/usr/bin/python3", {"/usr/bin/python3", "--version"}, {}, true, ""},
      {"javascript", "JavaScript (Node.js)", "main.js", "/usr/bin/node", {"/usr/bin/node", "--version"}, {}, true, ""},
      {"cpp", "C++20 (g++ -O2)", "main.cpp", "/usr/bin/g++", {"/usr/bin/g++", "--version"},
       {"/usr/bin/g++", "-O2", "-std=c++20", "-pipe", "-o", "main", "main.cpp"}, true, ""},
      // Listed so clients see why they cannot pick them (the optional languages).
      {"java", "Java", "Main.java", "/usr/bin/javac", {}, {}, false,
       "not enabled: the JVM does not start under the 256 MiB address-space limit (needs a cgroup memory limit)"},
      {"go", "Go", "main.go", "/usr/bin/go", {}, {}, false, "not enabled in this build"},
  };
  return table;
}

const Language* find_language(std::string_view id) {
  for (const auto& l : languages())
    if (l.id == id) return &l;
  return nullptr;
}

std::vector<std::string> run_argv(const Language& lang, const RunLimits& limits) {
  if (lang.id == "python") return {"/usr/bin/python3", "-I", "-B", "main.py"};
  if (lang.id == "javascript")
    return {"/usr/bin/node", "--max-old-space-size=" + std::to_string(limits.memory_mib), "main.js"};
  return {"/box/main"};
}

uint64_t address_space_bytes(const Language& lang, const RunLimits& limits) {
  uint64_t mib = limits.memory_mib;
  if (lang.id == "javascript") mib = std::max<uint64_t>(mib + 768, 1024);
  return mib << 20;
}

}  // namespace mockloop::runner
