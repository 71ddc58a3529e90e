#include "runner/languages.hpp"

#include <filesystem>

namespace mockloop::runner {
namespace {

namespace fs = std::filesystem;

// The JDK behind /usr/bin/javac (Debian's alternatives symlink, which lives in /etc and so is
// not visible in the sandbox): its real bin folder, and the /etc folder its conf/ links to.
struct Jdk {
  std::string bin;   // "/usr/lib/jvm/java-17-openjdk-amd64/bin"; empty: no JDK
  std::string etc;   // "/etc/java-17-openjdk"; empty: none
};

Jdk find_jdk() {
  std::error_code ec;
  const fs::path javac = fs::canonical("/usr/bin/javac", ec);
  if (ec || javac.string().rfind("/usr/", 0) != 0) return {};
  Jdk j;
  j.bin = javac.parent_path().string();
  const fs::path sec = fs::canonical(javac.parent_path().parent_path() / "conf" / "security" / "java.security", ec);
  if (!ec && sec.string().rfind("/etc/", 0) == 0) {
    auto it = sec.begin();
    ++it;  // "/"
    j.etc = "/etc/" + (++it)->string();
  }
  return j;
}

// Lean JVM flags: one GC thread, the quick JIT only, small reserved areas (RLIMIT_AS counts
// reservations), so a hello world starts in about 1 GiB of address space and 64 processes.
const std::vector<std::string> kJvmFlags = {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                                            "-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=64m",
                                            "-XX:CICompilerCount=1", "-Xss8m"};

Language java_language() {
  const Jdk jdk = find_jdk();
  Language l{"java", "Java (OpenJDK)", "Main.java", "/usr/bin/javac", {}, {}, true, "", {}};
  if (jdk.bin.empty()) return l;  // listed as "not installed" by the probe
  l.toolchain = jdk.bin + "/javac";
  l.version_argv = {jdk.bin + "/javac"};
  for (const auto& f : kJvmFlags) l.version_argv.emplace_back("-J" + f);
  l.version_argv.emplace_back("-version");
  l.compile_argv = {jdk.bin + "/javac", "-J-Xmx256m", "-encoding", "UTF-8"};
  for (const auto& f : kJvmFlags) l.compile_argv.emplace_back("-J" + f);
  l.compile_argv.emplace_back("Main.java");
  if (!jdk.etc.empty()) l.ro_binds.push_back(jdk.etc);
  return l;
}

}  // namespace

const std::vector<Language>& languages() {
  static const std::vector<Language> table = {
      {"python", "Python 3", "main.py", "/usr/bin/python3", {"/usr/bin/python3", "--version"}, {}, true, "", {}},
      {"javascript", "JavaScript (Node.js)", "main.js", "/usr/bin/node", {"/usr/bin/node", "--version"}, {}, true, "", {}},
      {"cpp", "C++20 (g++ -O2)", "main.cpp", "/usr/bin/g++", {"/usr/bin/g++", "--version"},
       {"/usr/bin/g++", "-O2", "-std=c++20", "-pipe", "-o", "main", "main.cpp"}, true, "", {}},
      // Listed so clients see why they cannot pick them (the optional languages).
      // Optional: enabled when Debian's JDK is installed (default-jdk-headless), else listed
      // with the reason. The class must be called Main.
      java_language(),
      // Listed so clients see why they cannot pick it (not tested here: no Go on this machine).
      {"go", "Go", "main.go", "/usr/bin/go", {}, {}, false, "not enabled in this build", {}},
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
  if (lang.id == "java") {
    std::vector<std::string> a = {fs::path(lang.toolchain).parent_path().string() + "/java",
                                  "-Xmx" + std::to_string(limits.memory_mib) + "m"};
    a.insert(a.end(), kJvmFlags.begin(), kJvmFlags.end());
    a.insert(a.end(), {"-cp", "/box", "Main"});
    return a;
  }
  return {"/box/main"};
}

uint64_t address_space_bytes(const Language& lang, const RunLimits& limits) {
  uint64_t mib = limits.memory_mib;
  if (lang.id == "javascript" || lang.id == "java") mib = std::max<uint64_t>(mib + 768, 1024);
  return mib << 20;
}

}  // namespace mockloop::runner
