#include "app/install_paths.hpp"

#include <filesystem>
#include <system_error>

namespace mockloop::app {
namespace {

namespace fs = std::filesystem;

// Parent folders of the binary searched for a checkout (build/server/app/mockloop: 3 up).
constexpr int kMaxParentLevels = 4;

bool is_content_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p / "templates", ec);
}
bool is_web_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p / "index.html", ec);
}

}  // namespace

std::vector<std::string> content_dir_candidates(const std::string& exe) {
  std::vector<std::string> out;
  if (!exe.empty()) {
    fs::path dir = fs::path(exe).parent_path();
    out.push_back((dir.parent_path() / "share" / "mockloop" / "content").string());
    fs::path up = dir;
    for (int i = 0; i <= kMaxParentLevels && !up.empty(); ++i, up = up.parent_path()) {
      out.push_back((up / "content").string());
      if (up == up.root_path()) break;
    }
  }
  out.emplace_back("./content");
  return out;
}

std::vector<std::string> web_dir_candidates(const std::string& exe) {
  std::vector<std::string> out;
  if (exe.empty()) return out;
  fs::path dir = fs::path(exe).parent_path();
  out.push_back((dir.parent_path() / "share" / "mockloop" / "web").string());
  out.push_back((dir / "web").string());
  fs::path up = dir.parent_path();
  for (int i = 1; i <= kMaxParentLevels && !up.empty(); ++i, up = up.parent_path()) {
    out.push_back((up / "client-web" / "dist").string());
    if (up == up.root_path()) break;
  }
  return out;
}

Result<void> resolve_install_paths(Options& o, const std::string& exe) {
  if (o.content_dir_given) {
    if (!is_content_dir(o.content_dir))
      return make_error(Errc::usage, "content folder '" + o.content_dir + "' (from --content-dir, MOCKLOOP_CONTENT_DIR or the config file) has no templates/ folder");
  } else {
    std::string tried;
    bool found = false;
    for (const auto& c : content_dir_candidates(exe)) {
      if (is_content_dir(c)) {
        o.content_dir = c;
        found = true;
        break;
      }
      tried += (tried.empty() ? "" : ", ") + c;
    }
    if (!found)
      return make_error(Errc::usage, "no content folder found (looked for templates/ in " + tried +
                                         "); name one with --content-dir, MOCKLOOP_CONTENT_DIR or content-dir in the config file");
  }
  if (!o.static_dir_given) {
    for (const auto& c : web_dir_candidates(exe)) {
      if (is_web_dir(c)) {
        o.net.static_dir = c;
        break;
      }
    }
  }
  return {};
}

std::string current_executable() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

}  // namespace mockloop::app
