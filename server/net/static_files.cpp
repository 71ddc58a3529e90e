#include "net/static_files.hpp"

#include <sys/stat.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <utility>

namespace mockloop::net {
namespace fs = std::filesystem;

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool inside(const std::string& root, const std::string& path) {
  return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                          path[root.size()] == '/');
}

}  // namespace

std::string_view StaticFiles::content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (ends_with(path, ext)) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) {
  if (root.empty()) return;
  std::error_code ec;
  auto canon = fs::canonical(root, ec);
  if (!ec) root_ = canon.string();
}

Result<StaticFile> StaticFiles::stat_file(const std::string& candidate) const {
  std::error_code ec;
  auto canon = fs::canonical(candidate, ec);
  if (ec) return make_error(Errc::not_found, "no such file");
  std::string real = canon.string();
  if (!inside(root_, real)) return make_error(Errc::forbidden, "path leaves the static directory");
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return make_error(Errc::not_found, "no such file");
  StaticFile f;
  f.fs_path = real;
  f.size = static_cast<uint64_t>(st.st_size);
  f.content_type = std::string(content_type_for(real));
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ULL + st.st_mtim.tv_nsec);
  f.etag = buf;
  bool hashed_asset = real.find("/assets/") != std::string::npos && !ends_with(real, ".html");
  f.cache_control = hashed_asset ? "public, max-age=31536000, immutable" : "no-cache";
  return f;
}

Result<StaticFile> StaticFiles::resolve(std::string_view decoded_path) const {
  if (!enabled()) return make_error(Errc::not_found, "no static directory configured");
  if (decoded_path.empty() || decoded_path[0] != '/') return make_error(Errc::invalid_argument, "path must start with '/'");
  std::string rel;
  bool last_has_dot = false;
  size_t pos = 1;
  while (pos <= decoded_path.size()) {
    size_t next = decoded_path.find('/', pos);
    if (next == std::string_view::npos) next = decoded_path.size();
    std::string_view seg = decoded_path.substr(pos, next - pos);
    pos = next + 1;
    if (seg.empty()) continue;  // "//" and a trailing '/'
    if (seg == "." || seg == "..") return make_error(Errc::invalid_argument, "path traversal refused");
    for (char c : seg) {
      if (c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20)
        return make_error(Errc::invalid_argument, "invalid character in path");
    }
    if (seg[0] == '.') return make_error(Errc::forbidden, "hidden files are not served");
    rel += '/';
    rel += seg;
    last_has_dot = seg.find('.') != std::string_view::npos;
  }
  if (rel.empty()) return stat_file(root_ + "/index.html");
  auto found = stat_file(root_ + rel);
  if (found.ok() || found.error().code == Errc::forbidden) return found;
  if (!last_has_dot) return stat_file(root_ + "/index.html");  // client-side route
  return found;
}

}  // namespace mockloop::net
